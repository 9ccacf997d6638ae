import type { ReportBlock } from '../rtcp/report-block.ts';

const RTP_SEQ_MOD = 1 << 16;
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;

/**
 * Reception statistics of one RTP source: sequence tracking (RFC 3550 A.1), loss (A.3) and
 * interarrival jitter (A.8). Allocation-free: it runs for every relayed packet.
 *
 * NOTE: no probation (A.1's MIN_SEQUENTIAL): a relay counts from the first packet, since a
 * source it relays has already been admitted by signalling and latching.
 */
export class ReceiveStatistics {
  readonly clockRate: number;
  ssrc = 0;
  received = 0;
  #started = false;
  #baseSeq = 0;
  #maxSeq = 0;
  #badSeq = RTP_SEQ_MOD + 1;
  #cycles = 0;
  #expectedPrior = 0;
  #receivedPrior = 0;
  #transit = 0;
  #jitter = 0;
  #lostCarried = 0;

  constructor(clockRate = 8000) {
    this.clockRate = clockRate;
  }

  /**
   * Records one packet. `arrivalMs` is the local arrival time in milliseconds (any epoch, the
   * same for every call). Returns false for a packet A.1 judges out of the sequence space.
   */
  update(ssrc: number, seq: number, rtpTimestamp: number, arrivalMs: number): boolean {
    if (!this.#started || ssrc !== this.ssrc) {
      this.#restart(ssrc, seq);
      this.#transit = arrivalMs * (this.clockRate / 1000) - rtpTimestamp;
      this.received = 1;
      return true;
    }
    const udelta = (seq - this.#maxSeq + RTP_SEQ_MOD) % RTP_SEQ_MOD;
    if (udelta < MAX_DROPOUT) {
      // In order, with a permissible gap (A.1).
      if (seq < this.#maxSeq) this.#cycles += RTP_SEQ_MOD;
      this.#maxSeq = seq;
    } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
      // A very large jump: the source restarted, if the next packet follows this one (A.1).
      if (seq !== this.#badSeq) {
        this.#badSeq = (seq + 1) & (RTP_SEQ_MOD - 1);
        return false;
      }
      this.#restart(ssrc, seq);
      this.#transit = arrivalMs * (this.clockRate / 1000) - rtpTimestamp;
      this.received = 1;
      return true;
    }
    // else: duplicate or reordered packet, counted as received.
    this.received++;
    // A.8: J += (|D| - J) / 16, with D the difference of relative transit times.
    const transit = arrivalMs * (this.clockRate / 1000) - rtpTimestamp;
    let d = transit - this.#transit;
    this.#transit = transit;
    if (d < 0) d = -d;
    // Timestamps wrap at 2^32: a wrap shows as a huge D, which is not jitter.
    if (d < 0x80000000) this.#jitter += (d - this.#jitter) / 16;
    return true;
  }

  #restart(ssrc: number, seq: number): void {
    if (this.#started) this.#lostCarried += Math.max(0, this.cumulativeLost);
    this.#started = true;
    this.ssrc = ssrc;
    this.#baseSeq = seq;
    this.#maxSeq = seq;
    this.#badSeq = RTP_SEQ_MOD + 1;
    this.#cycles = 0;
    this.#expectedPrior = 0;
    this.#receivedPrior = 0;
    this.received = 0;
    this.#jitter = 0;
  }

  get extendedHighestSequence(): number {
    return this.#cycles + this.#maxSeq;
  }

  get expected(): number {
    return this.#started ? this.extendedHighestSequence - this.#baseSeq + 1 : 0;
  }

  /** Packets lost (A.3): expected minus received; negative with duplicates. */
  get cumulativeLost(): number {
    return this.expected - this.received;
  }

  /** Packets lost over every source this object has tracked (for counters, not RTCP). */
  get totalLost(): number {
    return this.#lostCarried + Math.max(0, this.cumulativeLost);
  }

  /** Interarrival jitter in timestamp units. */
  get jitter(): number {
    return this.#jitter;
  }

  get jitterMs(): number {
    return (this.#jitter * 1000) / this.clockRate;
  }

  /** A report block for RTCP; advances the "since last report" interval (A.3). */
  reportBlock(lastSenderReport = 0, delaySinceLastSenderReport = 0): ReportBlock {
    const expected = this.expected;
    const expectedInterval = expected - this.#expectedPrior;
    const receivedInterval = this.received - this.#receivedPrior;
    this.#expectedPrior = expected;
    this.#receivedPrior = this.received;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost =
      expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval * 256) / expectedInterval);
    return {
      ssrc: this.ssrc,
      fractionLost: Math.min(255, fractionLost),
      cumulativeLost: this.cumulativeLost,
      extendedHighestSequence: this.extendedHighestSequence,
      jitter: Math.floor(this.#jitter),
      lastSenderReport,
      delaySinceLastSenderReport,
    };
  }
}
