import { describe, expect, it } from 'vitest';
import { hostClock } from './clock.ts';

describe('hostClock', () => {
  it('schedules through the host functions it is given and cancels once', () => {
    const scheduled: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
    const clock = hostClock({
      setTimeout: (fn, ms) => {
        const entry = { fn, ms, cleared: false };
        scheduled.push(entry);
        return entry;
      },
      clearTimeout: (handle) => {
        (handle as unknown as { cleared: boolean }).cleared = true;
      },
      now: () => 1234,
    });
    let fired = 0;
    const handle = clock.setTimer(-5, () => fired++);
    expect(scheduled[0]!.ms).toBe(0);
    scheduled[0]!.fn();
    expect(fired).toBe(1);
    handle.cancel();
    handle.cancel();
    expect(scheduled[0]!.cleared).toBe(true);
    expect(clock.now()).toBe(1234);
  });
});
