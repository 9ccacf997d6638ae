// Cuts a byte stream (TCP, TLS) into SIP messages by Content-Length (RFC 3261 §18.3) and
// recognises the CRLF keep-alives of RFC 5626 §3.5.1 between messages. Sans-I/O: the Node
// adapter pushes whatever chunks the socket delivers and acts on the events that come back.
//
// It only frames: a complete message's bytes go to the parser, which judges them. Framing
// errors (a start line that cannot be SIP, a header section or body over the limits, a bad
// Content-Length) are fatal for the stream, because the next message's start is lost.
//
//   idle ──non-CRLF byte──▶ headers ──CRLFCRLF found──▶ body ──Content-Length bytes──▶ idle
//     │                       │                           │
//     └─ CRLF runs: pong/ping └─ over limit / bad line ───┴──▶ failed (stays failed)
//
// NOTE: message/stream-decoder.ts frames by re-parsing the buffer on every chunk. The transports
// use this framer instead because (1) it is incremental — a message trickling in costs O(size),
// not O(size × chunks); (2) it refuses garbage at its first impossible byte; (3) it separates
// framing from validation, so a well-framed message with a bad header gets a 400 and the
// connection lives on; (4) a CRLFCRLF ping split across segments is still a ping.

/** Size limits the framer enforces before any parsing happens. */
export interface StreamFramerLimits {
  /** Longest request/status line, in bytes (without its CRLF). */
  readonly maxStartLine: number;
  /** Largest header section after the start line, in bytes (CRLFs included). */
  readonly maxHeaderBytes: number;
  /** Largest body (Content-Length value), in bytes. */
  readonly maxBodyBytes: number;
}

export const DEFAULT_STREAM_FRAMER_LIMITS: StreamFramerLimits = {
  maxStartLine: 8 * 1024,
  maxHeaderBytes: 64 * 1024,
  maxBodyBytes: 1024 * 1024,
};

/**
 * What a chunk of stream bytes turned into.
 * - `message`: the complete bytes of one message (start line, headers, body), a fresh copy.
 * - `ping`: a double CRLF between messages; answer it with a single CRLF (RFC 5626 §3.5.1).
 * - `pong`: a single CRLF between messages; the answer to our ping (or a harmless stray CRLF,
 *   which RFC 3261 §7.5 says to ignore).
 * - `error`: the stream cannot be framed any more; close the connection and log `reason`.
 *   `oversized` is true when a size limit was passed, false for bytes that are not SIP.
 */
export type StreamFramerEvent =
  | { readonly kind: 'message'; readonly bytes: Uint8Array }
  | { readonly kind: 'ping' }
  | { readonly kind: 'pong' }
  | { readonly kind: 'error'; readonly reason: string; readonly oversized: boolean };

export enum StreamFramerState {
  Idle = 'idle',
  Headers = 'headers',
  Body = 'body',
  Failed = 'failed',
}

const CR = 0x0d;
const LF = 0x0a;

