// The common part of requests and responses (RFC 3261 §7): start line, headers, body.
// Typed accessors parse a header on first use and cache the result in `headers` until that
// header changes. Returned objects are the cached ones: treat them as read-only and write
// changes back with the setters (`msg.from = …`, `msg.setVias(…)`), which keep the raw
// header text and the cache consistent.
import type { Contact } from '../header/contact.ts';
import { type CSeq, formatCSeq } from '../header/cseq.ts';
import type { MediaType } from '../header/media-type.ts';
import type { NameAddr } from '../header/name-addr.ts';
import { type Parsed, SipHeaderError, ok, unwrap } from '../header/parsed.ts';
import { splitList } from '../header/scan.ts';
import { type Via, parseTopVia } from '../header/via.ts';
import { Headers, type HeadersInit } from './headers.ts';
import { DISPLAY_NAME, HEADER_PARSERS, type HeaderKey, type HeaderValue } from './typed-headers.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const EMPTY = new Uint8Array(0);

// Serialized messages are cut from a shared slab, as Node's Buffer pool does: allocating a
// small typed array costs more than filling it. The result is a view; treat it as read-only.
const POOL_SIZE = 64 * 1024;
const POOLED_MAX = 8 * 1024;
let pool = new Uint8Array(POOL_SIZE);
let poolOffset = 0;

function allocate(size: number): Uint8Array {
  if (size > POOLED_MAX) return new Uint8Array(size);
  if (poolOffset + size > POOL_SIZE) {
    pool = new Uint8Array(POOL_SIZE);
    poolOffset = 0;
  }
  const out = pool.subarray(poolOffset, poolOffset + size);
  poolOffset = (poolOffset + size + 7) & ~7;
  return out;
}

export abstract class SipMessage {
  readonly headers: Headers;
  #body: Uint8Array;
  /** The bytes this message was parsed from, valid while nothing changed. */
  #raw: Uint8Array | undefined;
  #rawVersion = -1;

  protected constructor(headers?: HeadersInit, body?: Uint8Array | string) {
    this.headers = headers instanceof Headers ? headers : new Headers(headers);
    this.#body = body === undefined ? EMPTY : typeof body === 'string' ? encoder.encode(body) : body;
  }

  /** The start line without CRLF (`INVITE sip:bob@b.example SIP/2.0`, `SIP/2.0 200 OK`). */
  abstract startLine(): string;
  abstract clone(): SipMessage;

  /** Protocol version from the start line, e.g. `SIP/2.0`. */
  abstract version: string;

  get body(): Uint8Array {
    return this.#body;
  }

  set body(value: Uint8Array | string) {
    this.#body = typeof value === 'string' ? encoder.encode(value) : value;
    this.touch();
  }

