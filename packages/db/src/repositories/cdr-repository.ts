// Call detail records: one per call attempt, written by the PBX when the call ends. The PBX
// chooses the id when the call starts, so writing the same record twice (a retried flush at
// shutdown) stores it once. Durations are derived here from the times, never passed in.
import { randomUUID } from 'node:crypto';
import type { Sql, SqlRow } from '../sql.ts';
import { assertValid, checkText, type Check } from '../validation.ts';
import { asDate, asDateOrNull, asNumberOrNull, asStringOrNull } from './row.ts';

export type CallDirection = 'internal' | 'inbound' | 'outbound';
export type Disposition = 'answered' | 'busy' | 'no_answer' | 'failed' | 'cancelled';
export type HangupSide = 'caller' | 'callee' | 'system';

export const DISPOSITIONS: readonly Disposition[] = ['answered', 'busy', 'no_answer', 'failed', 'cancelled'];
const DIRECTIONS: readonly CallDirection[] = ['internal', 'inbound', 'outbound'];
const SIDES: readonly HangupSide[] = ['caller', 'callee', 'system'];

export interface NewCdr {
  /** Default: a new UUID. Pass the call's own id to make retries idempotent. */
  readonly id?: string;
  readonly tenantId: string;
  readonly direction: CallDirection;
  /** Caller's number or URI user part as presented. */
  readonly caller: string;
  readonly callee: string;
  /** The number the caller dialled (before any forwarding); null when unknown (older records). */
  readonly dialled?: string | null;
  /** The extensions that diverted the call to `callee`, in order (forwarding, voicemail). */
  readonly divertedFrom?: readonly string[];
  readonly callerAccountId?: string | null;
  readonly calleeAccountId?: string | null;
  readonly startedAt: Date;
  /** Set exactly when the disposition is 'answered'. */
  readonly answeredAt?: Date | null;
  readonly endedAt: Date;
  readonly disposition: Disposition;
  /** Why the call ended: 'normal_clearing', 'rtp_timeout', 'max_duration', 'sip_486', … */
  readonly hangupCause: string;
  readonly hangupSide: HangupSide;
  /** Final SIP status of an unanswered call (486, 480, 487, …). */
  readonly sipStatus?: number | null;
  /** Call-IDs of every SIP dialog of the call (both legs of the B2BUA, forks). */
  readonly sipCallIds: readonly string[];
  /** The SIP trunk of an inbound or outbound call (stored only while the trunk exists). */
  readonly trunkId?: string | null;
}

export interface Cdr extends Required<
  Omit<NewCdr, 'answeredAt' | 'sipStatus' | 'callerAccountId' | 'calleeAccountId' | 'trunkId' | 'dialled'>
> {
  readonly dialled: string | null;
  readonly trunkId: string | null;
  readonly callerAccountId: string | null;
  readonly calleeAccountId: string | null;
  readonly answeredAt: Date | null;
  readonly sipStatus: number | null;
  /** endedAt − startedAt, in milliseconds. */
  readonly durationMs: number;
  /** Talk time: endedAt − answeredAt rounded up to whole seconds; 0 when not answered. */
  readonly billableSeconds: number;
  readonly createdAt: Date;
}

export interface ListCdrs {
  readonly tenantId?: string;
  /**
   * Only calls where one of these numbers is the caller, the callee or one that diverted the call
   * (a user's call history).
   */
  readonly parties?: readonly string[];
  /** Default 50, at most 10,000. */
  readonly limit?: number;
  /** Keyset paging: records strictly older than this one (newest first). */
  readonly before?: { readonly startedAt: Date; readonly id: string };
}

const COLUMNS = `id, tenant_id, direction, caller, callee, caller_account_id, callee_account_id, started_at,
  answered_at, ended_at, duration_ms, billable_seconds, disposition, hangup_cause, hangup_side, sip_status,
  sip_call_ids, trunk_id, dialled, diverted_from, created_at`;

function toCdr(row: SqlRow): Cdr {
  return {
    id: String(row.id),
    tenantId: String(row.tenant_id),
    direction: row.direction as CallDirection,
    caller: String(row.caller),
    callee: String(row.callee),
    callerAccountId: asStringOrNull(row.caller_account_id),
    calleeAccountId: asStringOrNull(row.callee_account_id),
    startedAt: asDate(row.started_at),
    answeredAt: asDateOrNull(row.answered_at),
    endedAt: asDate(row.ended_at),
    durationMs: Number(row.duration_ms),
    billableSeconds: Number(row.billable_seconds),
    disposition: row.disposition as Disposition,
    hangupCause: String(row.hangup_cause),
    hangupSide: row.hangup_side as HangupSide,
    sipStatus: asNumberOrNull(row.sip_status),
    sipCallIds: (row.sip_call_ids as string[] | null) ?? [],
    trunkId: asStringOrNull(row.trunk_id),
    dialled: asStringOrNull(row.dialled),
    divertedFrom: (row.diverted_from as string[] | null) ?? [],
    createdAt: asDate(row.created_at),
  };
}

