// One-time tokens sent by e-mail (address confirmation, password reset). Stored as hashes;
// consuming one is atomic, so a link works once.
import type { Sql } from '../sql.ts';
import { asDate } from './row.ts';

export type EmailTokenPurpose = 'confirm_email' | 'reset_password';

export type ConsumeResult =
  | { readonly ok: true; readonly userId: string }
  | { readonly ok: false; readonly reason: 'unknown' | 'used' | 'expired' };

export class EmailTokenRepository {
  constructor(private readonly sql: Sql) {}

  /** Stores a new token; older unused ones of the same purpose stop working. */
  async issue(userId: string, purpose: EmailTokenPurpose, tokenHash: string, expiresAt: Date): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query(
        'UPDATE email_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL',
        [userId, purpose],
      );
      await tx.query(
        'INSERT INTO email_tokens (token_hash, user_id, purpose, expires_at) VALUES ($1, $2, $3, $4)',
        [tokenHash, userId, purpose, expiresAt],
      );
    });
  }

  async consume(tokenHash: string, purpose: EmailTokenPurpose, now: Date): Promise<ConsumeResult> {
    const { rows } = await this.sql.query(
      `UPDATE email_tokens SET used_at = $3
       WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
       RETURNING user_id`,
      [tokenHash, purpose, now],
    );
    if (rows[0]) return { ok: true, userId: String(rows[0].user_id) };
    const found = await this.sql.query(
      'SELECT used_at, expires_at FROM email_tokens WHERE token_hash = $1 AND purpose = $2',
      [tokenHash, purpose],
    );
    const row = found.rows[0];
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.used_at !== null) return { ok: false, reason: 'used' };
    return asDate(row.expires_at) <= now
      ? { ok: false, reason: 'expired' }
      : { ok: false, reason: 'unknown' };
  }
}
