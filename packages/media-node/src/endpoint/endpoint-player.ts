/** A track an endpoint is playing to its phone, taken 20 ms at a time. */
export class EndpointPlayer {
  readonly playId: number;
  readonly #samples: Int16Array;
  readonly #loop: boolean;
  #position = 0;

  constructor(playId: number, samples: Int16Array, loop: boolean) {
    this.playId = playId;
    this.#samples = samples;
    this.#loop = loop && samples.length > 0;
  }

  /** Fills `out` (silence past the end); false once the track is over. */
  next(out: Int16Array): boolean {
    if (this.#position >= this.#samples.length) {
      if (!this.#loop) return false;
      this.#position = 0;
    }
    const take = Math.min(out.length, this.#samples.length - this.#position);
    out.set(this.#samples.subarray(this.#position, this.#position + take));
    out.fill(0, take);
    this.#position += take;
    return true;
  }
}
