// Tenants (organisations). Each has a unique SIP domain and one built-in PBX provider, created
// with it in the same transaction. Exactly one tenant may be the default: it also answers for
// the server's own addresses. The first tenant created becomes the default.
import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UNIQUE_VIOLATION,
  constraintOf,
  sqlState,
} from '../errors.ts';
import type { Sql, SqlRow } from '../sql.ts';
import { assertValid, checkDomain, checkText, normaliseDomain } from '../validation.ts';
import { BUILTIN_PROVIDER_NAME } from './provider-repository.ts';
import { asDate } from './row.ts';

export interface Tenant {
  readonly id: string;
  readonly name: string;
  /** Lower case; also the digest realm of the tenant's extensions. */
  readonly sipDomain: string;
  readonly isDefault: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface NewTenant {
  readonly name: string;
  readonly sipDomain: string;
  /** Make this the default tenant (the previous default stops being it). Default: only if it is the first. */
  readonly isDefault?: boolean;
}

export interface RemoveTenantOptions {
  /** Also delete its SIP accounts and CDRs. Without it, a tenant that has accounts is kept. */
  readonly force?: boolean;
}

const COLUMNS = 'id, name, sip_domain, is_default, created_at, updated_at';

function toTenant(row: SqlRow): Tenant {
  return {
    id: String(row.id),
    name: String(row.name),
    sipDomain: String(row.sip_domain),
    isDefault: Boolean(row.is_default),
    createdAt: asDate(row.created_at),
    updatedAt: asDate(row.updated_at),
  };
}

export class TenantRepository {
  constructor(private readonly sql: Sql) {}

  async create(input: NewTenant): Promise<Tenant> {
    const name = input.name.trim();
    const sipDomain = normaliseDomain(input.sipDomain);
    assertValid(checkText('name', name, 1, 200), checkDomain('sipDomain', sipDomain));
    try {
      return await this.sql.transaction(async (tx) => {
        if (input.isDefault === true)
          await tx.query('UPDATE tenants SET is_default = false WHERE is_default');
        const id = randomUUID();
        const { rows } = await tx.query(
          `INSERT INTO tenants (id, name, sip_domain, is_default)
           VALUES ($1, $2, $3, $4 OR ($5 AND NOT EXISTS (SELECT 1 FROM tenants)))
           RETURNING ${COLUMNS}`,
          [id, name, sipDomain, input.isDefault === true, input.isDefault === undefined],
        );
        await tx.query(`INSERT INTO providers (id, tenant_id, kind, name) VALUES ($1, $2, 'builtin', $3)`, [
          randomUUID(),
          id,
          BUILTIN_PROVIDER_NAME,
        ]);
        return toTenant(rows[0]!);
      });
    } catch (err) {
      if (sqlState(err) === UNIQUE_VIOLATION && constraintOf(err) === 'tenants_sip_domain_key') {
        throw new ConflictError(`the SIP domain ${sipDomain} belongs to another tenant`, [
          { field: 'sipDomain', message: 'is taken' },
        ]);
      }
      // Two first tenants created at the same moment: the loser is simply not the default.
      if (sqlState(err) === UNIQUE_VIOLATION && constraintOf(err) === 'tenants_one_default_key') {
        return this.create({ ...input, isDefault: false });
      }
      throw err;
    }
  }

  async list(): Promise<Tenant[]> {
    const { rows } = await this.sql.query(
      `SELECT ${COLUMNS} FROM tenants ORDER BY is_default DESC, name, sip_domain`,
    );
    return rows.map(toTenant);
  }

  async findById(id: string): Promise<Tenant | undefined> {
    const { rows } = await this.sql.query(`SELECT ${COLUMNS} FROM tenants WHERE id = $1`, [id]);
    return rows[0] ? toTenant(rows[0]) : undefined;
  }

  /** The tenant whose SIP domain this is (case-insensitive, trailing dot ignored). */
  async findBySipDomain(domain: string): Promise<Tenant | undefined> {
    const { rows } = await this.sql.query(`SELECT ${COLUMNS} FROM tenants WHERE sip_domain = $1`, [
      normaliseDomain(domain),
    ]);
    return rows[0] ? toTenant(rows[0]) : undefined;
  }

  async getDefault(): Promise<Tenant | undefined> {
    const { rows } = await this.sql.query(`SELECT ${COLUMNS} FROM tenants WHERE is_default`);
    return rows[0] ? toTenant(rows[0]) : undefined;
  }

  async setDefault(id: string): Promise<Tenant> {
    return this.sql.transaction(async (tx) => {
      await tx.query(
        'UPDATE tenants SET is_default = false, updated_at = now() WHERE is_default AND id <> $1',
        [id],
      );
      const { rows } = await tx.query(
        `UPDATE tenants SET is_default = true, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
        [id],
      );
      if (!rows[0]) throw new NotFoundError('tenant');
      return toTenant(rows[0]);
    });
  }

  /**
   * Deletes a tenant with its providers (and, with `force`, its SIP accounts and CDRs). The
   * default tenant can go only when it is the last one: make another tenant the default first.
   */
  async remove(id: string, options: RemoveTenantOptions = {}): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const { rows } = await tx.query<{ is_default: boolean; accounts: number; others: number }>(
        `SELECT t.is_default,
                (SELECT count(*) FROM sip_accounts a WHERE a.tenant_id = t.id)::int AS accounts,
                (SELECT count(*) FROM tenants o WHERE o.id <> t.id)::int AS others
         FROM tenants t WHERE t.id = $1 FOR UPDATE`,
        [id],
      );
      const row = rows[0];
      if (!row) throw new NotFoundError('tenant');
      if (row.is_default && row.others > 0) {
        throw new ForbiddenError(
          'the default tenant cannot be removed while other tenants exist; make another one the default first',
        );
      }
      if (row.accounts > 0 && options.force !== true) {
        throw new ConflictError(
          `the tenant has ${row.accounts} SIP account(s); remove them first, or force the removal to delete them with their call records`,
        );
      }
      await tx.query('DELETE FROM tenants WHERE id = $1', [id]);
    });
  }
}
