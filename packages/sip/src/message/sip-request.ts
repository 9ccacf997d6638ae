// A SIP request (RFC 3261 §7.1): Method SP Request-URI SP SIP-Version CRLF.
import { type Uri, parseUri } from '../uri/parse-uri.ts';
import { unwrap } from '../header/parsed.ts';
import type { Headers, HeadersInit } from './headers.ts';
import { SipMessage } from './sip-message.ts';

export interface SipRequestInit {
  method: string;
  uri: Uri | string;
  headers?: HeadersInit;
  body?: Uint8Array | string;
  version?: string;
}

export class SipRequest extends SipMessage {
  #method: string;
  #uri: Uri;
  #version: string;
  /** The start line as received, reused while method, URI and version are unchanged. */
  #rawStartLine: string | undefined;

  constructor(init: SipRequestInit) {
    super(init.headers, init.body);
    this.#method = init.method;
    this.#uri = typeof init.uri === 'string' ? unwrap(parseUri(init.uri), 'Request-URI') : init.uri;
    this.#version = init.version ?? 'SIP/2.0';
  }

  /** Method, case-sensitive (RFC 3261 §7.1): `INVITE`, `ACK`, … */
  get method(): string {
    return this.#method;
  }

  set method(value: string) {
    this.#method = value;
    this.#rawStartLine = undefined;
    this.touch();
  }

  /**
   * The Request-URI. Assign a new URI to change it (mutating the returned object is not
   * noticed by the serializer of a parsed message).
   */
  get uri(): Uri {
    return this.#uri;
  }

  set uri(value: Uri) {
    this.#uri = value;
    this.#rawStartLine = undefined;
    this.touch();
  }

  get version(): string {
    return this.#version;
  }

  set version(value: string) {
    this.#version = value;
    this.#rawStartLine = undefined;
    this.touch();
  }

  startLine(): string {
    return this.#rawStartLine ?? `${this.#method} ${this.#uri.toString()} ${this.#version}`;
  }

  clone(): SipRequest {
    const c = new SipRequest({
      method: this.#method,
      uri: this.#uri.clone(),
      headers: this.headers.clone(),
      body: this.body,
      version: this.#version,
    });
    c.#rawStartLine = this.#rawStartLine;
    return c;
  }

  /** @internal Used by the parser. */
  static fromParsed(
    method: string,
    uri: Uri,
    version: string,
    headers: Headers,
    body: Uint8Array,
    startLine: string,
  ): SipRequest {
    const r = new SipRequest({ method, uri, headers, body, version });
    r.#rawStartLine = startLine;
    return r;
  }

  protected validateStartLine(): string | undefined {
    // RFC 3261 §8.1.1.5: the CSeq method MUST match the request method.
    const method = this.cseq.method;
    if (method !== this.#method) return `CSeq method ${method} does not match request method ${this.#method}`;
    return undefined;
  }
}
