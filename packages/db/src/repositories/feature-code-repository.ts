// A tenant's own feature codes (docs/feature-codes.md): only the codes that differ from the
// defaults are stored; the PBX merges them over its default table.
import type { Sql } from '../sql.ts';
import { assertValid, type Check } from '../validation.ts';

/** A code as dialled: starts with `*` or `#`, then up to 7 digits, `*` or `#`. */
const CODE = /^[*#][0-9*#]{0,7}$/;
const FEATURE = /^[a-z][a-z0-9-]{0,63}$/;

export class FeatureCodeRepository {
  constructor(private readonly sql: Sql) {}

  /** The tenant's overrides, feature → code. */
  async list(tenantId: string): Promise<Record<string, string>> {
    const { rows } = await this.sql.query<{ feature: string; code: string }>(
      'SELECT feature, code FROM tenant_feature_codes WHERE tenant_id = $1 ORDER BY feature',
      [tenantId],
    );
    return Object.fromEntries(rows.map((r) => [r.feature, r.code]));
  }

  /** Replaces every override of the tenant (an empty map restores the defaults). */
  async replace(tenantId: string, codes: Readonly<Record<string, string>>): Promise<void> {
    const entries = Object.entries(codes);
    assertValid(
      ...entries.flatMap(([feature, code]): Check[] => [
        FEATURE.test(feature) ? undefined : { field: feature, message: 'is not a feature name' },
        CODE.test(code)
          ? undefined
          : { field: feature, message: 'expected * or # then up to 7 digits, * or #' },
      ]),
    );
    await this.sql.transaction(async (tx) => {
      await tx.query('DELETE FROM tenant_feature_codes WHERE tenant_id = $1', [tenantId]);
      for (const [feature, code] of entries)
        await tx.query('INSERT INTO tenant_feature_codes (tenant_id, feature, code) VALUES ($1, $2, $3)', [
          tenantId,
          feature,
          code,
        ]);
    });
  }
}
