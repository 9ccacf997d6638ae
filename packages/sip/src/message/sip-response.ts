// A SIP response (RFC 3261 §7.2): SIP-Version SP Status-Code SP Reason-Phrase CRLF.
import type { HeadersInit, Headers } from './headers.ts';
import { reasonPhrase } from './reason-phrases.ts';
import { SipMessage } from './sip-message.ts';

export interface SipResponseInit {
  status: number;
  reason?: string;
  headers?: HeadersInit;
  body?: Uint8Array | string;
  version?: string;
}

export class SipResponse extends SipMessage {
  #status: number;
  #reason: string;
  #version: string;
  #rawStartLine: string | undefined;

  constructor(init: SipResponseInit) {
    super(init.headers, init.body);
    this.#status = init.status;
    this.#reason = init.reason ?? reasonPhrase(init.status);
    this.#version = init.version ?? 'SIP/2.0';
  }

  get status(): number {
    return this.#status;
  }

  set status(value: number) {
    this.#status = value;
    this.#rawStartLine = undefined;
    this.touch();
  }

  get reason(): string {
    return this.#reason;
  }

  set reason(value: string) {
    this.#reason = value;
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

  /** 1xx */
  get isProvisional(): boolean {
    return this.#status < 200;
  }

  /** 2xx */
  get isSuccess(): boolean {
    return this.#status >= 200 && this.#status < 300;
  }

  /** ≥ 200 */
  get isFinal(): boolean {
    return this.#status >= 200;
  }

  startLine(): string {
    return this.#rawStartLine ?? `${this.#version} ${this.#status} ${this.#reason}`;
  }

  clone(): SipResponse {
    const c = new SipResponse({
      status: this.#status,
      reason: this.#reason,
      headers: this.headers.clone(),
      body: this.body,
      version: this.#version,
    });
    c.#rawStartLine = this.#rawStartLine;
    return c;
  }

  /** @internal Used by the parser. */
  static fromParsed(
    status: number,
    reason: string,
    version: string,
    headers: Headers,
    body: Uint8Array,
    startLine: string,
  ): SipResponse {
    const r = new SipResponse({ status, reason, headers, body, version });
    r.#rawStartLine = startLine;
    return r;
  }

  protected validateStartLine(): string | undefined {
    return undefined;
  }
}
