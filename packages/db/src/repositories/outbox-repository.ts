// The mail outbox: messages kept for the portal to show when no SMTP server is configured.
import { randomUUID } from 'node:crypto';
import type { Sql, SqlRow } from '../sql.ts';
import { asDate, asStringOrNull } from './row.ts';

export interface OutboxAttachment {
  readonly filename: string;
  readonly contentType: string;
  /** Content-ID the HTML refers to (`cid:…`), if inline. */
  readonly cid?: string;
  readonly base64: string;
}

export interface OutboxMail {
  readonly id: string;
  readonly tenantId: string | null;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string | null;
  readonly attachments: readonly OutboxAttachment[];
  readonly createdAt: Date;
}

export type NewOutboxMail = Omit<OutboxMail, 'id' | 'createdAt'>;

function toMail(row: SqlRow): OutboxMail {
  return {
    id: String(row.id),
    tenantId: asStringOrNull(row.tenant_id),
    to: String(row.to_address),
    subject: String(row.subject),
    text: String(row.text_body),
    html: asStringOrNull(row.html_body),
    attachments: (typeof row.attachments === 'string'
      ? JSON.parse(row.attachments)
      : row.attachments) as OutboxAttachment[],
    createdAt: asDate(row.created_at),
  };
}

export class OutboxRepository {
  constructor(private readonly sql: Sql) {}

  async add(mail: NewOutboxMail): Promise<OutboxMail> {
    const { rows } = await this.sql.query(
      `INSERT INTO mail_outbox (id, tenant_id, to_address, subject, text_body, html_body, attachments)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) RETURNING *`,
      [
        randomUUID(),
        mail.tenantId,
        mail.to,
        mail.subject,
        mail.text,
        mail.html,
        JSON.stringify(mail.attachments),
      ],
    );
    return toMail(rows[0]!);
  }

  /** Newest first; `tenantId` null lists every tenant's mail (operators). */
  async list(options: { tenantId: string | null; to?: string; limit?: number; offset?: number }): Promise<{
    items: OutboxMail[];
    total: number;
  }> {
    const where =
      '($1::uuid IS NULL OR tenant_id = $1) AND ($2::text IS NULL OR lower(to_address) = lower($2))';
    const params = [options.tenantId, options.to ?? null];
    const { rows } = await this.sql.query(
      `SELECT * FROM mail_outbox WHERE ${where} ORDER BY created_at DESC, id LIMIT $3 OFFSET $4`,
      [...params, options.limit ?? 50, options.offset ?? 0],
    );
    const count = await this.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM mail_outbox WHERE ${where}`,
      params,
    );
    return { items: rows.map(toMail), total: count.rows[0]?.n ?? 0 };
  }

  async findById(tenantId: string | null, id: string): Promise<OutboxMail | undefined> {
    const { rows } = await this.sql.query(
      'SELECT * FROM mail_outbox WHERE id = $2 AND ($1::uuid IS NULL OR tenant_id = $1)',
      [tenantId, id],
    );
    return rows[0] ? toMail(rows[0]) : undefined;
  }
}
