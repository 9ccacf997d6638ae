// Replay protection for Digest: per nonce, the highest nonce-count seen so far. A request whose
// nc is not above it is a replay (RFC 7616 §3.4: "the server ... can detect replays by
// tracking the nc-value"; RFC 3261 §22.4). This is live state shared by every node that may
// verify the nonce, so it sits behind an interface: in memory by default, Redis when scaled out.

/** What a store says about a (nonce, nc) pair. */
export type NonceCountVerdict =
  /** nc is higher than any seen for this nonce; it is now recorded. */
  | 'fresh'
  /** nc was already used (or a lower one arrives late): reject as a replay. */
  | 'replay'
  /** The store no longer knows this nonce and cannot vouch for it: ask for a new nonce. */
  | 'forgotten';

export interface NonceCountClaim {
  readonly nonce: string;
  readonly nc: number;
  /** When the nonce was issued (ms); lets a bounded store refuse what it may have forgotten. */
  readonly issuedAt: number;
  /** After this time (ms) the nonce is stale anyway and the store may drop it. */
  readonly expiresAt: number;
  /** Current time (ms), from the caller's clock. */
  readonly now: number;
}

export interface NonceCountStore {
  /** Atomically: if claim.nc is above the recorded count, record it and say 'fresh'. */
  advance(claim: NonceCountClaim): NonceCountVerdict | Promise<NonceCountVerdict>;
}

interface Entry {
  nc: number;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

export interface InMemoryNonceCountStoreOptions {
  /** Most nonces tracked at once (default 100 000). */
  readonly maxEntries?: number;
}

/**
 * A bounded in-memory store. When full it drops the nonce used longest ago and remembers the
 * newest issue time it dropped: any untracked nonce issued at or before that time is
 * 'forgotten' (the client gets stale=true and retries with a fresh nonce), so eviction never
 * re-opens a replay window.
 */
export class InMemoryNonceCountStore implements NonceCountStore {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  #forgottenUpTo = -Infinity;

  constructor(options: InMemoryNonceCountStoreOptions = {}) {
    this.#maxEntries = Math.max(1, options.maxEntries ?? 100_000);
  }

  get size(): number {
    return this.#entries.size;
  }

  advance(claim: NonceCountClaim): NonceCountVerdict {
    this.#dropExpiredAtFront(claim.now);
    const entry = this.#entries.get(claim.nonce);
    if (entry !== undefined) {
      if (claim.nc <= entry.nc) return 'replay';
      entry.nc = claim.nc;
      return 'fresh';
    }
    if (claim.issuedAt <= this.#forgottenUpTo) return 'forgotten';
    if (claim.expiresAt <= claim.now) return 'forgotten';
    this.#entries.set(claim.nonce, { nc: claim.nc, issuedAt: claim.issuedAt, expiresAt: claim.expiresAt });
    while (this.#entries.size > this.#maxEntries) this.#evictOldest(claim.now);
    return 'fresh';
  }

  /** Map iteration order is first-use order; expired entries gather at the front. */
  #dropExpiredAtFront(now: number): void {
    let budget = 8;
    for (const [nonce, entry] of this.#entries) {
      if (budget-- === 0 || entry.expiresAt > now) return;
      this.#entries.delete(nonce);
    }
  }

  #evictOldest(now: number): void {
    const first = this.#entries.entries().next();
    if (first.done === true) return;
    const [nonce, entry] = first.value;
    this.#entries.delete(nonce);
    if (entry.expiresAt > now) this.#forgottenUpTo = Math.max(this.#forgottenUpTo, entry.issuedAt);
  }
}
