// One SIP parser under test. Every contestant is given the same message text; it prepares its
// input once (outside the timed loop) in the form its API takes, then offers the operations
// that bench/sip-parser.ts times.
import type { ProxyFields } from './sample-messages.ts';

export interface BoundContestant {
  /** Parse, then read Via branch, Call-ID, CSeq number and From tag (what a proxy needs). */
  readonly parse: () => unknown;
  /** The same, then serialize the message to what would be written to the socket. */
  readonly parseAndSerialize: () => unknown;
  /**
   * Proxy forward (RFC 3261 §16.6): parse, read the same fields, add `proxyVia` on top,
   * decrement Max-Forwards, serialize. Absent when the library has no way to re-serialize a
   * changed incoming message.
   */
  readonly forward?: () => unknown;
  /** Runs once before timing: the fields as this parser read them, and its serialized output. */
  readonly check: () => {
    readonly fields: ProxyFields;
    readonly serialized: string;
    /** The output of `forward`, as text. */
    readonly forwarded?: string;
  };
}

export interface Contestant {
  /** Display name with version, e.g. "JsSIP 3.13.8". */
  readonly name: string;
  /** true for our own parser; peers are the npm packages we compare against. */
  readonly ours: boolean;
  /** What "serialize" means for this parser, in one line (printed in the notes). */
  readonly serializeNote: string;
  bind(text: string): BoundContestant;
}
