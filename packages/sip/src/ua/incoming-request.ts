// A request the UA received, waiting for the application's answer (RFC 3261 §8.2). Answers
// go through the server transaction, which retransmits and absorbs as §17.2 says.
import type { MessageSource } from '../core/transport.ts';
import { createResponse } from '../message/create-response.ts';
import type { SipRequest } from '../message/sip-request.ts';
import type { SipResponse } from '../message/sip-response.ts';
import type { ServerTransaction } from '../transaction/transaction-types.ts';

export interface ResponseOptions {
  readonly reason?: string;
  /** Copy the request's Record-Route (1xx/2xx to a dialog-creating request, §12.1.1). */
  readonly copyRecordRoute?: boolean;
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly body?: Uint8Array | string;
  readonly contentType?: string;
}

/** Builds a response: To tag added when the request has none (§8.2.6.2), extras appended. */
export function buildResponse(
  request: SipRequest,
  status: number,
  toTag: string | undefined,
  options: ResponseOptions = {},
): SipResponse {
  const response = createResponse(request, status, options.reason, {
    ...(status > 100 && toTag !== undefined ? { toTag } : {}),
    ...(options.copyRecordRoute === true && status < 300 ? { copyRecordRoute: true } : {}),
  });
  for (const [name, value] of options.headers ?? []) response.headers.append(name, value);
  if (options.body !== undefined) {
    if (options.contentType !== undefined) response.headers.set('Content-Type', options.contentType);
    response.body = options.body;
  }
  return response;
}

export class IncomingRequest {
  private answered: SipResponse | undefined;

  constructor(
    readonly request: SipRequest,
    readonly transaction: ServerTransaction,
    readonly source: MessageSource,
    /** The tag for To when the request has none. */
    readonly toTag: string,
    /** Headers the UA adds to every response (e.g. Allow, Supported, User-Agent). */
    private readonly common: ReadonlyArray<readonly [string, string]> = [],
    /** Last changes to a response before it is sent (a dialog adds Contact to its 2xx). */
    private readonly decorate?: (response: SipResponse) => void,
  ) {}

  /** The final response sent, if any. */
  get response(): SipResponse | undefined {
    return this.answered;
  }

  /** Sends a response; returns it, or undefined when a final response was already sent. */
  respond(status: number, options: ResponseOptions = {}): SipResponse | undefined {
    if (this.answered) return undefined;
    const response = buildResponse(this.request, status, this.toTag, {
      ...options,
      headers: [...this.common, ...(options.headers ?? [])],
    });
    this.decorate?.(response);
    if (!this.transaction.respond(response)) return undefined;
    if (status >= 200) this.answered = response;
    return response;
  }

  accept(options: ResponseOptions = {}): SipResponse | undefined {
    return this.respond(200, options);
  }

  reject(status = 403, options: ResponseOptions = {}): SipResponse | undefined {
    return this.respond(status, options);
  }
}
