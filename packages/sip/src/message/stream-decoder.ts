// Framing of SIP over stream transports (TCP, TLS, WebSocket-as-stream; RFC 3261 §18.3):
// feed bytes as they arrive, take out messages one by one. Also recognises the RFC 5626
// §3.5.1 keep-alives between messages: a "ping" (CRLF CRLF) and a "pong" (CRLF).
import type { ParseLimits, ParseResult } from './contract.ts';
import { type SipMessageAny, parseMessage } from './parse-message.ts';

export type StreamEvent =
  | ParseResult<SipMessageAny>
  | { readonly kind: 'keepalive'; readonly ping: boolean; readonly consumed: number };

const CR = 13;
const LF = 10;

/**
 * Parses the start of a stream buffer: a message (with `consumed` bytes), a keep-alive, more
 * bytes needed, or malformed (the connection cannot be resynchronised; close it).
 */
export function parseStream(bytes: Uint8Array, limits?: Partial<ParseLimits>): StreamEvent {
  if (bytes.length > 0 && bytes[0] === CR) {
    if (bytes.length < 2) return { kind: 'incomplete' };
    if (bytes[1] === LF) {
      if (bytes.length >= 4 && bytes[2] === CR && bytes[3] === LF)
        return { kind: 'keepalive', ping: true, consumed: 4 };
      if (bytes.length === 3 && bytes[2] === CR) return { kind: 'incomplete' };
      return { kind: 'keepalive', ping: false, consumed: 2 };
    }
  }
  return parseMessage(bytes, limits, { mode: 'stream' });
}

/**
 * Accumulates stream bytes and yields events. After `malformed` the decoder stops (the rest
 * of the stream has no reliable framing); `pending` tells how many bytes are buffered.
 */
export class StreamDecoder {
  #buffer: Uint8Array = new Uint8Array(0);
  /** Start of the unconsumed bytes in #buffer (consumed bytes are not copied around). */
  #offset = 0;
  #failed = false;
  readonly #limits: Partial<ParseLimits> | undefined;

  constructor(limits?: Partial<ParseLimits>) {
    this.#limits = limits;
  }

  /** Bytes received and not yet consumed. */
  get pending(): number {
    return this.#buffer.length - this.#offset;
  }

  /** The unconsumed bytes (e.g. to hand over after an upgrade). */
  leftover(): Uint8Array {
    return this.#buffer.subarray(this.#offset);
  }

  /**
   * Appends bytes and returns every complete event now available, in order. Messages own
   * their bytes (copied out), so neither the caller's chunk nor this decoder's buffer is kept
   * alive by a message that is retained.
   */
  push(chunk: Uint8Array): StreamEvent[] {
    if (this.#failed) return [];
    const rest = this.#buffer.length - this.#offset;
    if (rest === 0) {
      this.#buffer = chunk;
    } else {
      const joined = new Uint8Array(rest + chunk.length);
      joined.set(this.#buffer.subarray(this.#offset), 0);
      joined.set(chunk, rest);
      this.#buffer = joined;
    }
    this.#offset = 0;
    const events: StreamEvent[] = [];
    while (this.#offset < this.#buffer.length) {
      const ev = parseStream(this.#buffer.subarray(this.#offset), this.#limits);
      if (ev.kind === 'incomplete') break;
      if (ev.kind === 'malformed') {
        events.push(ev);
        this.#failed = true;
        break;
      }
      if (ev.kind === 'message') ev.message.detach();
      events.push(ev);
      this.#offset += ev.consumed;
    }
    // Keep only what is still needed: a private copy of the tail, or nothing.
    if (this.#offset === this.#buffer.length) {
      this.#buffer = new Uint8Array(0);
      this.#offset = 0;
    } else if (this.#buffer === chunk || this.#offset > 0) {
      this.#buffer = this.#buffer.slice(this.#offset);
      this.#offset = 0;
    }
    return events;
  }
}
