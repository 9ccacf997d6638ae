// The Completed state of non-INVITE server transactions on unreliable transports, kept compact
// (RFC 3261 §17.2.2). For Timer J (64*T1: 32 s) such a transaction does one thing only: answer a
// retransmission of its request with its final response again. Keeping each one as a whole
// transaction object (request, response, state, timers) costs kilobytes apiece; at thousands
// of REGISTERs per second that is hundreds of thousands of live objects and most of the garbage
// collector's time. Here each is its key, the response's bytes and where they go, expired in
// bulk by one timer.
//
// Entries expire in the order they were made (Timer J is the same for every entry of a layer),
// so a first-in-first-out queue finds the expired ones; the sweep runs at most once a second, so
// an entry lives Timer J plus up to a second.
import type { Clock, TimerHandle } from '../core/clock.ts';
import type { Destination } from '../core/transport.ts';

/** Resends the retained bytes of a final response (the transport, or a stand-in in tests). */
export type ResendBytes = (bytes: Uint8Array, destination: Destination) => void;

interface Retained {
  readonly key: string;
  readonly bytes: Uint8Array;
  readonly destination: Destination;
  readonly expiresAt: number;
}

/** Sweep no more often than this. */
const SWEEP_MS = 1000;

export class RetainedResponses {
  readonly #entries = new Map<string, Retained>();
  #queue: Retained[] = [];
  #head = 0;
  #sweep: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly resend: ResendBytes,
    /** An entry expired (not called on dispose). */
    private readonly expired: (key: string) => void = () => {},
  ) {}

  /** Responses kept for retransmissions now. */
  get size(): number {
    return this.#entries.size;
  }

  /** Keeps `bytes` as the answer to retransmissions of the request keyed `key`, for `forMs`. */
  retain(key: string, bytes: Uint8Array, destination: Destination, forMs: number): void {
    const entry: Retained = { key, bytes, destination, expiresAt: this.clock.now() + forMs };
    this.#entries.set(key, entry);
    this.#queue.push(entry);
    if (this.#sweep === undefined) this.#schedule();
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** A request keyed `key` arrived: if its transaction completed, resend its response. */
  answer(key: string): boolean {
    const entry = this.#entries.get(key);
    if (entry === undefined) return false;
    this.resend(entry.bytes, entry.destination);
    return true;
  }

  /** Forgets everything (layer shutdown). */
  dispose(): void {
    this.#sweep?.cancel();
    this.#sweep = undefined;
    this.#entries.clear();
    this.#queue = [];
    this.#head = 0;
  }

  #schedule(): void {
    const first = this.#queue[this.#head];
    if (first === undefined) return;
    const delay = Math.max(SWEEP_MS, first.expiresAt - this.clock.now());
    this.#sweep = this.clock.setTimer(delay, () => {
      this.#sweep = undefined;
      this.#expire();
      this.#schedule();
    });
  }

  #expire(): void {
    const now = this.clock.now();
    const queue = this.#queue;
    let head = this.#head;
    while (head < queue.length && queue[head]!.expiresAt <= now) {
      const entry = queue[head]!;
      // A newer entry under the same key (a request reusing a branch) keeps its own time.
      if (this.#entries.get(entry.key) === entry) {
        this.#entries.delete(entry.key);
        this.expired(entry.key);
      }
      head++;
    }
    if (head === queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (head > 1024 && head * 2 > queue.length) {
      this.#queue = queue.slice(head);
      this.#head = 0;
    } else {
      this.#head = head;
    }
  }
}
