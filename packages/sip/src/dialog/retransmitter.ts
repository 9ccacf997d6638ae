// Repeats a message on the injected clock until stopped or a deadline passes. Used by the UAS
// core for the 2xx to INVITE (RFC 3261 §13.3.1.4: T1 doubling up to T2, for 64*T1) and for
// reliable provisional responses (RFC 3262 §3: T1 doubling, for 64*T1).
import type { Clock, TimerHandle } from '../core/clock.ts';

export interface RetransmitterOptions {
  readonly clock: Clock;
  /** First interval (T1). */
  readonly initialMs: number;
  /** Largest interval (T2 for 2xx); unbounded when undefined. */
  readonly capMs?: number;
  /** Total time before giving up (64*T1). */
  readonly deadlineMs: number;
  readonly send: () => void;
  readonly giveUp: () => void;
}

export class Retransmitter {
  private interval: number;
  private next: TimerHandle | undefined;
  private deadline: TimerHandle | undefined;
  private active = true;

  constructor(private readonly options: RetransmitterOptions) {
    this.interval = options.initialMs;
    this.schedule();
    this.deadline = options.clock.setTimer(options.deadlineMs, () => {
      if (!this.active) return;
      this.stop();
      options.giveUp();
    });
  }

  get running(): boolean {
    return this.active;
  }

  stop(): void {
    this.active = false;
    this.next?.cancel();
    this.deadline?.cancel();
    this.next = undefined;
    this.deadline = undefined;
  }

  private schedule(): void {
    this.next = this.options.clock.setTimer(this.interval, () => {
      if (!this.active) return;
      this.options.send();
      const doubled = this.interval * 2;
      this.interval = this.options.capMs === undefined ? doubled : Math.min(doubled, this.options.capMs);
      this.schedule();
    });
  }
}
