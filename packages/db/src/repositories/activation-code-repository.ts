// Activation codes: one active code per device (kept encrypted so the portal can show it) and
// the history of used and replaced ones (by hash), so an app gets a precise error for an old code.
import { createHash } from 'node:crypto';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Sql } from '../sql.ts';

export type ActivationCodeState = 'active' | 'used' | 'replaced';

export interface ActivationCodeRecord {
  readonly deviceId: string;
  readonly tenantId: string;
  readonly state: ActivationCodeState;
}

/** The code is normalised by the caller (upper case, no separators) before it gets here. */
const hashCode = (code: string): string => createHash('sha256').update(`activation:${code}`).digest('hex');
const aadFor = (deviceId: string): string => `activation_code:${deviceId}`;

export class ActivationCodeRepository {
  constructor(
    private readonly sql: Sql,
    private readonly secrets: SecretBox,
  ) {}

  /** Makes `code` the device's active code; the previous one becomes "replaced". */
  async issue(deviceId: string, code: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query(
        `UPDATE activation_codes SET state = 'replaced', code_enc = NULL, closed_at = now()
         WHERE device_id = $1 AND state = 'active'`,
        [deviceId],
      );
      await tx.query(
        `INSERT INTO activation_codes (code_hash, device_id, state, code_enc) VALUES ($1, $2, 'active', $3)`,
        [hashCode(code), deviceId, this.secrets.encrypt(code, aadFor(deviceId))],
      );
    });
  }

  /** The device's active code in clear, if it has one. */
  async current(deviceId: string): Promise<string | undefined> {
    const { rows } = await this.sql.query(
      `SELECT code_enc FROM activation_codes WHERE device_id = $1 AND state = 'active'`,
      [deviceId],
    );
    const enc = rows[0]?.code_enc;
    return typeof enc === 'string' ? this.secrets.decrypt(enc, aadFor(deviceId)) : undefined;
  }

  async lookup(code: string): Promise<ActivationCodeRecord | undefined> {
    const { rows } = await this.sql.query(
      `SELECT c.device_id, c.state, d.tenant_id FROM activation_codes c JOIN devices d ON d.id = c.device_id
       WHERE c.code_hash = $1`,
      [hashCode(code)],
    );
    const row = rows[0];
    return row
      ? {
          deviceId: String(row.device_id),
          tenantId: String(row.tenant_id),
          state: row.state as ActivationCodeState,
        }
      : undefined;
  }

  /** Marks the active code used; false when it was not active any more (lost a race). */
  async markUsed(code: string): Promise<boolean> {
    const { rowCount } = await this.sql.query(
      `UPDATE activation_codes SET state = 'used', code_enc = NULL, closed_at = now()
       WHERE code_hash = $1 AND state = 'active'`,
      [hashCode(code)],
    );
    return rowCount === 1;
  }
}
