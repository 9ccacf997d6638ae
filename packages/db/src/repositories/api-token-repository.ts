// Bearer tokens for scripts. Only a hash is stored; the token is shown once, at creation.
import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../errors.ts';
import type { Sql, SqlRow } from '../sql.ts';
import { asDate, asDateOrNull } from './row.ts';

export interface ApiToken {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  /** The first characters of the token, to recognise it in a list. */
  readonly prefix: string;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

const COLUMNS = 'id, user_id, name, prefix, created_at, last_used_at, revoked_at';

function toToken(row: SqlRow): ApiToken {
  return {
    id: String(row.id),
    userId: String(row.user_id),
    name: String(row.name),
    prefix: String(row.prefix),
    createdAt: asDate(row.created_at),
    lastUsedAt: asDateOrNull(row.last_used_at),
    revokedAt: asDateOrNull(row.revoked_at),
  };
}

export class ApiTokenRepository {
  constructor(private readonly sql: Sql) {}

  async create(input: {
    userId: string;
    name: string;
    tokenHash: string;
    prefix: string;
  }): Promise<ApiToken> {
    const { rows } = await this.sql.query(
      `INSERT INTO api_tokens (id, user_id, name, token_hash, prefix) VALUES ($1, $2, $3, $4, $5)
       RETURNING ${COLUMNS}`,
      [randomUUID(), input.userId, input.name.trim(), input.tokenHash, input.prefix],
    );
    return toToken(rows[0]!);
  }

  /** Unrevoked tokens of a user, newest first. */
  async list(userId: string): Promise<ApiToken[]> {
    const { rows } = await this.sql.query(
      `SELECT ${COLUMNS} FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC, id`,
      [userId],
    );
    return rows.map(toToken);
  }

  async revoke(userId: string, id: string): Promise<ApiToken> {
    const { rows } = await this.sql.query(
      `UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND id = $2 AND revoked_at IS NULL
       RETURNING ${COLUMNS}`,
      [userId, id],
    );
    if (!rows[0]) throw new NotFoundError('API token');
    return toToken(rows[0]);
  }

  /** The active token with this hash (and records its use). */
  async use(tokenHash: string, now: Date): Promise<ApiToken | undefined> {
    const { rows } = await this.sql.query(
      `UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
      [tokenHash, now],
    );
    return rows[0] ? toToken(rows[0]) : undefined;
  }
}
