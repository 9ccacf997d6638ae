// Replay protection for Digest: per nonce, the highest nonce-count seen so far. A request whose
// nc is not above it is a replay (RFC 7616 §3.4: "the server ... can detect replays by
// tracking the nc-value"; RFC 3261 §22.4). This is live state shared by every node that may
// verify the nonce, so it sits behind an interface: in memory by default, Redis when scaled out.
import { ownString } from '../core/own-string.ts';

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
 *
 * NOTE: first-use order lives in an array queue beside the map, not in the map's own order:
 * V8 keeps deleted map entries as holes until it rehashes, so taking "the first entry" of a map
 * that is deleted from the front walks every hole — at thousands of REGISTERs per second that
 * was 13 % of the server's CPU (bench/pbx-register.ts profile).
 */
export class InMemoryNonceCountStore implements NonceCountStore {
  readonly #entries = new Map<string, Entry>();
  /** Nonces in first-use order from #head on; entries in the map are the live ones. */
  #queue: { readonly nonce: string; readonly entry: Entry }[] = [];
  #head = 0;
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
    const added: Entry = { nc: claim.nc, issuedAt: claim.issuedAt, expiresAt: claim.expiresAt };
    // Own copy: the nonce is cut from the request's Authorization header (core/own-string.ts).
    const nonce = ownString(claim.nonce);
    this.#entries.set(nonce, added);
    this.#queue.push({ nonce, entry: added });
    while (this.#entries.size > this.#maxEntries) this.#evictOldest(claim.now);
    return 'fresh';
  }

  /** Expired entries gather at the front of the first-use order. */
  #dropExpiredAtFront(now: number): void {
    let budget = 8;
    while (budget-- > 0 && this.#head < this.#queue.length) {
      const first = this.#queue[this.#head]!;
      if (first.entry.expiresAt > now) return;
      this.#shift();
    }
  }

  #evictOldest(now: number): void {
    if (this.#head >= this.#queue.length) return;
    const { entry } = this.#shift();
    if (entry.expiresAt > now) this.#forgottenUpTo = Math.max(this.#forgottenUpTo, entry.issuedAt);
  }

  /** Takes the oldest queued nonce out of the queue and the map. */
  #shift(): { readonly nonce: string; readonly entry: Entry } {
    const first = this.#queue[this.#head++]!;
    if (this.#entries.get(first.nonce) === first.entry) this.#entries.delete(first.nonce);
    if (this.#head >= 1024 && this.#head * 2 >= this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    return first;
  }
}
