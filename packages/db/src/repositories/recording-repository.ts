// Call recordings of the built-in PBX (issue 7): each extension's policy, the tenant's settings
// (channels, retention), and one row per recording, linked to its call by the caller leg's SIP
// Call-ID (which the call record lists among its sip_call_ids). Files are relative to DATA_DIR.
import type { Sql, SqlRow } from '../sql.ts';
import { NotFoundError } from '../errors.ts';
import { assertValid, checkText } from '../validation.ts';
import { asDate } from './row.ts';

export type RecordingPolicy = 'off' | 'inbound' | 'outbound' | 'all';
export const RECORDING_POLICIES: readonly RecordingPolicy[] = ['off', 'inbound', 'outbound', 'all'];

export interface RecordingSettings {
  readonly channels: 1 | 2;
  /** Recordings older than this are deleted; null keeps them forever. */
  readonly retentionDays: number | null;
}

export const DEFAULT_RECORDING_SETTINGS: RecordingSettings = Object.freeze({
  channels: 1,
  retentionDays: null,
});

export interface NewCallRecording {
  readonly id: string;
  readonly tenantId: string;
  readonly sipCallId: string;
  readonly caller: string;
  readonly callee: string;
  /** Relative to DATA_DIR. */
  readonly file: string;
  readonly channels: number;
  readonly durationMs: number;
  readonly trigger: 'policy' | 'on-demand';
  readonly startedAt: Date;
  readonly endedAt: Date;
}

export interface CallRecordingRow extends NewCallRecording {
  readonly createdAt: Date;
}

const COLUMNS =
  'id, tenant_id, sip_call_id, caller, callee, file, channels, duration_ms, trigger, started_at, ended_at, created_at';

function toRecording(row: SqlRow): CallRecordingRow {
  return {
    id: String(row.id),
    tenantId: String(row.tenant_id),
    sipCallId: String(row.sip_call_id),
    caller: String(row.caller),
    callee: String(row.callee),
    file: String(row.file),
    channels: Number(row.channels),
    durationMs: Number(row.duration_ms),
    trigger: row.trigger as 'policy' | 'on-demand',
    startedAt: asDate(row.started_at),
    endedAt: asDate(row.ended_at),
    createdAt: asDate(row.created_at),
  };
}

export class RecordingRepository {
  constructor(private readonly sql: Sql) {}

  /** An extension's policy ('off' for unknown extensions). */
  async policy(tenantId: string, username: string): Promise<RecordingPolicy> {
    const { rows } = await this.sql.query<{ recording_policy: RecordingPolicy }>(
      `SELECT a.recording_policy FROM sip_accounts a
       JOIN providers p ON p.id = a.provider_id AND p.kind = 'builtin'
       WHERE a.tenant_id = $1 AND a.username = $2`,
      [tenantId, username],
    );
    return rows[0]?.recording_policy ?? 'off';
  }

  /** Sets an extension's policy; false when the tenant has no such extension. */
  async setPolicy(tenantId: string, username: string, policy: RecordingPolicy): Promise<boolean> {
    assertValid(
      RECORDING_POLICIES.includes(policy)
        ? undefined
        : { field: 'policy', message: 'expected off, inbound, outbound or all' },
    );
    const { rowCount } = await this.sql.query(
      `UPDATE sip_accounts a SET recording_policy = $3, updated_at = now()
       FROM providers p WHERE p.id = a.provider_id AND p.kind = 'builtin'
         AND a.tenant_id = $1 AND a.username = $2`,
      [tenantId, username, policy],
    );
    return rowCount > 0;
  }

  async settings(tenantId: string): Promise<RecordingSettings> {
    const { rows } = await this.sql.query(
      'SELECT channels, retention_days FROM tenant_recording_settings WHERE tenant_id = $1',
      [tenantId],
    );
    const row = rows[0];
    if (!row) return DEFAULT_RECORDING_SETTINGS;
    return {
      channels: Number(row.channels) === 2 ? 2 : 1,
      retentionDays: row.retention_days === null ? null : Number(row.retention_days),
    };
  }

  async updateSettings(tenantId: string, patch: Partial<RecordingSettings>): Promise<RecordingSettings> {
    assertValid(
      patch.channels === undefined || patch.channels === 1 || patch.channels === 2
        ? undefined
        : { field: 'channels', message: 'expected 1 or 2' },
      patch.retentionDays === undefined ||
        patch.retentionDays === null ||
        (Number.isInteger(patch.retentionDays) && patch.retentionDays >= 1 && patch.retentionDays <= 36500)
        ? undefined
        : { field: 'retentionDays', message: 'expected whole days, 1-36500, or null to keep recordings' },
    );
    const next = { ...(await this.settings(tenantId)), ...definedOnly(patch) };
    await this.sql.query(
      `INSERT INTO tenant_recording_settings (tenant_id, channels, retention_days) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id) DO UPDATE SET channels = $2, retention_days = $3, updated_at = now()`,
      [tenantId, next.channels, next.retentionDays],
    );
    return next;
  }

