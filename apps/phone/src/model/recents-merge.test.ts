import { describe, expect, it } from 'vitest';
import type { CallHistoryEntry } from '@switchboard/contracts';
import { fromServerEntry, mergeRecords, type CallRecord } from './recents.ts';

const entry = (over: Partial<CallHistoryEntry>): CallHistoryEntry => ({
  id: 'cdr-1',
  type: 'outbound',
  number: '1003',
  name: 'Carol',
  line: { accountId: 'acc-1', username: '1001' },
  startedAt: '2030-01-01T12:00:01.000Z',
  answeredAt: '2030-01-01T12:00:03.000Z',
  durationSeconds: 10,
  disposition: 'answered',
  ...over,
});
const lines = new Map([['1001', 'acc-1']]);

describe('the PBX’s history in Recents', () => {
  it('maps types and dispositions to the app’s directions and outcomes', () => {
    const out = fromServerEntry(entry({}), lines);
    expect(out).toMatchObject({
      id: 'pbx:cdr-1',
      serverId: 'cdr-1',
      direction: 'outbound',
      number: '1003',
      name: 'Carol',
      lineId: 'acc-1',
      durationSeconds: 10,
      outcome: 'answered',
      endedAt: '2030-01-01T12:00:13.000Z',
    });
    expect(out.lineName).toBeUndefined();
    expect(fromServerEntry(entry({ type: 'missed', disposition: 'no_answer' }), lines)).toMatchObject({
      direction: 'inbound',
      outcome: 'missed',
    });
    expect(fromServerEntry(entry({ disposition: 'busy', answeredAt: null }), lines).outcome).toBe('busy');
    // A line of another device of the user keeps its extension as the line's name.
    const other = fromServerEntry(entry({ line: { accountId: 'acc-9', username: '1009' } }), lines);
    expect(other).toMatchObject({ lineId: 'acc-9', lineName: '1009' });
    // No name beyond the number: none is kept.
    expect(fromServerEntry(entry({ name: '1003' }), lines).name).toBeUndefined();
  });

  it('merges each call once (same direction, number and answered-or-not, closest start within 10 s), newest first', () => {
    const local: CallRecord[] = [
      {
        id: 'local-1',
        direction: 'outbound',
        number: '1003',
        lineId: 'acc-1',
        startedAt: '2030-01-01T12:00:00.000Z',
        answeredAt: '2030-01-01T12:00:03.000Z',
        endedAt: '2030-01-01T12:00:13.000Z',
        durationSeconds: 10,
        outcome: 'answered',
      },
    ];
    const recordings = [
      {
        id: 'rec-1',
        callId: 'c',
        caller: '1001',
        callee: '1003',
        durationMs: 3000,
        trigger: 'on-demand' as const,
        startedAt: '2030-01-01T12:00:04.000Z',
        endedAt: '2030-01-01T12:00:07.000Z',
        audioUrl: '/api/v1/provisioning/recordings/rec-1/audio',
      },
    ];
    const server = [
      fromServerEntry(entry({ recordings }), lines),
      fromServerEntry(
        entry({ id: 'cdr-2', type: 'missed', number: '1002', startedAt: '2030-01-01T12:05:00.000Z' }),
        lines,
      ),
      // Same number, but the other direction: another call.
      fromServerEntry(entry({ id: 'cdr-3', type: 'inbound', startedAt: '2030-01-01T12:00:02.000Z' }), lines),
      // Same number and direction, too far apart: another call.
      fromServerEntry(entry({ id: 'cdr-4', startedAt: '2030-01-01T11:00:00.000Z' }), lines),
    ];
    const merged = mergeRecords(local, server);
    expect(merged.map((r) => r.id)).toEqual(['pbx:cdr-2', 'pbx:cdr-3', 'local-1', 'pbx:cdr-4']);
    expect(merged[2]).toMatchObject({ serverId: 'cdr-1', recordings });
    // The closest call wins, and an answered call is never one that was not (the PBX refused a
    // second call 3 s after an answered one).
    const answered: CallRecord = {
      ...local[0]!,
      id: 'local-2',
      direction: 'inbound',
      number: '1001',
      answeredAt: '2030-01-01T12:00:00.500Z',
    };
    const refused = fromServerEntry(
      entry({
        id: 'cdr-5',
        type: 'missed',
        number: '1001',
        startedAt: '2030-01-01T12:00:03.000Z',
        answeredAt: null,
        disposition: 'no_answer',
      }),
      lines,
    );
    const took = fromServerEntry(
      entry({ id: 'cdr-6', type: 'inbound', number: '1001', startedAt: '2030-01-01T11:59:59.000Z' }),
      lines,
    );
    const pair = mergeRecords([answered], [refused, took]);
    expect(pair.map((r) => [r.id, r.serverId])).toEqual([
      ['pbx:cdr-5', 'cdr-5'],
      ['local-2', 'cdr-6'],
    ]);
    // Records deleted on this device stay hidden.
    expect(mergeRecords(local, server, new Set(['pbx:cdr-2'])).map((r) => r.id)).not.toContain('pbx:cdr-2');
  });
});
