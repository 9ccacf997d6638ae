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
  #failed = false;
  readonly #limits: Partial<ParseLimits> | undefined;

  constructor(limits?: Partial<ParseLimits>) {
    this.#limits = limits;
  }

  /** Bytes received and not yet consumed. */
  get pending(): number {
    return this.#buffer.length;
  }

  /** The unconsumed bytes (e.g. to hand over after an upgrade). */
  leftover(): Uint8Array {
    return this.#buffer;
  }

  /** Appends bytes and returns every complete event now available, in order. */
  push(chunk: Uint8Array): StreamEvent[] {
    if (this.#failed) return [];
    if (this.#buffer.length === 0) this.#buffer = chunk;
    else {
      const joined = new Uint8Array(this.#buffer.length + chunk.length);
      joined.set(this.#buffer, 0);
      joined.set(chunk, this.#buffer.length);
      this.#buffer = joined;
    }
    const events: StreamEvent[] = [];
    for (;;) {
      if (this.#buffer.length === 0) break;
      const ev = parseStream(this.#buffer, this.#limits);
      if (ev.kind === 'incomplete') break;
      events.push(ev);
      if (ev.kind === 'malformed') {
        this.#failed = true;
        break;
      }
      // Copy the rest so a retained message does not pin a large buffer, and vice versa.
      this.#buffer = this.#buffer.slice(ev.consumed);
    }
    return events;
  }
}
