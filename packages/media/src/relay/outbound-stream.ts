/**
 * The RTP stream a relay leg sends: one SSRC with continuous sequence numbers and timestamps,
 * even when what feeds it switches from one source to another (transfer, music on hold,
 * announcement then the callee). RFC 3550 §5.1: a receiver expects sequence numbers to grow
 * by one and timestamps to follow the sampling clock within one SSRC.
 *
 * While one source feeds the stream its numbers pass unchanged (offsets 0), so a plain
 * two-party relay rewrites nothing. When the source changes, new offsets continue the
 * sequence at last + 1 and the timestamp at last + the time that passed.
 */
export class OutboundStream {
  readonly clockRate: number;
  /** Outgoing SSRC: the first source's, unless one was given. */
  ssrc: number;
  seq = 0;
  timestamp = 0;
  /** True for the first packet after a source change: the relay sets the marker bit. */
  sourceChanged = false;
  #fixedSsrc: boolean;
  #source: number | undefined;
  #seqOffset = 0;
  #tsOffset = 0;
  #lastSeq = 0;
  #lastTs = 0;
  #lastSentMs = 0;

  constructor(clockRate = 8000, ssrc?: number) {
    this.clockRate = clockRate;
    this.ssrc = ssrc ?? 0;
    this.#fixedSsrc = ssrc !== undefined;
  }

  /** Maps one incoming packet's numbers; read `ssrc`, `seq`, `timestamp` afterwards. */
  map(sourceSsrc: number, seq: number, timestamp: number, nowMs: number): void {
    if (this.#source === undefined) {
      this.#source = sourceSsrc;
      if (!this.#fixedSsrc) this.ssrc = sourceSsrc;
      this.#lastSeq = (seq - 1) & 0xffff;
      this.#lastTs = timestamp;
      this.sourceChanged = false;
    } else if (sourceSsrc !== this.#source) {
      this.#source = sourceSsrc;
      const elapsed = Math.max(1, Math.round(((nowMs - this.#lastSentMs) * this.clockRate) / 1000));
      this.#seqOffset = (this.#lastSeq + 1 - seq) & 0xffff;
      this.#tsOffset = (this.#lastTs + elapsed - timestamp) >>> 0;
      this.sourceChanged = true;
    } else {
      this.sourceChanged = false;
    }
    this.seq = (seq + this.#seqOffset) & 0xffff;
    this.timestamp = (timestamp + this.#tsOffset) >>> 0;
    // Keep the newest numbers (serial-number arithmetic): reordered packets must not pull
    // them back.
    if (((this.seq - this.#lastSeq) & 0xffff) < 0x8000) {
      this.#lastSeq = this.seq;
      this.#lastTs = this.timestamp;
      this.#lastSentMs = nowMs;
    }
  }

  /** True when `map` leaves the packet's header as it came (no rewrite needed). */
  get passthrough(): boolean {
    return this.#seqOffset === 0 && this.#tsOffset === 0 && (!this.#fixedSsrc || this.ssrc === this.#source);
  }
}
