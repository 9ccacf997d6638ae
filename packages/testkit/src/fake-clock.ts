// A Clock whose time moves only when a test says so. Timers run synchronously inside
// advance(), in due-time order (ties in scheduling order), so a test can play 64*T1 seconds of
// SIP retransmissions in microseconds and see every step deterministically.
import type { Clock, TimerHandle } from '@switchboard/sip';

interface Scheduled {
  readonly due: number;
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

export class FakeClock implements Clock {
  private time: number;
  private seq = 0;
  private queue: Scheduled[] = [];

  constructor(startMs = 0) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    const entry: Scheduled = {
      due: this.time + Math.max(0, delayMs),
      seq: this.seq++,
      callback,
      cancelled: false,
    };
    // Keep the queue sorted by (due, seq): insert after every entry due at or before this one.
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.queue[mid]!.due <= entry.due) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, entry);
    return {
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  /** Number of timers scheduled and not yet fired or cancelled. */
  get pendingTimers(): number {
    return this.queue.filter((e) => !e.cancelled).length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due, including ones they set. */
  advance(ms: number): void {
    this.advanceTo(this.time + ms);
  }

  /** Moves time to `target`, firing due timers in order. */
  advanceTo(target: number): void {
    for (;;) {
      const next = this.takeNext(target);
      if (!next) break;
      this.time = next.due;
      next.callback();
    }
    if (target > this.time) this.time = target;
  }

  /**
   * Like advance(), but lets promise continuations run before each timer and at the end, for
   * code that mixes timers with async steps (e.g. Digest verification, which is async).
   */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      await flushMicrotasks();
      const next = this.takeNext(target);
      if (!next) break;
      this.time = next.due;
      next.callback();
    }
    if (target > this.time) this.time = target;
    await flushMicrotasks();
  }

  /**
   * Fires timers until none is left or `limitMs` of fake time passed; returns the time spent.
   * Bounded so a timer that reschedules itself forever cannot hang a test.
   */
  runAll(limitMs = 3_600_000): number {
    const start = this.time;
    this.advanceTo(start + limitMs);
    return this.time - start;
  }

  private takeNext(until: number): Scheduled | undefined {
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      if (head.cancelled) {
        this.queue.shift();
        continue;
      }
      if (head.due > until) return undefined;
      this.queue.shift();
      return head;
    }
    return undefined;
  }
}

/** Resolves after every queued promise continuation ran (a macrotask boundary). */
function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
