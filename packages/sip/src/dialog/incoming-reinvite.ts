// A re-INVITE received inside an established session (RFC 3261 §14.2), waiting for the
// application's answer. The Session supplies how a response is built (Contact, session-timer
// headers, our last body by default) and what happens after it (waiting for the ACK).
import type { MessageSource } from '../core/transport.ts';
import type { SipRequest } from '../message/sip-request.ts';
import type { SipResponse } from '../message/sip-response.ts';
import type { ServerTransaction } from '../transaction/transaction-types.ts';
import type { ResponseOptions } from '../ua/incoming-request.ts';
import { type SessionBody, bodyOf } from './session-body.ts';

export interface IncomingReinviteHandler {
  respond(status: number, options: ResponseOptions): SipResponse | undefined;
}

export class IncomingReinvite {
  private final: SipResponse | undefined;

  constructor(
    readonly request: SipRequest,
    readonly transaction: ServerTransaction,
    readonly source: MessageSource,
    private readonly handler: IncomingReinviteHandler,
  ) {}

  /** The offer in the re-INVITE, or undefined when it asks us for one (our 2xx then offers). */
  get offer(): SessionBody | undefined {
    return bodyOf(this.request);
  }

  get answered(): boolean {
    return this.final !== undefined;
  }

  /** 200 OK; without a body, the session's last local body is sent (answer or new offer). */
  accept(options: ResponseOptions = {}): SipResponse | undefined {
    return this.respond(200, options);
  }

  /** A final error response (e.g. 488 Not Acceptable Here); the session goes on unchanged. */
  reject(status = 488, options: ResponseOptions = {}): SipResponse | undefined {
    return this.respond(status, options);
  }

  /** A provisional or final response. */
  respond(status: number, options: ResponseOptions = {}): SipResponse | undefined {
    if (this.final) return undefined;
    const response = this.handler.respond(status, options);
    if (response && status >= 200) this.final = response;
    return response;
  }
}
