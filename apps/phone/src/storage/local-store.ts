// One value kept in localStorage as JSON, observable (React reads it with useSyncExternalStore).
// Other tabs of the app see changes through the `storage` event. The app keeps its data on the
// device only: contacts, recents, notes, settings and the device credential.
export type Listener = () => void;

export class LocalStore<T> {
  private value: T;
  private readonly listeners = new Set<Listener>();

  constructor(
    readonly key: string,
    private readonly initial: T,
    private readonly storage: Storage | undefined = globalThis.localStorage,
  ) {
    this.value = this.read();
    globalThis.addEventListener?.('storage', (event: StorageEvent) => {
      if (event.key !== this.key) return;
      this.value = this.read();
      this.emit();
    });
  }

  get = (): T => this.value;

  set(next: T | ((previous: T) => T)): void {
    this.value = typeof next === 'function' ? (next as (previous: T) => T)(this.value) : next;
    try {
      this.storage?.setItem(this.key, JSON.stringify(this.value));
    } catch {
      // Quota exceeded: keep the value in memory for this session.
    }
    this.emit();
  }

  clear(): void {
    this.storage?.removeItem(this.key);
    this.value = this.initial;
    this.emit();
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private read(): T {
    try {
      const raw = this.storage?.getItem(this.key);
      if (raw === null || raw === undefined) return this.initial;
      const parsed = JSON.parse(raw) as T;
      // Settings objects gain fields over versions: fill what an older save lacks.
      if (isPlainObject(this.initial) && isPlainObject(parsed)) return { ...this.initial, ...parsed };
      return parsed;
    } catch {
      return this.initial;
    }
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short random id for local records. */
export function newId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `${prefix}_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
