import { describe, expect, it } from 'vitest';
import { FakeClock } from '@switchboard/testkit';
import { DigitReader } from './digit-reader.ts';

describe('keys for menus', () => {
  it('keeps keys typed ahead, waits for the next one, and times out', async () => {
    const clock = new FakeClock();
    const digits = new DigitReader(clock);
    digits.push('1');
    expect(await digits.next(1000)).toBe('1');
    const waiting = digits.next(1000);
    digits.push('7');
    expect(await waiting).toBe('7');
    const late = digits.next(1000);
    clock.advance(1000);
    expect(await late).toBeUndefined();
  });

  it('collects a number ended by # or a pause; * starts over; the end of the call ends it', async () => {
    const clock = new FakeClock();
    const digits = new DigitReader(clock);
    for (const d of '12*2468#9') digits.push(d);
    expect(await digits.collect({ max: 12, timeoutMs: 5000 })).toBe('2468');
    const paused = digits.collect({ max: 12, timeoutMs: 5000 });
    await Promise.resolve();
    clock.advance(5000);
    expect(await paused).toBe('9');
    const open = digits.next(5000);
    digits.close();
    expect(await open).toBeUndefined();
    digits.push('5');
    expect(digits.pending).toBe(0);
  });

  it('a listener takes every key instead of the queue; onNext fires once', () => {
    const digits = new DigitReader(new FakeClock());
    const seen: string[] = [];
    let next = 0;
    digits.onNext(() => next++);
    digits.listener = (d) => seen.push(d);
    digits.push('1');
    digits.push('#');
    expect(seen).toEqual(['1', '#']);
    expect(next).toBe(1);
    expect(digits.pending).toBe(0);
  });
});
