// Event-loop lag, the overload signal of a single-threaded server: a repeating timer notes how
// late it fires. The value rises at once with a late tick and decays over a few ticks, so one
// long garbage collection does not read as lasting overload but a busy loop does.
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
      // Fast attack, slow decay (about a fifth per tick).
      this.lag = sample >= this.lag ? sample : this.lag * 0.8 + sample * 0.2;
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