  /** The body decoded as UTF-8. */
  get bodyText(): string {
    return decoder.decode(this.#body);
  }

  /** A typed header value (parsed once, cached). Returns the parse result, never throws. */
  parsedHeader<K extends HeaderKey>(key: K): Parsed<HeaderValue<K>> {
    return this.headers.cached(key, HEADER_PARSERS[key] as (v: string[]) => Parsed<HeaderValue<K>>);
  }

  /** A typed header value; throws SipHeaderError when missing (if required) or malformed. */
  protected value<K extends HeaderKey>(key: K): HeaderValue<K> {
    return unwrap(this.parsedHeader(key), DISPLAY_NAME[key]);
  }

  get callId(): string {
    return this.value('call-id');
  }

  set callId(value: string) {
    this.headers.set('Call-ID', value);
  }

  get cseq(): CSeq {
    return this.value('cseq');
  }

  set cseq(value: CSeq) {
    this.headers.set('CSeq', formatCSeq(value));
  }

  get from(): NameAddr {
    return this.value('from');
  }

  set from(value: NameAddr) {
    this.headers.set('From', value.toString());
  }

  get to(): NameAddr {
    return this.value('to');
  }

  set to(value: NameAddr) {
    this.headers.set('To', value.toString());
  }

  /** All Via values, top first. */
  vias(): Via[] {
    return this.value('via');
  }

  /**
   * The top Via. Parses only the first value (a transaction or proxy rarely needs the
   * others); `vias()` parses them all.
   */
  topVia(): Via | undefined {
    return unwrap(this.parsedTopVia(), 'Via');
  }

  /** The top Via as a parse result (never throws); undefined value when there is no Via. */
  parsedTopVia(): Parsed<Via | undefined> {
    return this.headers.cached('via#top', (values: string[]) =>
      values.length === 0 ? ok(undefined) : parseTopVia(values[0] as string),
    );
  }

  /** Replaces all Via headers (one field per value). */
  setVias(vias: readonly Via[]): void {
    if (vias.length === 0) this.headers.remove('Via');
    else
      this.headers.set(
        'Via',
        vias.map((v) => v.toString()),
      );
  }

  /** Adds a Via on top (a proxy or UAC sending a request, RFC 3261 §16.6 step 8). */
  pushVia(via: Via): void {
    this.headers.prepend('Via', via.toString());
  }

  /** Removes and returns the top Via (a proxy forwarding a response, §16.7 step 3). */
  popVia(): Via | undefined {
    const vias = this.vias();
    const top = vias[0];
    if (top === undefined) return undefined;
    const rest = vias.slice(1);
    const fields = this.headers.getFieldValues('via');
    if (fields.length > 0 && splitList(fields[0] as string).length === 1) {
      // Common case: keep the other Via fields byte-for-byte.
      this.headers.set('Via', fields.slice(1));
      if (fields.length === 1) this.headers.remove('Via');
    } else this.setVias(rest);
    return top;
  }

  /** Replaces the top Via (e.g. to add `received`/`rport`, RFC 3581 §4). */
  setTopVia(via: Via): void {
    const fields = this.headers.getFieldValues('via');
    const first = fields[0];
    if (first === undefined) {
      this.pushVia(via);
      return;
    }
    const items = splitList(first);
    items[0] = via.toString();
    this.headers.set('Via', [items.join(', '), ...fields.slice(1)]);
  }

  /** Contact values; `Contact: *` gives one Contact with `isWildcard`. Empty when absent. */
  contacts(): Contact[] {
    return this.value('contact');
  }

  setContacts(contacts: readonly Contact[]): void {
    if (contacts.length === 0) this.headers.remove('Contact');
    else
      this.headers.set(
        'Contact',
        contacts.map((c) => c.toString()),
      );
  }

  get maxForwards(): number | undefined {
    return this.value('max-forwards');
  }

  set maxForwards(value: number | undefined) {
    if (value === undefined) this.headers.remove('Max-Forwards');
    else this.headers.set('Max-Forwards', String(value));
  }

  /** The Expires header in seconds, if any. */
  get expires(): number | undefined {
    return this.value('expires');
  }

  set expires(value: number | undefined) {
    if (value === undefined) this.headers.remove('Expires');
    else this.headers.set('Expires', String(value));
  }

  routes(): NameAddr[] {
    return this.value('route');
  }

  setRoutes(routes: readonly NameAddr[]): void {
    if (routes.length === 0) this.headers.remove('Route');
    else
      this.headers.set(
        'Route',
        routes.map((r) => r.toString()),
      );
  }

  recordRoutes(): NameAddr[] {
    return this.value('record-route');
  }

  setRecordRoutes(routes: readonly NameAddr[]): void {
    if (routes.length === 0) this.headers.remove('Record-Route');
    else
      this.headers.set(
        'Record-Route',
        routes.map((r) => r.toString()),
      );
  }

  get contentType(): MediaType | undefined {
    return this.value('content-type');
  }

  set contentType(value: MediaType | string | undefined) {
    if (value === undefined) this.headers.remove('Content-Type');
    else this.headers.set('Content-Type', value.toString());
  }

  /** Content-Length as declared in the headers (the serializer always writes the real length). */
  get contentLength(): number | undefined {
    return this.value('content-length');
  }

  /** The wire form. An unchanged parsed message returns the bytes it was parsed from. */
  toBytes(): Uint8Array {
    if (this.#raw !== undefined && this.#rawVersion === this.headers.version) return this.#raw;
    return this.serialize();
  }

  /**
   * Builds the wire form from the start line, fields and body. Content-Length is written with
   * the real body length (replacing a declared one, or appended when absent). The result may
   * be a view into a shared buffer: read it, send it, do not write into it.
   */
  serialize(): Uint8Array {
    const len = String(this.#body.length);
    let seenLength = false;
    let head =
      this.startLine() +
      '\r\n' +
      this.headers.serialize((key, value) => {
        if (key !== 'content-length') return value;
        seenLength = true;
        return len;
      });
    if (!seenLength) head += 'Content-Length: ' + len + '\r\n';
    head += '\r\n';
    const body = this.#body;
    // One allocation when the head is ASCII (the usual case): encode straight into place.
    let out = allocate(head.length + body.length);
    const { read, written } = encoder.encodeInto(head, out);
    if (read !== head.length || written !== head.length) {
      const headBytes = encoder.encode(head);
      out = new Uint8Array(headBytes.length + body.length);
      out.set(headBytes, 0);
      out.set(body, headBytes.length);
      return out;
    }
    if (body.length > 0) out.set(body, written);
    return out;
  }

  /** The wire form as text (bodies decoded as UTF-8; for logs and tests). */
  toString(): string {
    return decoder.decode(this.toBytes());
  }

  /** @internal Called by the parser: remember the bytes this message came from. */
  adoptRaw(raw: Uint8Array): void {
    this.#raw = raw;
    this.#rawVersion = this.headers.version;
  }

  /**
   * @internal Gives the message its own copy of the bytes it was parsed from (and of its body),
   * so it no longer shares memory with the input buffer. Used by the stream decoder.
   */
  detach(): void {
    const raw = this.#raw;
    if (raw === undefined) {
      this.#body = this.#body.slice();
      return;
    }
    const copy = raw.slice();
    const body = this.#body;
    const at = body.byteOffset - raw.byteOffset;
    const shares = body.buffer === raw.buffer && at >= 0 && at + body.length <= raw.length;
    this.#body = shares ? copy.subarray(at, at + body.length) : body.slice();
    this.#raw = copy;
  }

  /**
   * @internal Drops the parsed header values (parsed again if read) and the received bytes: a
   * message a transaction keeps only to match or retransmit holds its text, not parsed objects.
   */
  compact(): void {
    this.headers.dropParsed();
    // The bytes it was parsed from (a whole datagram) are not needed to serialize it again.
    this.#raw = undefined;
    if (this.#body.length === 0) this.#body = EMPTY;
  }

  /** Forget the parsed bytes after a change the headers do not see (start line, body). */
  protected touch(): void {
    this.#raw = undefined;
  }

  /**
   * Checks the headers of this message without throwing; returns the first problem as
   * "Header: reason", or undefined. `core`: what a transaction or proxy needs (RFC 3261
   * §8.1.1): the top Via, From and To (name-addr structure and parameters; their URIs only
   * for shape), Call-ID, CSeq (and its method against the request's), Max-Forwards and
   * Content-Length. `all`: also every Via, Content-Type, Contact, Route, Record-Route and
   * Expires, and every URI inside those name-addr values.
   */
  validate(level: ValidationLevel = 'core'): string | undefined {
    for (const key of REQUIRED) {
      const problem = this.check(key, true);
      if (problem !== undefined) return problem;
    }
    const top = this.parsedTopVia();
    if (!top.ok) return `Via: ${top.reason}`;
    if (top.value === undefined) return 'Via: missing';
    for (const key of level === 'all' ? ALL_OPTIONAL : OPTIONAL) {
      const problem = this.check(key, false);
      if (problem !== undefined) return problem;
    }
    if (level === 'all') {
      // URIs inside name-addr values are parsed lazily; `all` parses them now.
      const lists: Array<[string, readonly NameAddr[]]> = [
        ['From', [this.from]],
        ['To', [this.to]],
        ['Contact', this.contacts().filter((c) => !c.isWildcard)],
        ['Route', this.routes()],
        ['Record-Route', this.recordRoutes()],
      ];
      for (const [name, values] of lists) {
        for (const v of values) {
          const problem = v.checkUri();
          if (problem !== undefined) return `${name}: ${problem}`;
        }
      }
    }
    return this.validateStartLine();
  }

  /** Start-line rules that depend on headers (the request method must match CSeq). */
  protected abstract validateStartLine(): string | undefined;

  private check(key: HeaderKey, required: boolean): string | undefined {
    const r = this.parsedHeader(key);
    if (!r.ok) return `${DISPLAY_NAME[key]}: ${r.reason}`;
    if (required && r.value === undefined) return `${DISPLAY_NAME[key]}: missing`;
    return undefined;
  }
}

/** How much of a message `validate` and `parseMessage` check. */
export type ValidationLevel = 'core' | 'all';

const REQUIRED = ['call-id', 'cseq', 'from', 'to'] as const;
const OPTIONAL = ['max-forwards', 'content-length'] as const;
const ALL_OPTIONAL = [
  ...OPTIONAL,
  'via',
  'content-type',
  'contact',
  'route',
  'record-route',
  'expires',
] as const;

export { SipHeaderError };
