import { describe, expect, it } from 'vitest';
import { filterRecords, formatDuration, type CallRecord } from './recents.ts';
import { activeNoteCount, notesOf, type Note } from './notes.ts';
import { clearWheel, pinOnWheel, removeFromWheel, touchWheel, visibleWheel, WHEEL_SLOTS } from './wheel.ts';

describe('recents', () => {
  it('formats durations as mm:ss', () => {
    expect(formatDuration(0)).toBe('00:00');
    expect(formatDuration(65)).toBe('01:05');
    expect(formatDuration(4503)).toBe('75:03');
  });

  it('filters by direction, missed calls and number', () => {
    const base = { lineId: 'l', startedAt: '', endedAt: '', durationSeconds: 0 };
    const records: CallRecord[] = [
      { ...base, id: '1', direction: 'inbound', number: '1002', outcome: 'answered' },
      { ...base, id: '2', direction: 'inbound', number: '1003', outcome: 'missed' },
      { ...base, id: '3', direction: 'outbound', number: '1002', outcome: 'busy' },
    ];
    const ids = (list: CallRecord[]) => list.map((r) => r.id);
    expect(ids(filterRecords(records, 'all'))).toEqual(['1', '2', '3']);
    expect(ids(filterRecords(records, 'inbound'))).toEqual(['1', '2']);
    expect(ids(filterRecords(records, 'outbound'))).toEqual(['3']);
    expect(ids(filterRecords(records, 'missed'))).toEqual(['2']);
    expect(ids(filterRecords(records, 'all', ['1002']))).toEqual(['1', '3']);
  });
});

describe('notes', () => {
  it('lists a subject’s notes, archived last, and counts the others', () => {
    const note = (id: string, archived: boolean, createdAt: string, subject = 'contact:a'): Note => ({
      id,
      subject,
      text: id,
      archived,
      createdAt,
      updatedAt: createdAt,
    });
    const notes = [
      note('old', false, '2024-01-01'),
      note('arch', true, '2024-03-01'),
      note('new', false, '2024-02-01'),
      note('x', false, '2024-01-01', 'self'),
    ];
    expect(notesOf(notes, 'contact:a').map((n) => n.id)).toEqual(['new', 'old', 'arch']);
    expect(activeNoteCount(notes, 'contact:a')).toBe(2);
  });
});

describe('activities wheel', () => {
  it('keeps the newest first, pinned before the rest, and clears three ways', () => {
    let wheel = touchWheel([], 'a', 1);
    wheel = touchWheel(wheel, 'b', 2);
    wheel = pinOnWheel(wheel, 'a', true, 3);
    wheel = touchWheel(wheel, 'c', 4);
    expect(visibleWheel(wheel).map((e) => e.key)).toEqual(['a', 'c', 'b']);
    expect(clearWheel(wheel, 'except-pinned').map((e) => e.key)).toEqual(['a']);
    expect(clearWheel(wheel, 'all')).toEqual([]);
    expect(removeFromWheel(wheel, 'c').map((e) => e.key)).toEqual(['a', 'b']);
    for (let i = 0; i < WHEEL_SLOTS + 2; i++) wheel = touchWheel(wheel, `n${i}`, 10 + i);
    const hidden = wheel.length - WHEEL_SLOTS;
    expect(clearWheel(wheel, 'visible')).toHaveLength(hidden);
  });
});
