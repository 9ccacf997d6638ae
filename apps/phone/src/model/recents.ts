// The call history (Recents): one record per call, kept on the device, merged with the PBX's
// history of the user's lines (GET /provisioning/call-history, every device of the user).
import type { CallHistoryEntry, DeviceRecording } from '@switchboard/contracts';
import type { CallDirection, CallOutcome } from '../calls/call-phase.ts';
import { sameNumber } from './phone-numbers.ts';

export interface CallRecord {
  readonly id: string;
  readonly direction: CallDirection;
  readonly number: string;
  /** The name SIP gave, for callers who are not contacts. */
  readonly name?: string;
  readonly lineId: string;
  readonly startedAt: string;
  readonly answeredAt?: string;
  readonly endedAt: string;
  readonly durationSeconds: number;
  readonly outcome: CallOutcome;
  /** The PBX's call record id, when the PBX knows this call (its history merged in). */
  readonly serverId?: string;
  /** Recordings of the call this device may play (from the PBX). */
  readonly recordings?: readonly DeviceRecording[];
  /** The line's name when it is not one of this device's lines (another device of the user). */
  readonly lineName?: string;
}

export type RecentsFilter = 'all' | 'inbound' | 'outbound' | 'missed';
export const RECENTS_FILTERS: readonly RecentsFilter[] = ['all', 'inbound', 'outbound', 'missed'];
export const MAX_RECORDS = 500;

/** "mm:ss" (minutes may pass 59: "75:03"). */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

export function wasSuccessful(record: Pick<CallRecord, 'outcome'>): boolean {
  return record.outcome === 'answered' || record.outcome === 'forwarded';
}

export function filterRecords(
  records: readonly CallRecord[],
  filter: RecentsFilter,
  numbers?: readonly string[],
): CallRecord[] {
  return records.filter((r) => {
    if (numbers && !numbers.some((n) => sameNumber(n, r.number))) return false;
    if (filter === 'inbound') return r.direction === 'inbound';
    if (filter === 'outbound') return r.direction === 'outbound';
    if (filter === 'missed') return r.direction === 'inbound' && !wasSuccessful(r);
    return true;
  });
}

/** A PBX call record as a Recents record (`lineIds`: this device's lines, by extension). */
export function fromServerEntry(entry: CallHistoryEntry, lineIds: ReadonlyMap<string, string>): CallRecord {
  const outcome: CallOutcome =
    entry.disposition === 'answered'
      ? 'answered'
      : entry.type === 'missed'
        ? 'missed'
        : entry.disposition === 'busy'
          ? 'busy'
          : entry.disposition === 'cancelled'
            ? 'cancelled'
            : 'failed';
  const started = Date.parse(entry.startedAt);
  const answered = entry.answeredAt ? Date.parse(entry.answeredAt) : undefined;
  const lineId = lineIds.get(entry.line.username) ?? entry.line.accountId ?? entry.line.username;
  return {
    id: `pbx:${entry.id}`,
    serverId: entry.id,
    direction: entry.type === 'outbound' ? 'outbound' : 'inbound',
    number: entry.number,
    ...(entry.name && entry.name !== entry.number && { name: entry.name }),
    lineId,
    ...(!lineIds.has(entry.line.username) && { lineName: entry.line.username }),
    startedAt: entry.startedAt,
    ...(entry.answeredAt && { answeredAt: entry.answeredAt }),
    endedAt: new Date((answered ?? started) + entry.durationSeconds * 1000).toISOString(),
    durationSeconds: entry.durationSeconds,
    outcome,
    ...(entry.recordings?.length && { recordings: entry.recordings }),
  };
}

/** The same call seen by the app and by the PBX: same direction and number, started within this. */
export const SAME_CALL_WINDOW_MS = 10_000;

/**
 * The device's records and the PBX's, newest first, each call once. A PBX record matches a
 * device record of the same direction, number and answered-or-not that started within
 * SAME_CALL_WINDOW_MS (the app has no Call-ID of its own records); the closest pairs are matched
 * first. The match keeps the device's record (its outcome is what the user saw) and adds the
 * PBX's id and recordings. `hidden`: PBX records the user deleted on this device.
 */
export function mergeRecords(
  local: readonly CallRecord[],
  server: readonly CallRecord[],
  hidden: ReadonlySet<string> = new Set(),
): CallRecord[] {
  const pairs: { l: number; s: number; gap: number }[] = [];
  local.forEach((record, l) => {
    const at = Date.parse(record.startedAt);
    server.forEach((candidate, i) => {
      const gap = Math.abs(Date.parse(candidate.startedAt) - at);
      if (
        gap <= SAME_CALL_WINDOW_MS &&
        candidate.direction === record.direction &&
        (candidate.answeredAt !== undefined) === (record.answeredAt !== undefined) &&
        sameNumber(candidate.number, record.number)
      )
        pairs.push({ l, s: i, gap });
    });
  });
  const twinOf = new Map<number, CallRecord>();
  const used = new Set<number>();
  for (const pair of pairs.sort((a, b) => a.gap - b.gap)) {
    if (twinOf.has(pair.l) || used.has(pair.s)) continue;
    twinOf.set(pair.l, server[pair.s]!);
    used.add(pair.s);
  }
  const merged = local.map((record, l) => {
    const twin = twinOf.get(l);
    if (!twin) return record;
    return {
      ...record,
      serverId: twin.serverId,
      ...(twin.recordings && { recordings: twin.recordings }),
    } as CallRecord;
  });
  server.forEach((s, i) => {
    if (!used.has(i) && !hidden.has(s.id)) merged.push(s);
  });
  return merged.sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt));
}
