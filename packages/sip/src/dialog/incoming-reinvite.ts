// A re-INVITE received inside an established session (RFC 3261 §14.2), waiting for the
// application's answer. A 2xx carries our Contact, the session-timer headers and a body (our
// last one by default: the answer to the offer, or our offer when the re-INVITE had none);
// the session then waits for its ACK.
import type { MessageSource } from '../core/transport.ts';
import type { SipRequest } from '../message/sip-request.ts';
import type { SipResponse } from '../message/sip-response.ts';
import type { ServerTransaction } from '../transaction/transaction-types.ts';
import { IncomingRequest, type ResponseOptions } from '../ua/incoming-request.ts';
import type { Dialog } from './dialog.ts';
import { type SessionBody, bodyOf, toSessionBody } from './session-body.ts';
import type { SessionHost } from './session-host.ts';
import type { SessionTimerParams } from './session-timer.ts';

/** What the re-INVITE needs from its session. */
export interface ReinviteTarget {
  readonly dialog: Dialog;
  localBody: SessionBody | undefined;
  /** A 2xx went out: wait for the ACK, restart the session timer with `params`. */
  reinviteAccepted(
    response: SipResponse,
    transaction: ServerTransaction,
    params: SessionTimerParams | undefined,
  ): void;
  /** A final error response went out: the session goes on unchanged. */
  reinviteRejected(): void;
}

export class IncomingReinvite {
  private final: SipResponse | undefined;

  constructor(
    readonly request: SipRequest,
    readonly transaction: ServerTransaction,
    readonly source: MessageSource,
    private readonly host: SessionHost,
    private readonly session: ReinviteTarget,
    /** Session-timer headers and parameters negotiated for a 2xx (RFC 4028 §9). */
    private readonly timer: {
      readonly headers: ReadonlyArray<readonly [string, string]>;
      readonly params: SessionTimerParams | undefined;
    },
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
    const success = status >= 200 && status < 300;
    const headers: Array<readonly [string, string]> = [...this.host.responseHeaders()];
    if (status > 100 && status < 300) headers.push(['Contact', this.host.contactFor(this.session.dialog)]);
    if (success) headers.push(...this.timer.headers);
    const body =
      options.body !== undefined
        ? toSessionBody(options.body, options.contentType)
        : success
          ? this.session.localBody
          : undefined;
    const incoming = new IncomingRequest(
      this.request,
      this.transaction,
      this.source,
      this.session.dialog.localTag,
    );
    const response = incoming.respond(status, {
      ...options,
      headers: [...headers, ...(options.headers ?? [])],
      ...(body ? { body: body.body, contentType: body.contentType } : {}),
    });
    if (!response || status < 200) return response;
    this.final = response;
    if (success) {
      if (body) this.session.localBody = body;
      this.session.reinviteAccepted(response, this.transaction, this.timer.params);
    } else this.session.reinviteRejected();
    return response;
  }
}