function check(cdr: NewCdr, index?: number): Check[] {
  const at = (c: Check): Check => (c && index !== undefined ? { ...c, index } : c);
  const answered = cdr.answeredAt ?? null;
  return [
    DIRECTIONS.includes(cdr.direction)
      ? undefined
      : { field: 'direction', message: 'expected internal, inbound or outbound' },
    DISPOSITIONS.includes(cdr.disposition)
      ? undefined
      : { field: 'disposition', message: `expected ${DISPOSITIONS.join(', ')}` },
    SIDES.includes(cdr.hangupSide)
      ? undefined
      : { field: 'hangupSide', message: 'expected caller, callee or system' },
    checkText('caller', cdr.caller, 0, 255),
    checkText('callee', cdr.callee, 0, 255),
    cdr.dialled == null ? undefined : checkText('dialled', cdr.dialled, 0, 255),
    (cdr.divertedFrom ?? []).every((n) => typeof n === 'string' && n.length >= 1 && n.length <= 255)
      ? undefined
      : { field: 'divertedFrom', message: 'expected numbers of 1 to 255 characters' },
    checkText('hangupCause', cdr.hangupCause, 1, 100),
    cdr.endedAt.getTime() >= cdr.startedAt.getTime()
      ? undefined
      : { field: 'endedAt', message: 'is before startedAt' },
    (answered !== null) === (cdr.disposition === 'answered')
      ? undefined
      : { field: 'answeredAt', message: "is set exactly when the disposition is 'answered'" },
    answered === null || (answered >= cdr.startedAt && answered <= cdr.endedAt)
      ? undefined
      : { field: 'answeredAt', message: 'is outside startedAt..endedAt' },
  ].map(at);
}

function durations(cdr: NewCdr): { durationMs: number; billableSeconds: number } {
  const durationMs = cdr.endedAt.getTime() - cdr.startedAt.getTime();
  const answered = cdr.answeredAt ?? null;
  const billableSeconds =
    answered === null ? 0 : Math.ceil((cdr.endedAt.getTime() - answered.getTime()) / 1000);
  return { durationMs, billableSeconds };
}

const INSERT = `INSERT INTO cdrs (id, tenant_id, direction, caller, callee, caller_account_id, callee_account_id,
    started_at, answered_at, ended_at, duration_ms, billable_seconds, disposition, hangup_cause, hangup_side,
    sip_status, sip_call_ids, trunk_id, dialled, diverted_from)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
    (SELECT id FROM trunks WHERE id = $18::uuid), $19, $20)
  ON CONFLICT (id) DO NOTHING`;

function params(cdr: NewCdr): unknown[] {
  const { durationMs, billableSeconds } = durations(cdr);
  return [
    cdr.id ?? randomUUID(),
    cdr.tenantId,
    cdr.direction,
    cdr.caller,
    cdr.callee,
    cdr.callerAccountId ?? null,
    cdr.calleeAccountId ?? null,
    cdr.startedAt,
    cdr.answeredAt ?? null,
    cdr.endedAt,
    durationMs,
    billableSeconds,
    cdr.disposition,
    cdr.hangupCause,
    cdr.hangupSide,
    cdr.sipStatus ?? null,
    [...cdr.sipCallIds],
    cdr.trunkId ?? null,
    cdr.dialled ?? null,
    [...(cdr.divertedFrom ?? [])],
  ];
}

export class CdrRepository {
  constructor(private readonly sql: Sql) {}

  /** Stores one record (or finds the one already stored under its id) and returns it. */
  async insert(cdr: NewCdr): Promise<Cdr> {
    assertValid(...check(cdr));
    const values = params(cdr);
    await this.sql.query(INSERT, values);
    const stored = await this.findById(String(values[0]));
    return stored!;
  }

  /** Stores many records in one transaction (shutdown flush); returns how many were new. */
  async insertMany(cdrs: readonly NewCdr[]): Promise<number> {
    assertValid(...cdrs.flatMap((cdr, i) => check(cdr, i)));
    return this.sql.transaction(async (tx) => {
      let added = 0;
      for (const cdr of cdrs) added += (await tx.query(INSERT, params(cdr))).rowCount;
      return added;
    });
  }

  async findById(id: string): Promise<Cdr | undefined> {
    const { rows } = await this.sql.query(`SELECT ${COLUMNS} FROM cdrs WHERE id = $1`, [id]);
    return rows[0] ? toCdr(rows[0]) : undefined;
  }

  /** Newest first. */
  async list(options: ListCdrs = {}): Promise<Cdr[]> {
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 10_000);
    const { rows } = await this.sql.query(
      `SELECT ${COLUMNS} FROM cdrs
       WHERE ($1::uuid IS NULL OR tenant_id = $1)
         AND ($2::timestamptz IS NULL OR (started_at, id) < ($2::timestamptz, $3::uuid))
         AND ($5::text[] IS NULL OR caller = ANY($5) OR callee = ANY($5) OR diverted_from && $5)
       ORDER BY started_at DESC, id DESC
       LIMIT $4`,
      [
        options.tenantId ?? null,
        options.before?.startedAt ?? null,
        options.before?.id ?? null,
        limit,
        options.parties ? [...options.parties] : null,
      ],
    );
    return rows.map(toCdr);
  }

  async count(tenantId?: string): Promise<number> {
    const { rows } = await this.sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM cdrs WHERE ($1::uuid IS NULL OR tenant_id = $1)',
      [tenantId ?? null],
    );
    return rows[0]?.n ?? 0;
  }
}
