// Event-loop lag, the overload signal of a single-threaded server: a repeating timer notes how
// late it fires, averaged over about a second (an exponential moving average, a fifth of each
// new sample per 100 ms tick), so one long pause — a garbage collection, the host descheduling
// us for a moment — does not read as overload, but a loop that stays behind does.
export class EventLoopLag {
  private lag = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private expected = 0;

  constructor(private readonly intervalMs = 100) {}

  /** Lag in milliseconds (0 while stopped). */
  get currentMs(): number {
    return this.lag;
  }

  start(): this {
    if (this.timer) return this;
    this.expected = performance.now() + this.intervalMs;
    this.timer = setInterval(() => {
      const now = performance.now();
      const sample = Math.max(0, now - this.expected);
      this.expected = now + this.intervalMs;
      this.lag = this.lag * 0.8 + sample * 0.2;
    }, this.intervalMs);
    this.timer.unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.lag = 0;
  }
}
