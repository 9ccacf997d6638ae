// The audit log: every change an administrator (or a script with a token, or the CLI) makes.
import type { Sql, SqlRow } from '../sql.ts';
import { asDate, asStringOrNull } from './row.ts';

export interface AuditEntry {
  readonly id: number;
  readonly tenantId: string;
  readonly at: Date;
  readonly actorUserId: string | null;
  readonly actor: string;
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string | null;
  readonly details: Record<string, unknown>;
  readonly ip: string | null;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'>;

export interface ListAudit {
  readonly tenantId: string;
  readonly action?: string;
  readonly targetType?: string;
  readonly targetId?: string;
  readonly limit?: number;
  readonly offset?: number;
}

function toEntry(row: SqlRow): AuditEntry {
  return {
    id: Number(row.id),
    tenantId: String(row.tenant_id),
    at: asDate(row.at),
    actorUserId: asStringOrNull(row.actor_user_id),
    actor: String(row.actor),
    action: String(row.action),
    targetType: String(row.target_type),
    targetId: asStringOrNull(row.target_id),
    details: (typeof row.details === 'string' ? JSON.parse(row.details) : row.details) as Record<
      string,
      unknown
    >,
    ip: asStringOrNull(row.ip),
  };
}

export class AuditRepository {
  constructor(private readonly sql: Sql) {}

  async append(entry: NewAuditEntry): Promise<void> {
    await this.sql.query(
      `INSERT INTO audit_log (tenant_id, actor_user_id, actor, action, target_type, target_id, details, ip)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)`,
      [
        entry.tenantId,
        entry.actorUserId,
        entry.actor,
        entry.action,
        entry.targetType,
        entry.targetId,
        JSON.stringify(entry.details),
        entry.ip,
      ],
    );
  }

  /** Newest first. */
  async list(options: ListAudit): Promise<{ items: AuditEntry[]; total: number }> {
    const where = `tenant_id = $1 AND ($2::text IS NULL OR action = $2) AND ($3::text IS NULL OR target_type = $3)
      AND ($4::text IS NULL OR target_id = $4)`;
    const params = [
      options.tenantId,
      options.action ?? null,
      options.targetType ?? null,
      options.targetId ?? null,
    ];
    const { rows } = await this.sql.query(
      `SELECT * FROM audit_log WHERE ${where} ORDER BY id DESC LIMIT $5 OFFSET $6`,
      [...params, options.limit ?? 50, options.offset ?? 0],
    );
    const count = await this.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE ${where}`,
      params,
    );
    return { items: rows.map(toEntry), total: count.rows[0]?.n ?? 0 };
  }
}
