// Browser sessions of portal users. The id is the SHA-256 of the cookie value.
import type { Sql } from '../sql.ts';
import { asDate } from './row.ts';

export interface UserSession {
  readonly id: string;
  readonly userId: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export class SessionRepository {
  constructor(private readonly sql: Sql) {}

  async create(input: {
    id: string;
    userId: string;
    expiresAt: Date;
    ip?: string | null;
    userAgent?: string | null;
  }): Promise<void> {
    await this.sql.query(
      'INSERT INTO user_sessions (id, user_id, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5)',
      [input.id, input.userId, input.expiresAt, input.ip ?? null, input.userAgent?.slice(0, 300) ?? null],
    );
  }

  /** The live session with this id, its expiry slid to `expiresAt`. */
  async touch(id: string, now: Date, expiresAt: Date): Promise<UserSession | undefined> {
    const { rows } = await this.sql.query(
      `UPDATE user_sessions SET last_seen_at = $2, expires_at = greatest(expires_at, $3)
       WHERE id = $1 AND expires_at > $2 RETURNING id, user_id, created_at, expires_at`,
      [id, now, expiresAt],
    );
    const row = rows[0];
    return row
      ? {
          id: String(row.id),
          userId: String(row.user_id),
          createdAt: asDate(row.created_at),
          expiresAt: asDate(row.expires_at),
        }
      : undefined;
  }

  async remove(id: string): Promise<void> {
    await this.sql.query('DELETE FROM user_sessions WHERE id = $1', [id]);
  }

  /** Ends every session of a user (password changed or reset), except `keepId`. */
  async removeForUser(userId: string, keepId?: string): Promise<void> {
    await this.sql.query('DELETE FROM user_sessions WHERE user_id = $1 AND id <> $2', [userId, keepId ?? '']);
  }

  async purgeExpired(now: Date): Promise<number> {
    const { rowCount } = await this.sql.query('DELETE FROM user_sessions WHERE expires_at <= $1', [now]);
    return rowCount;
  }
}
