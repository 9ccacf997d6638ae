import { describe, expect, it } from 'vitest';
import { formatEventList, intersectEvents, parseEventList } from './telephone-event.ts';

describe('telephone-event fmtp (RFC 4733 §7.1.1)', () => {
  it('parses ranges and lists, rejects junk', () => {
    expect([...parseEventList('0-3,10, 12')!]).toEqual([0, 1, 2, 3, 10, 12]);
    for (const bad of ['', '5-3', '0-256', 'a-b', '0-', ',', '1;2'])
      expect(parseEventList(bad), bad).toBeUndefined();
  });

  it('formats compactly and sorted', () => {
    expect(formatEventList([16, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15])).toBe('0-16');
    expect(formatEventList([70, 66, 0, 1])).toBe('0-1,66,70');
    expect(formatEventList([])).toBe('');
  });

  it('intersects with the RFC default 0-15 when the offer has no or a broken fmtp', () => {
    expect(intersectEvents('0-16', '0-15')).toBe('0-15');
    expect(intersectEvents(undefined, '0-16')).toBe('0-15');
    expect(intersectEvents('garbage', '0-16')).toBe('0-15');
    expect(intersectEvents('32-40', '0-16')).toBe('');
  });
});
