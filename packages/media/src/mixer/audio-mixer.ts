/**
 * A conference mixer: each participant hears the sum of everyone else (N-1), so nobody hears
 * their own echo. Frames are 16-bit linear, all of one size; the caller decodes, pushes one
 * frame per participant per tick, calls `mix()`, and encodes what it returns.
 */
export class AudioMixer {
  readonly frameSize: number;
  readonly #frames = new Map<string, Int16Array | undefined>();
  readonly #sum: Int32Array;

  constructor(frameSize = 160) {
    this.frameSize = frameSize;
    this.#sum = new Int32Array(frameSize);
  }

  add(id: string): void {
    this.#frames.set(id, undefined);
  }

  remove(id: string): void {
    this.#frames.delete(id);
  }

  get participants(): string[] {
    return [...this.#frames.keys()];
  }

  /** This tick's audio of `id`; a participant without a frame contributes silence. */
  push(id: string, frame: Int16Array): void {
    if (!this.#frames.has(id)) throw new RangeError(`unknown participant ${id}`);
    if (frame.length !== this.frameSize)
      throw new RangeError(`frame of ${frame.length} samples, expected ${this.frameSize}`);
    this.#frames.set(id, frame);
  }

  /** What each participant hears this tick; clears the pushed frames. */
  mix(): Map<string, Int16Array> {
    const sum = this.#sum;
    sum.fill(0);
    for (const frame of this.#frames.values()) {
      if (frame) for (let i = 0; i < sum.length; i++) sum[i]! += frame[i]!;
    }
    const out = new Map<string, Int16Array>();
    for (const [id, frame] of this.#frames) {
      const heard = new Int16Array(this.frameSize);
      for (let i = 0; i < heard.length; i++) {
        const v = sum[i]! - (frame ? frame[i]! : 0);
        heard[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      }
      out.set(id, heard);
      this.#frames.set(id, undefined);
    }
    return out;
  }
}