  async insert(recording: NewCallRecording): Promise<CallRecordingRow> {
    assertValid(
      checkText('sipCallId', recording.sipCallId, 1, 255),
      checkText('file', recording.file, 1, 500),
      checkText('caller', recording.caller, 0, 255),
      checkText('callee', recording.callee, 0, 255),
    );
    const { rows } = await this.sql.query(
      `INSERT INTO call_recordings (id, tenant_id, sip_call_id, caller, callee, file, channels, duration_ms,
         trigger, started_at, ended_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${COLUMNS}`,
      [
        recording.id,
        recording.tenantId,
        recording.sipCallId,
        recording.caller,
        recording.callee,
        recording.file,
        recording.channels,
        Math.max(0, Math.round(recording.durationMs)),
        recording.trigger,
        recording.startedAt,
        recording.endedAt,
      ],
    );
    return toRecording(rows[0]!);
  }

  async findById(tenantId: string, id: string): Promise<CallRecordingRow | undefined> {
    const { rows } = await this.sql.query(
      `SELECT ${COLUMNS} FROM call_recordings WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    return rows[0] ? toRecording(rows[0]) : undefined;
  }

  /** The recordings of one call record (by its SIP Call-IDs), oldest first. */
  async listForCdr(tenantId: string, cdrId: string): Promise<CallRecordingRow[]> {
    const { rows: cdr } = await this.sql.query<{ sip_call_ids: string[] }>(
      'SELECT sip_call_ids FROM cdrs WHERE tenant_id = $1 AND id = $2',
      [tenantId, cdrId],
    );
    if (!cdr[0]) throw new NotFoundError('call');
    return this.listForCalls(tenantId, cdr[0].sip_call_ids);
  }

  async listForCalls(tenantId: string, sipCallIds: readonly string[]): Promise<CallRecordingRow[]> {
    if (sipCallIds.length === 0) return [];
    const { rows } = await this.sql.query(
      `SELECT ${COLUMNS} FROM call_recordings WHERE tenant_id = $1 AND sip_call_id = ANY($2::text[])
       ORDER BY started_at, id`,
      [tenantId, [...sipCallIds]],
    );
    return rows.map(toRecording);
  }

  /** Recordings where one of these extensions was the caller or the callee, newest first. */
  async listForParties(
    tenantId: string,
    usernames: readonly string[],
    limit = 50,
  ): Promise<CallRecordingRow[]> {
    if (usernames.length === 0) return [];
    const { rows } = await this.sql.query(
      `SELECT ${COLUMNS} FROM call_recordings
       WHERE tenant_id = $1 AND (caller = ANY($2::text[]) OR callee = ANY($2::text[]))
       ORDER BY started_at DESC, id DESC LIMIT $3`,
      [tenantId, [...usernames], Math.min(Math.max(limit, 1), 1000)],
    );
    return rows.map(toRecording);
  }

  /** Newest first. */
  async list(tenantId: string, limit = 50): Promise<CallRecordingRow[]> {
    const { rows } = await this.sql.query(
      `SELECT ${COLUMNS} FROM call_recordings WHERE tenant_id = $1 ORDER BY started_at DESC, id DESC LIMIT $2`,
      [tenantId, Math.min(Math.max(limit, 1), 1000)],
    );
    return rows.map(toRecording);
  }

  /** Recordings older than their tenant's retention at `now` (every tenant). */
  async expired(now: Date, limit = 500): Promise<CallRecordingRow[]> {
    const { rows } = await this.sql.query(
      `SELECT ${COLUMNS.split(', ')
        .map((c) => `r.${c}`)
        .join(', ')}
       FROM call_recordings r JOIN tenant_recording_settings s ON s.tenant_id = r.tenant_id
       WHERE s.retention_days IS NOT NULL AND r.started_at < $1::timestamptz - make_interval(days => s.retention_days)
       ORDER BY r.started_at LIMIT $2`,
      [now, limit],
    );
    return rows.map(toRecording);
  }

  async remove(tenantId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.sql.query(
      'DELETE FROM call_recordings WHERE tenant_id = $1 AND id = $2',
      [tenantId, id],
    );
    return rowCount > 0;
  }
}

function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
