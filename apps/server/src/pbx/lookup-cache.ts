// A bounded read-through cache for one kind of lookup (tenant by domain, credentials by
// extension, …), the building block of the PBX's directory cache (cached-directory.ts).
//
// - Single flight: concurrent misses of one key share one load (a burst of REGISTERs from one
//   phone, or a flood for one unknown user, costs one query).
// - Found and not-found results live in separate maps with their own caps, so a flood of
//   random usernames only churns the small not-found map and never evicts real extensions.
//   Eviction is least-recently-used by the "second chance" (clock) approximation: a hit only
//   marks its entry, and eviction moves marked entries to the young end instead of dropping
//   them — a hit costs one Map read, not a delete and an insert (the REGISTER hot path).
// - `delete` also cancels the storing of a load in flight: a load that raced with a change is
//   handed to its callers but not kept, so the cache never keeps a value older than the last
//   invalidation of its key.
// - A safety TTL bounds how long any entry lives, should an invalidation ever go missing. Each
//   entry gets 75–100 % of it at random, so entries loaded together (a burst of registrations)
//   are not all reloaded in the same second.
// A load that fails is not cached.

/** Largest share of the TTL taken off an entry at random. */
const TTL_JITTER = 0.25;

export interface LookupCacheOptions<V> {
  /** Most found entries kept (least recently used go first). */
  readonly maxEntries: number;
  /** Most not-found entries kept. */
  readonly maxMisses: number;
  /** Entries older than this are loaded again (some sooner: see TTL_JITTER). */
  readonly ttlMs: number;
  readonly now: () => number;
  /** Which values count as "not found" (default: undefined). */
  readonly isMiss?: (value: V) => boolean;
}

interface Entry<V> {
  readonly value: Promise<V>;
  readonly expiresAt: number;
  /** Read since it was stored or last given its second chance. */
  used: boolean;
}

export interface LookupCacheStats {
  hits: number;
  loads: number;
  readonly entries: number;
  readonly misses: number;
}

export class LookupCache<V> {
  readonly #found = new Map<string, Entry<V>>();
  readonly #missing = new Map<string, Entry<V>>();
  readonly #loading = new Map<string, Promise<V>>();
  readonly #isMiss: (value: V) => boolean;
  #hits = 0;
  #loads = 0;

  constructor(private readonly options: LookupCacheOptions<V>) {
    this.#isMiss = options.isMiss ?? ((value) => value === undefined);
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    const cached = this.#fresh(this.#found, key) ?? this.#fresh(this.#missing, key);
    if (cached) {
      this.#hits++;
      return cached;
    }
    const inFlight = this.#loading.get(key);
    if (inFlight) {
      this.#hits++;
      return inFlight;
    }
    this.#loads++;
    const loading = load();
    this.#loading.set(key, loading);
    loading.then(
      (value) => {
        // Deleted (invalidated) meanwhile: the value may predate the change; do not keep it.
        if (this.#loading.get(key) !== loading) return;
        this.#loading.delete(key);
        const map = this.#isMiss(value) ? this.#missing : this.#found;
        const cap = map === this.#missing ? this.options.maxMisses : this.options.maxEntries;
        const ttl = this.options.ttlMs * (1 - TTL_JITTER * Math.random());
        map.set(key, { value: loading, expiresAt: this.options.now() + ttl, used: false });
        if (map.size > cap) evictOne(map);
      },
      () => {
        if (this.#loading.get(key) === loading) this.#loading.delete(key);
      },
    );
    return loading;
  }

  /** Forgets `key`; a load of it in flight is not kept. */
  delete(key: string): void {
    this.#found.delete(key);
    this.#missing.delete(key);
    this.#loading.delete(key);
  }

  /** Forgets every key that starts with `prefix`. */
  deletePrefix(prefix: string): void {
    for (const map of [this.#found, this.#missing, this.#loading])
      for (const key of map.keys()) if (key.startsWith(prefix)) map.delete(key);
  }

  clear(): void {
    this.#found.clear();
    this.#missing.clear();
    this.#loading.clear();
  }

  stats(): LookupCacheStats {
    return { hits: this.#hits, loads: this.#loads, entries: this.#found.size, misses: this.#missing.size };
  }

  #fresh(map: Map<string, Entry<V>>, key: string): Promise<V> | undefined {
    const entry = map.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.options.now()) {
      map.delete(key);
      return undefined;
    }
    entry.used = true;
    return entry.value;
  }
}

/** Drops the oldest entry not read since its last second chance (clock-style LRU). */
function evictOne<V>(map: Map<string, Entry<V>>): void {
  // Each pass clears a mark, so this ends within map.size steps.
  for (const [key, entry] of map) {
    map.delete(key);
    if (!entry.used) return;
    entry.used = false;
    map.set(key, entry);
  }
}
