// Contacts: the end users devices belong to, each with labelled e-mail addresses (in order).
import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../errors.ts';
import type { Sql, SqlRow } from '../sql.ts';
import { asDate } from './row.ts';

export type EmailLabel = 'work' | 'home';

export interface ContactEmail {
  readonly address: string;
  readonly label: EmailLabel;
}

export interface Contact {
  readonly id: string;
  readonly tenantId: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly emails: readonly ContactEmail[];
  readonly deviceCount: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface NewContact {
  readonly tenantId: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly emails: readonly ContactEmail[];
}

export type ContactSort = 'lastName' | 'firstName' | 'createdAt' | 'updatedAt';

export interface ListContacts {
  readonly tenantId: string;
  /** Case-insensitive substring of the first name, last name, full name or an e-mail address. */
  readonly search?: string;
  readonly sort?: ContactSort;
  readonly order?: 'asc' | 'desc';
  readonly limit?: number;
  readonly offset?: number;
}

const ORDER_BY: Record<ContactSort, string> = {
  lastName: 'lower(c.last_name) %s, lower(c.first_name) %s',
  firstName: 'lower(c.first_name) %s, lower(c.last_name) %s',
  createdAt: 'c.created_at %s',
  updatedAt: 'c.updated_at %s',
};

const SELECT = `SELECT c.id, c.tenant_id, c.first_name, c.last_name, c.created_at, c.updated_at,
  coalesce((SELECT json_agg(json_build_object('address', e.address, 'label', e.label) ORDER BY e.position)
            FROM contact_emails e WHERE e.contact_id = c.id), '[]'::json) AS emails,
  (SELECT count(*)::int FROM devices d WHERE d.contact_id = c.id) AS device_count
  FROM contacts c`;

const WHERE_SEARCH = `c.tenant_id = $1 AND ($2::text IS NULL
  OR lower(c.first_name || ' ' || c.last_name) LIKE $2 OR lower(c.last_name || ' ' || c.first_name) LIKE $2
  OR EXISTS (SELECT 1 FROM contact_emails e WHERE e.contact_id = c.id AND lower(e.address) LIKE $2))`;

function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

function toContact(row: SqlRow): Contact {
  return {
    id: String(row.id),
    tenantId: String(row.tenant_id),
    firstName: String(row.first_name),
    lastName: String(row.last_name),
    emails: parseJson(row.emails) as ContactEmail[],
    deviceCount: Number(row.device_count),
    createdAt: asDate(row.created_at),
    updatedAt: asDate(row.updated_at),
  };
}

const likePattern = (search: string): string =>
  `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class ContactRepository {
  constructor(private readonly sql: Sql) {}

  async create(input: NewContact): Promise<Contact> {
    const id = randomUUID();
    await this.sql.transaction(async (tx) => {
      await tx.query('INSERT INTO contacts (id, tenant_id, first_name, last_name) VALUES ($1, $2, $3, $4)', [
        id,
        input.tenantId,
        input.firstName.trim(),
        input.lastName.trim(),
      ]);
      await this.writeEmails(tx, id, input.emails);
    });
    return (await this.findById(input.tenantId, id))!;
  }

  async findById(tenantId: string, id: string): Promise<Contact | undefined> {
    const { rows } = await this.sql.query(`${SELECT} WHERE c.tenant_id = $1 AND c.id = $2`, [tenantId, id]);
    return rows[0] ? toContact(rows[0]) : undefined;
  }

  async list(options: ListContacts): Promise<{ items: Contact[]; total: number }> {
    const search = options.search?.trim() ? likePattern(options.search.trim()) : null;
    const order = options.order === 'desc' ? 'DESC' : 'ASC';
    const orderBy = ORDER_BY[options.sort ?? 'lastName'].replaceAll('%s', order);
    const { rows } = await this.sql.query(
      `${SELECT} WHERE ${WHERE_SEARCH} ORDER BY ${orderBy}, c.id LIMIT $3 OFFSET $4`,
      [options.tenantId, search, options.limit ?? 50, options.offset ?? 0],
    );
    const count = await this.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM contacts c WHERE ${WHERE_SEARCH}`,
      [options.tenantId, search],
    );
    return { items: rows.map(toContact), total: count.rows[0]?.n ?? 0 };
  }

  async update(
    tenantId: string,
    id: string,
    patch: { firstName?: string; lastName?: string; emails?: readonly ContactEmail[] },
  ): Promise<Contact> {
    await this.sql.transaction(async (tx) => {
      const { rowCount } = await tx.query(
        `UPDATE contacts SET first_name = coalesce($3, first_name), last_name = coalesce($4, last_name),
           updated_at = now() WHERE tenant_id = $1 AND id = $2`,
        [tenantId, id, patch.firstName?.trim() ?? null, patch.lastName?.trim() ?? null],
      );
      if (rowCount === 0) throw new NotFoundError('contact');
      if (patch.emails) {
        await tx.query('DELETE FROM contact_emails WHERE contact_id = $1', [id]);
        await this.writeEmails(tx, id, patch.emails);
      }
    });
    return (await this.findById(tenantId, id))!;
  }

  /** Deletes the contact (its devices go with it: the caller decides whether that is allowed). */
  async remove(tenantId: string, id: string): Promise<void> {
    const { rowCount } = await this.sql.query('DELETE FROM contacts WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      id,
    ]);
    if (rowCount === 0) throw new NotFoundError('contact');
  }

  private async writeEmails(tx: Sql, contactId: string, emails: readonly ContactEmail[]): Promise<void> {
    for (const [position, email] of emails.entries()) {
      await tx.query(
        'INSERT INTO contact_emails (contact_id, position, address, label) VALUES ($1, $2, $3, $4)',
        [contactId, position, email.address.trim(), email.label],
      );
    }
  }
}
