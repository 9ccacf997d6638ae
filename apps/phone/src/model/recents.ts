// The call history (Recents): one record per call, kept on the device.
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