// "SIP/2.0 " opens a status line; a request line is "METHOD SP Request-URI SP SIP/2.0".
const STATUS_LINE = /^SIP\/2\.0 [0-9]{3}(?: |$)/i;
const REQUEST_LINE = /^[A-Za-z0-9.!%*_+`'~-]+ [^ ]+ SIP\/2\.0$/i;
const CONTENT_LENGTH_NAME = /^(?:content-length|l)$/i;

const latin1 = new TextDecoder('latin1');

export class StreamFramer {
  private buffer = new Uint8Array(4096);
  private start = 0; // first unconsumed byte
  private end = 0; // one past the last received byte
  private scanFrom = 0; // where the search for the header terminator resumes
  private startLineChecked = false;
  private lineScan = 0; // how far the start line has been checked byte by byte
  private headersFrom = 0; // index of the first header line, once the start line is known
  private bodyEnd = 0; // in state Body: index one past the message's last byte
  private crlfRun = 0;
  private currentState = StreamFramerState.Idle;

  constructor(private readonly limits: StreamFramerLimits = DEFAULT_STREAM_FRAMER_LIMITS) {}

  get state(): StreamFramerState {
    return this.currentState;
  }

  /** True while part of a message has arrived but not all of it (slowloris guards use this). */
  get inMessage(): boolean {
    return this.currentState === StreamFramerState.Headers || this.currentState === StreamFramerState.Body;
  }

  /** Bytes held while waiting for the rest of a message. */
  get buffered(): number {
    return this.end - this.start;
  }

  /** Feeds the next chunk of the stream; returns what it completed, in order. */
  push(chunk: Uint8Array): StreamFramerEvent[] {
    if (this.currentState === StreamFramerState.Failed) return [];
    this.append(chunk);
    const events: StreamFramerEvent[] = [];
    for (;;) {
      const event = this.step();
      if (event === undefined) break;
      events.push(event);
      if (event.kind === 'error') {
        this.currentState = StreamFramerState.Failed;
        this.buffer = new Uint8Array(0);
        this.start = this.end = 0;
        break;
      }
    }
    this.compact();
    return events;
  }

  /** One event out of the buffer, or undefined when more bytes are needed. */
  private step(): StreamFramerEvent | undefined {
    switch (this.currentState) {
      case StreamFramerState.Idle:
        return this.stepIdle();
      case StreamFramerState.Headers:
        return this.stepHeaders();
      case StreamFramerState.Body:
        return this.stepBody();
      case StreamFramerState.Failed:
        return undefined;
    }
  }

  private stepIdle(): StreamFramerEvent | undefined {
    const b = this.buffer;
    while (this.start < this.end) {
      const c = b[this.start]!;
      if (c === CR) {
        if (this.start + 1 >= this.end) return undefined; // wait for the LF
        if (b[this.start + 1] !== LF) {
          this.start++; // a lone CR: noise between messages
          continue;
        }
        this.start += 2;
        // RFC 5626 §3.5.1: the ping is CRLFCRLF, the pong a single CRLF. A run of two is a ping;
        // the first CRLF of it is reported as a pong, which a server ignores.
        this.crlfRun++;
        if (this.crlfRun === 2) {
          this.crlfRun = 0;
          return { kind: 'ping' };
        }
        return { kind: 'pong' };
      }
      if (c === LF) {
        this.start++; // a bare LF: noise between messages (RFC 3261 §7.5 tolerance)
        continue;
      }
      this.crlfRun = 0;
      this.currentState = StreamFramerState.Headers;
      this.scanFrom = this.start;
      this.lineScan = this.start;
      this.startLineChecked = false;
      return this.stepHeaders();
    }
    return undefined;
  }

  private stepHeaders(): StreamFramerEvent | undefined {
    const b = this.buffer;
    if (!this.startLineChecked) {
      // Garbage is refused at its first impossible byte, not after the line-length limit.
      const scanned = scanStartLine(b, this.lineScan, this.end, this.start);
      if (typeof scanned === 'string') return { kind: 'error', reason: scanned, oversized: false };
      this.lineScan = scanned.next;
      const eol = scanned.eol;
      if (eol === -1) {
        if (this.end - this.start > this.limits.maxStartLine)
          return {
            kind: 'error',
            reason: `start line longer than ${this.limits.maxStartLine} bytes`,
            oversized: true,
          };
        return undefined;
      }
      if (eol - this.start > this.limits.maxStartLine)
        return {
          kind: 'error',
          reason: `start line longer than ${this.limits.maxStartLine} bytes`,
          oversized: true,
        };
      const line = latin1.decode(b.subarray(this.start, eol));
      if (!STATUS_LINE.test(line) && !REQUEST_LINE.test(line))
        return {
          kind: 'error',
          reason: `not a SIP start line: ${JSON.stringify(line.slice(0, 80))}`,
          oversized: false,
        };
      this.startLineChecked = true;
      this.scanFrom = eol; // the terminator may begin with this line's CRLF
      this.headersFrom = eol + 2;
    }
    const terminator = indexOfDoubleCrlf(b, this.scanFrom, this.end);
    // Measured like the parser does: from after the start line to the start of the empty line.
    const limit = this.limits.maxHeaderBytes;
    if (terminator === -1) {
      if (this.end - this.headersFrom > limit + 2)
        return { kind: 'error', reason: `header section larger than ${limit} bytes`, oversized: true };
      this.scanFrom = Math.max(this.start, this.end - 3);
      return undefined;
    }
    const headerEnd = terminator + 4;
    if (terminator + 2 - this.headersFrom > limit)
      return { kind: 'error', reason: `header section larger than ${limit} bytes`, oversized: true };
    const length = contentLength(latin1.decode(b.subarray(this.start, terminator)));
    if (typeof length === 'string') return { kind: 'error', reason: length, oversized: false };
    if (length > this.limits.maxBodyBytes)
      return {
        kind: 'error',
        reason: `body of ${length} bytes exceeds the limit of ${this.limits.maxBodyBytes}`,
        oversized: true,
      };
    this.bodyEnd = headerEnd + length;
    this.currentState = StreamFramerState.Body;
    return this.stepBody();
  }

  private stepBody(): StreamFramerEvent | undefined {
    if (this.end < this.bodyEnd) return undefined;
    const bytes = this.buffer.slice(this.start, this.bodyEnd);
    this.start = this.bodyEnd;
    this.currentState = StreamFramerState.Idle;
    return { kind: 'message', bytes };
  }

  private append(chunk: Uint8Array): void {
    const needed = this.end + chunk.length;
    if (needed > this.buffer.length) {
      const live = this.end - this.start;
      const capacity = Math.max(this.buffer.length * 2, live + chunk.length);
      const next = new Uint8Array(capacity);
      next.set(this.buffer.subarray(this.start, this.end));
      this.shift(this.start);
      this.buffer = next;
    }
    this.buffer.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** Moves the live bytes to the front once the consumed prefix is large. */
  private compact(): void {
    if (this.start === this.end) {
      this.shift(this.start);
      return;
    }
    if (this.start > 0 && this.start >= this.buffer.length / 2) {
      this.buffer.copyWithin(0, this.start, this.end);
      this.shift(this.start);
    }
  }

  /** Rebases every index after the first `by` bytes were dropped. */
  private shift(by: number): void {
    this.start -= by;
    this.end -= by;
    this.scanFrom = Math.max(0, this.scanFrom - by);
    this.headersFrom = Math.max(0, this.headersFrom - by);
    this.lineScan = Math.max(0, this.lineScan - by);
    this.bodyEnd = Math.max(0, this.bodyEnd - by);
  }
}

/** Longest first word of a start line (a method name, or `SIP/2.0`). */
const MAX_FIRST_WORD = 32;

/**
 * Checks the start line's bytes from `from` (the line opened at `lineStart`) as they arrive:
 * the first word must be token characters (RFC 3261 §25.1; `/` for `SIP/2.0`) and short, and
 * the line may hold no control characters. Returns the CRLF's index (-1 if not arrived yet)
 * and where to resume, or the reason the bytes cannot be a SIP start line.
 */
function scanStartLine(
  b: Uint8Array,
  from: number,
  to: number,
  lineStart: number,
): { readonly eol: number; readonly next: number } | string {
  const head = b.subarray(lineStart, Math.min(to, lineStart + MAX_FIRST_WORD + 2)).indexOf(0x20);
  const firstWordEnd = head === -1 ? Infinity : lineStart + head; // index of the first space
  let i = from;
  for (; i < to; i++) {
    const c = b[i]!;
    if (c === CR) {
      if (i + 1 >= to) return { eol: -1, next: i };
      if (b[i + 1] !== LF) return 'bare CR in the start line';
      return { eol: i, next: i };
    }
    if (c < 0x20 || c === 0x7f) return `control byte 0x${c.toString(16).padStart(2, '0')} in the start line`;
    if (i < firstWordEnd) {
      if (!isTokenOrSlash(c)) return `not a SIP start line (byte 0x${c.toString(16)} in the first word)`;
      if (i - lineStart >= MAX_FIRST_WORD) return 'not a SIP start line (first word too long)';
    }
  }
  return { eol: -1, next: i };
}

function isTokenOrSlash(c: number): boolean {
  // token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
  return (
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0x2d ||
    c === 0x2e ||
    c === 0x21 ||
    c === 0x25 ||
    c === 0x2a ||
    c === 0x5f ||
    c === 0x2b ||
    c === 0x60 ||
    c === 0x27 ||
    c === 0x7e ||
    c === 0x2f
  );
}

function indexOfDoubleCrlf(b: Uint8Array, from: number, to: number): number {
  for (let i = b.indexOf(CR, from); i !== -1 && i + 3 < to; i = b.indexOf(CR, i + 1)) {
    if (b[i + 1] === LF && b[i + 2] === CR && b[i + 3] === LF) return i;
  }
  return -1;
}

/**
 * The Content-Length of a header section (start line included, final CRLFCRLF excluded), or a
 * reason string when it is unusable. RFC 3261 §18.3 requires the header on streams; a message
 * without it is taken to have no body (NOTE: tolerant — several phones omit it on bodiless
 * requests; a body sent without it fails at the next start-line check instead).
 */
export function contentLength(headerSection: string): number | string {
  let found: number | undefined;
  const lines = headerSection.split('\r\n');
  for (let i = 1; i < lines.length; i++) {
    let line = lines[i]!;
    // Unfold continuation lines (RFC 3261 §7.3.1) into this one.
    while (i + 1 < lines.length && /^[ \t]/.test(lines[i + 1]!)) line += ' ' + lines[++i]!.trim();
    const colon = line.indexOf(':');
    if (colon === -1) continue; // the parser will reject it; framing does not need it
    if (!CONTENT_LENGTH_NAME.test(line.slice(0, colon).trim())) continue;
    const value = line.slice(colon + 1).trim();
    if (!/^[0-9]{1,10}$/.test(value)) return `bad Content-Length: ${JSON.stringify(value.slice(0, 40))}`;
    const n = Number(value);
    if (found !== undefined && found !== n) return 'conflicting Content-Length headers';
    found = n;
  }
  return found ?? 0;
}
