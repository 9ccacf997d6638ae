// Where registrations live. The in-memory store serves one process; a shared store (Redis)
// implements the same interface when several PBX nodes run (ARCHITECTURE.md, live state).
import type { Binding } from './binding.ts';

export interface LocationStore {
  /** Current, unexpired bindings of one extension. */
  lookup(tenantId: string, username: string, now: number): Promise<readonly Binding[]>;
  /** Replaces the whole binding set of an extension atomically; returns the previous set. */
  replace(tenantId: string, username: string, bindings: readonly Binding[]): Promise<readonly Binding[]>;
  /** Removes and returns every binding that expired at `now`. */
  expire(now: number): Promise<readonly Binding[]>;
  /** Every current binding (for keep-alives and metrics). */
  all(now: number): Promise<readonly Binding[]>;
  /** Number of registered extensions with at least one binding. */
  count(now: number): Promise<number>;
}

const key = (tenantId: string, username: string): string => `${tenantId}\u0000${username}`;

export class MemoryLocationStore implements LocationStore {
  private readonly bindings = new Map<string, readonly Binding[]>();

  async lookup(tenantId: string, username: string, now: number): Promise<readonly Binding[]> {
    return (this.bindings.get(key(tenantId, username)) ?? []).filter((b) => b.expiresAt > now);
  }

  async replace(
    tenantId: string,
    username: string,
    bindings: readonly Binding[],
  ): Promise<readonly Binding[]> {
    const k = key(tenantId, username);
    const previous = this.bindings.get(k) ?? [];
    if (bindings.length === 0) this.bindings.delete(k);
    else this.bindings.set(k, bindings);
    return previous;
  }

  async expire(now: number): Promise<readonly Binding[]> {
    const expired: Binding[] = [];
    for (const [k, list] of this.bindings) {
      const alive = list.filter((b) => b.expiresAt > now);
      if (alive.length === list.length) continue;
      expired.push(...list.filter((b) => b.expiresAt <= now));
      if (alive.length === 0) this.bindings.delete(k);
      else this.bindings.set(k, alive);
    }
    return expired;
  }

  async all(now: number): Promise<readonly Binding[]> {
    return [...this.bindings.values()].flat().filter((b) => b.expiresAt > now);
  }

  async count(now: number): Promise<number> {
    let n = 0;
    for (const list of this.bindings.values()) if (list.some((b) => b.expiresAt > now)) n++;
    return n;
  }
}
