// Portal users: the administrators of an organisation (tenant). The password arrives already
// hashed (argon2id, by the API); e-mail addresses are stored lower case and unique server-wide.
import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, UNIQUE_VIOLATION, constraintOf, sqlState } from '../errors.ts';
import type { Sql, SqlRow } from '../sql.ts';
import { asDate, asDateOrNull, asStringOrNull } from './row.ts';

export type UserRole = 'owner' | 'admin';

export interface User {
  readonly id: string;
  readonly tenantId: string;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly role: UserRole;
  readonly emailConfirmedAt: Date | null;
  readonly newsOptIn: boolean;
  readonly passwordChangedAt: Date;
  readonly createdAt: Date;
}

/** A user with the hash, for the one place that verifies passwords. */
export interface UserWithHash extends User {
  readonly passwordHash: string;
}

export interface NewUser {
  readonly tenantId: string;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly passwordHash: string;
  readonly role?: UserRole;
  readonly emailConfirmed?: boolean;
  readonly newsOptIn?: boolean;
}

export interface Organisation {
  readonly id: string;
  readonly name: string;
  readonly website: string | null;
  /** Where end users write for help; null: the owner (see supportEmail()). */
  readonly supportEmail: string | null;
  readonly sipDomain: string;
  readonly isDefault: boolean;
}

const COLUMNS = `id, tenant_id, email, first_name, last_name, role, email_confirmed_at, news_opt_in,
  password_changed_at, created_at, password_hash`;

function toUser(row: SqlRow): UserWithHash {
  return {
    id: String(row.id),
    tenantId: String(row.tenant_id),
    email: String(row.email),
    firstName: String(row.first_name),
    lastName: String(row.last_name),
    role: row.role as UserRole,
    emailConfirmedAt: asDateOrNull(row.email_confirmed_at),
    newsOptIn: Boolean(row.news_opt_in),
    passwordChangedAt: asDate(row.password_changed_at),
    createdAt: asDate(row.created_at),
    passwordHash: String(row.password_hash),
  };
}

function withoutHash(user: UserWithHash): User {
  const { passwordHash: _hash, ...rest } = user;
  return rest;
}

export class UserRepository {
  constructor(private readonly sql: Sql) {}

  async create(input: NewUser): Promise<User> {
    try {
      const { rows } = await this.sql.query(
        `INSERT INTO users (id, tenant_id, email, first_name, last_name, password_hash, role,
           email_confirmed_at, privacy_accepted_at, news_opt_in)
         VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $8 THEN now() END, now(), $9)
         RETURNING ${COLUMNS}`,
        [
          randomUUID(),
          input.tenantId,
          input.email.trim().toLowerCase(),
          input.firstName.trim(),
          input.lastName.trim(),
          input.passwordHash,
          input.role ?? 'owner',
          input.emailConfirmed === true,
          input.newsOptIn === true,
        ],
      );
      return withoutHash(toUser(rows[0]!));
    } catch (err) {
      if (sqlState(err) === UNIQUE_VIOLATION && constraintOf(err) === 'users_email_key') {
        throw new ConflictError('an account with this e-mail address exists', [
          { field: 'email', message: 'is already registered' },
        ]);
      }
      throw err;
    }
  }

  async findById(id: string): Promise<User | undefined> {
    const { rows } = await this.sql.query(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
    return rows[0] ? withoutHash(toUser(rows[0])) : undefined;
  }

  /** With the password hash: for login and password change only. */
  async findWithHashByEmail(email: string): Promise<UserWithHash | undefined> {
    const { rows } = await this.sql.query(`SELECT ${COLUMNS} FROM users WHERE email = $1`, [
      email.trim().toLowerCase(),
    ]);
    return rows[0] ? toUser(rows[0]) : undefined;
  }

  async findWithHashById(id: string): Promise<UserWithHash | undefined> {
    const { rows } = await this.sql.query(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
    return rows[0] ? toUser(rows[0]) : undefined;
  }

  async findByEmail(email: string): Promise<User | undefined> {
    const user = await this.findWithHashByEmail(email);
    return user && withoutHash(user);
  }

  async count(tenantId?: string): Promise<number> {
    const { rows } = await this.sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM users WHERE $1::uuid IS NULL OR tenant_id = $1',
      [tenantId ?? null],
    );
    return rows[0]?.n ?? 0;
  }

  async confirmEmail(id: string): Promise<void> {
    await this.sql.query(
      'UPDATE users SET email_confirmed_at = coalesce(email_confirmed_at, now()), updated_at = now() WHERE id = $1',
      [id],
    );
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    const { rowCount } = await this.sql.query(
      'UPDATE users SET password_hash = $2, password_changed_at = now(), updated_at = now() WHERE id = $1',
      [id, passwordHash],
    );
    if (rowCount === 0) throw new NotFoundError('user');
  }

  async updateProfile(
    id: string,
    patch: { firstName?: string; lastName?: string; newsOptIn?: boolean },
  ): Promise<User> {
    const { rows } = await this.sql.query(
      `UPDATE users SET first_name = coalesce($2, first_name), last_name = coalesce($3, last_name),
         news_opt_in = coalesce($4, news_opt_in), updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, patch.firstName?.trim() ?? null, patch.lastName?.trim() ?? null, patch.newsOptIn ?? null],
    );
    if (!rows[0]) throw new NotFoundError('user');
    return withoutHash(toUser(rows[0]));
  }

  /** The organisation (tenant) as the portal shows it. */
  async organisation(tenantId: string): Promise<Organisation> {
    const { rows } = await this.sql.query(
      'SELECT id, name, website, support_email, sip_domain, is_default FROM tenants WHERE id = $1',
      [tenantId],
    );
    const row = rows[0];
    if (!row) throw new NotFoundError('organisation');
    return {
      id: String(row.id),
      name: String(row.name),
      website: asStringOrNull(row.website),
      supportEmail: asStringOrNull(row.support_email),
      sipDomain: String(row.sip_domain),
      isDefault: Boolean(row.is_default),
    };
  }

  /**
   * Where the organisation's end users write for help (the softphone's "Get help"): the support
   * address set for it, else its owner's e-mail (who registered it), else its oldest
   * administrator's.
   */
  async supportEmail(tenantId: string): Promise<string | undefined> {
    const { rows } = await this.sql.query<{ email: string | null }>(
      `SELECT coalesce(t.support_email, (
         SELECT u.email FROM users u WHERE u.tenant_id = t.id
         ORDER BY u.role = 'owner' DESC, u.email_confirmed_at IS NULL, u.created_at, u.id LIMIT 1
       )) AS email FROM tenants t WHERE t.id = $1`,
      [tenantId],
    );
    return rows[0]?.email ?? undefined;
  }

  async updateOrganisation(
    tenantId: string,
    patch: { name?: string; website?: string | null; supportEmail?: string | null },
  ): Promise<Organisation> {
    await this.sql.query(
      `UPDATE tenants SET name = coalesce($2, name),
         website = CASE WHEN $3 THEN $4 ELSE website END,
         support_email = CASE WHEN $5 THEN $6 ELSE support_email END, updated_at = now() WHERE id = $1`,
      [
        tenantId,
        patch.name?.trim() ?? null,
        patch.website !== undefined,
        patch.website ?? null,
        patch.supportEmail !== undefined,
        patch.supportEmail?.trim().toLowerCase() || null,
      ],
    );
    return this.organisation(tenantId);
  }
}
