/**
 * The audio a phone sends an endpoint, waiting to be taken 20 ms at a time. A small jitter
 * buffer: taking starts once two frames wait (40 ms), a frame that finds too little is an
 * underrun (silence) and taking waits for two frames again; when more than 200 ms pile up (a
 * burst, a clock running fast) the oldest audio is dropped back to 60 ms.
 */
const CAPACITY = 8000;
const PRIME = 320;
const MAX = 1600;
const TRIM_TO = 480;

export class FrameQueue {
  readonly #ring = new Int16Array(CAPACITY);
  #read = 0;
  #count = 0;
  #primed = false;
  /** Frames that found too little audio while the phone was sending. */
  underruns = 0;

  get buffered(): number {
    return this.#count;
  }

  push(samples: Int16Array): void {
    const n = Math.min(samples.length, CAPACITY);
    for (let i = samples.length - n; i < samples.length; i++) {
      if (this.#count === CAPACITY) {
        this.#read = (this.#read + 1) % CAPACITY;
        this.#count--;
      }
      this.#ring[(this.#read + this.#count) % CAPACITY] = samples[i]!;
      this.#count++;
    }
    if (this.#count > MAX) {
      const drop = this.#count - TRIM_TO;
      this.#read = (this.#read + drop) % CAPACITY;
      this.#count -= drop;
    }
  }

  /** Fills `out` with the next samples; false (and silence) when there were not enough. */
  pull(out: Int16Array): boolean {
    if (!this.#primed && this.#count >= PRIME) this.#primed = true;
    if (!this.#primed || this.#count < out.length) {
      if (this.#primed) this.underruns++;
      this.#primed = false;
      out.fill(0);
      return false;
    }
    for (let i = 0; i < out.length; i++) {
      out[i] = this.#ring[this.#read]!;
      this.#read = (this.#read + 1) % CAPACITY;
    }
    this.#count -= out.length;
    return true;
  }

  clear(): void {
    this.#read = 0;
    this.#count = 0;
    this.#primed = false;
  }
}
