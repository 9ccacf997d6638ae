/**
 * Hands out RTP ports from a range: even ports for RTP, the next odd one for RTCP (RFC 3550
 * §11; RFC 3551 §11). Free pairs wait in a FIFO ring, so a released pair goes to the back of
 * the queue: a port is reused as late as possible, and a straggling packet of a finished
 * call rarely lands in a new one. allocate/release are O(1) and allocate no memory.
 */
export interface PortRange {
  readonly min: number;
  readonly max: number;
}

export class PortAllocator {
  readonly range: PortRange;
  readonly capacity: number;
  readonly #first: number;
  readonly #ring: Int32Array;
  readonly #inUse: Uint8Array;
  #head = 0;
  #free: number;

  constructor(range: PortRange) {
    if (!(range.min > 0 && range.max <= 65535 && range.min < range.max)) {
      throw new RangeError(`bad RTP port range ${range.min}-${range.max}`);
    }
    this.range = range;
    this.#first = range.min + (range.min & 1); // first even port
    // A pair needs its odd port inside the range too.
    this.capacity = Math.max(0, Math.floor((range.max - this.#first + 1) / 2));
    this.#ring = new Int32Array(this.capacity);
    this.#inUse = new Uint8Array(this.capacity);
    for (let i = 0; i < this.capacity; i++) this.#ring[i] = i;
    this.#free = this.capacity;
  }

  /** The even RTP port of a free pair, or undefined when the range is exhausted. */
  allocate(): number | undefined {
    if (this.#free === 0) return undefined;
    const slot = this.#ring[this.#head]!;
    this.#head = (this.#head + 1) % this.capacity;
    this.#free--;
    this.#inUse[slot] = 1;
    return this.#first + slot * 2;
  }

  /** Returns a pair to the pool; false if the port was not allocated (double release). */
  release(rtpPort: number): boolean {
    const offset = rtpPort - this.#first;
    const slot = offset >> 1;
    if (offset < 0 || offset & 1 || slot >= this.capacity || this.#inUse[slot] !== 1) return false;
    this.#inUse[slot] = 0;
    this.#ring[(this.#head + this.#free) % this.capacity] = slot;
    this.#free++;
    return true;
  }

  get available(): number {
    return this.#free;
  }

  get inUse(): number {
    return this.capacity - this.#free;
  }

  /** Splits a range into `n` disjoint ranges of whole pairs (one per worker thread). */
  static split(range: PortRange, n: number): PortRange[] {
    const first = range.min + (range.min & 1);
    const pairs = Math.floor((range.max - first + 1) / 2);
    const per = Math.floor(pairs / n);
    if (per < 1) throw new RangeError(`port range ${range.min}-${range.max} too small for ${n} workers`);
    return Array.from({ length: n }, (_, i) => ({
      min: first + i * per * 2,
      max: first + (i + 1) * per * 2 - 1,
    }));
  }
}
