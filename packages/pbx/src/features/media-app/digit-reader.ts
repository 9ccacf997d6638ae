// Keys pressed on a phone the PBX answered (RFC 4733 digits from its media endpoint), for menus:
// keys typed ahead wait in a queue (a caller who knows the menu need not hear it to the end);
// `next` waits for one key, `collect` for a number ended by `#` or a pause. An app that reacts
// to single keys (a conference) sets `listener` instead.
import type { Clock, TimerHandle } from '@switchboard/sip';

export class DigitReader {
  /** When set, every key goes here instead of the queue. */
  listener: ((digit: string) => void) | undefined;
  private readonly queue: string[] = [];
  private waiters: ((digit: string | undefined) => void)[] = [];
  private watchers: (() => void)[] = [];
  private closed = false;

  constructor(private readonly clock: Clock) {}

  /** Keys typed and not read yet. */
  get pending(): number {
    return this.queue.length;
  }

  push(digit: string): void {
    if (this.closed) return;
    const watchers = this.watchers;
    this.watchers = [];
    for (const w of watchers) w();
    if (this.listener) return this.listener(digit);
    const waiter = this.waiters.shift();
    if (waiter) waiter(digit);
    else this.queue.push(digit);
  }

  /** Calls `fn` once at the next key; returns a function that cancels it. */
  onNext(fn: () => void): () => void {
    this.watchers.push(fn);
    return () => (this.watchers = this.watchers.filter((w) => w !== fn));
  }

  /** The next key, or undefined after `timeoutMs` (or when the call ends). */
  next(timeoutMs: number): Promise<string | undefined> {
    const queued = this.queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const pending: { timer?: TimerHandle } = {};
      const waiter = (digit: string | undefined): void => {
        pending.timer?.cancel();
        resolve(digit);
      };
      this.waiters.push(waiter);
      pending.timer = this.clock.setTimer(timeoutMs, () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(undefined);
      });
    });
  }

  /**
   * Up to `max` keys ended by `#` (not included) or a pause of `timeoutMs`; '' when nothing
   * was typed. `*` starts over.
   */
  async collect(options: { readonly max: number; readonly timeoutMs: number }): Promise<string> {
    let typed = '';
    while (typed.length < options.max) {
      const digit = await this.next(options.timeoutMs);
      if (digit === undefined || digit === '#') break;
      typed = digit === '*' ? '' : typed + digit;
    }
    return typed;
  }

  clear(): void {
    this.queue.length = 0;
  }

  /** The call ended: waiting readers get undefined. */
  close(): void {
    this.closed = true;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w(undefined);
  }
}
