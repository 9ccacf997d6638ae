// Changes to a provider's settings (the portal's "edit provider"). The built-in provider keeps
// its host (it is this server); only its name may change.
import { NotFoundError } from '../errors.ts';
import type { Sql } from '../sql.ts';
import type { SipTransport } from './provider-repository.ts';

export interface ProviderPatch {
  readonly name?: string;
  readonly host?: string;
  readonly port?: number;
  readonly proxy?: string | null;
  readonly transport?: SipTransport;
}

export class ProviderSettingsRepository {
  constructor(private readonly sql: Sql) {}

  /** Applies the patch (unset fields keep their value; proxy null clears it). */
  async update(tenantId: string, id: string, patch: ProviderPatch): Promise<void> {
    const { rowCount } = await this.sql.query(
      `UPDATE providers SET name = coalesce($3, name),
         host = CASE WHEN kind = 'builtin' THEN host ELSE coalesce($4, host) END,
         port = coalesce($5, port),
         proxy = CASE WHEN $6 THEN $7 ELSE proxy END,
         transport = coalesce($8, transport), updated_at = now()
       WHERE tenant_id = $1 AND id = $2`,
      [
        tenantId,
        id,
        patch.name?.trim() ?? null,
        patch.host?.trim().toLowerCase().replace(/\.$/, '') ?? null,
        patch.port ?? null,
        patch.proxy !== undefined,
        patch.proxy?.trim() || null,
        patch.transport ?? null,
      ],
    );
    if (rowCount === 0) throw new NotFoundError('provider');
  }

  /** Number of accounts per provider of the tenant. */
  async accountCounts(tenantId: string): Promise<Map<string, number>> {
    const { rows } = await this.sql.query(
      'SELECT provider_id, count(*)::int AS n FROM sip_accounts WHERE tenant_id = $1 GROUP BY provider_id',
      [tenantId],
    );
    return new Map(rows.map((r) => [String(r.provider_id), Number(r.n)]));
  }
}
