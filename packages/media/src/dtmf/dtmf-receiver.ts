import { eventToDigit, parseTelephoneEvent, type DtmfDigit } from './telephone-event.ts';

export interface DetectedDigit {
  readonly digit: DtmfDigit;
  /** Duration reported by the sender, in milliseconds. */
  readonly durationMs: number;
  /** RTP timestamp identifying the event. */
  readonly timestamp: number;
  /** True when the end packets never came and a later event closed this one. */
  readonly endLost: boolean;
}

/**
 * Turns telephone-event packets into digits, each reported once (RFC 4733 §2.5.2): an event is
 * identified by its RTP timestamp; the first end packet reports the digit and the two
 * retransmitted end packets (§2.5.1.4) are ignored. If an event's end is lost, the start of
 * the next event reports it (§2.5.2.2).
 */
export class DtmfReceiver {
  readonly #clockRate: number;
  #current: { timestamp: number; event: number; duration: number } | undefined;
  #lastEnded: number | undefined;

  constructor(clockRate = 8000) {
    this.#clockRate = clockRate;
  }

  /** Feeds one telephone-event payload with its RTP timestamp; returns the digits it completes. */
  receive(payload: Uint8Array, timestamp: number): DetectedDigit[] {
    const parsed = parseTelephoneEvent(payload);
    if (!parsed.ok) return [];
    const { event, end, duration } = parsed.value;
    const ts = timestamp >>> 0;
    if (ts === this.#lastEnded) return []; // retransmitted end, or a late packet of a done event
    const out: DetectedDigit[] = [];
    const current = this.#current;
    if (current && current.timestamp !== ts) {
      const early = this.#report(current.event, current.duration, current.timestamp, true);
      if (early) out.push(early);
      this.#lastEnded = current.timestamp;
      this.#current = undefined;
    }
    if (end) {
      const done = this.#report(event, duration, ts, false);
      if (done) out.push(done);
      this.#lastEnded = ts;
      this.#current = undefined;
    } else {
      this.#current = { timestamp: ts, event, duration: Math.max(duration, this.#current?.duration ?? 0) };
    }
    return out;
  }

  #report(event: number, duration: number, timestamp: number, endLost: boolean): DetectedDigit | undefined {
    const digit = eventToDigit(event);
    if (digit === undefined) return undefined; // flash and other events are passed, not reported
    return { digit, durationMs: Math.round((duration * 1000) / this.#clockRate), timestamp, endLost };
  }
}
