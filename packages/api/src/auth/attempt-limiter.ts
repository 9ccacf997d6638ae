// Counts failures per key (an account, an address) in a fixed window and blocks the key once
// it reaches the limit, until the window ends. In memory: one process. A shared store (Redis)
// would implement the same interface when several nodes serve the API.

export interface AttemptLimiter {
  /** Milliseconds until `key` may try again; 0 when it may now. */
  blockedFor(key: string, now: number): number;
  fail(key: string, now: number): void;
  reset(key: string): void;
}

export interface LimitOptions {
  readonly max: number;
  readonly windowMs: number;
}

export class MemoryAttemptLimiter implements AttemptLimiter {
  private readonly entries = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly options: LimitOptions) {}

  blockedFor(key: string, now: number): number {
    const entry = this.entries.get(key);
    if (!entry || entry.resetAt <= now) return 0;
    return entry.count >= this.options.max ? entry.resetAt - now : 0;
  }

  fail(key: string, now: number): void {
    const entry = this.entries.get(key);
    if (!entry || entry.resetAt <= now) {
      if (this.entries.size >= 100_000) this.prune(now);
      this.entries.set(key, { count: 1, resetAt: now + this.options.windowMs });
    } else entry.count++;
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  private prune(now: number): void {
    for (const [key, entry] of this.entries) if (entry.resetAt <= now) this.entries.delete(key);
  }
}
