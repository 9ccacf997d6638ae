/**
 * Symmetric RTP (RFC 4961) and latching for NAT: a phone behind NAT announces a private
 * address in its SDP, so the relay sends to where the phone's packets really come from.
 *
 * Rules:
 * - unlatched: the first packet's source address becomes the latched address;
 * - latched, same source: accepted;
 * - latched, another source: accepted and re-latched when it carries the latched SSRC (the NAT
 *   rebound the phone's port) or when the latched source has been silent for `relatchAfterMs`
 *   (the phone moved); otherwise dropped, so a stray or hostile sender cannot steal the stream;
 * - `reset()` (after a re-INVITE changed the remote SDP) unlatches.
 */
export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

export const LatchDecision = { Accept: 'accept', Latched: 'latched', Reject: 'reject' } as const;
export type LatchDecision = (typeof LatchDecision)[keyof typeof LatchDecision];

export class SourceLatch {
  readonly relatchAfterMs: number;
  address: string | undefined;
  port = 0;
  #ssrc = 0;
  #lastSeenMs = 0;

  constructor(relatchAfterMs = 1000) {
    this.relatchAfterMs = relatchAfterMs;
  }

  get latched(): boolean {
    return this.address !== undefined;
  }

  /** Judges one packet from `address:port` carrying `ssrc` at `nowMs`. */
  check(address: string, port: number, ssrc: number, nowMs: number): LatchDecision {
    if (this.address === address && this.port === port) {
      this.#lastSeenMs = nowMs;
      this.#ssrc = ssrc;
      return LatchDecision.Accept;
    }
    if (
      this.address === undefined ||
      ssrc === this.#ssrc ||
      nowMs - this.#lastSeenMs >= this.relatchAfterMs
    ) {
      this.address = address;
      this.port = port;
      this.#ssrc = ssrc;
      this.#lastSeenMs = nowMs;
      return LatchDecision.Latched;
    }
    return LatchDecision.Reject;
  }

  reset(): void {
    this.address = undefined;
    this.port = 0;
  }
}
