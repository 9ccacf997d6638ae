// An INVITE received outside any dialog: a new call waiting for the application (RFC 3261
// §13.3). The application sends provisional responses (reliably with RFC 3262 when the caller
// supports it), then accepts — which returns the Session — or rejects. A CANCEL (§9.2) ends it
// with 487; a PRACK acknowledges a reliable provisional response.
import type { MessageSource } from '../core/transport.ts';
import type { DialogHandler } from '../dialog/dialog-handler.ts';
import { DialogState } from '../dialog/dialog-state.ts';
import { Dialog } from '../dialog/dialog.ts';
import { Retransmitter } from '../dialog/retransmitter.ts';
import { bodyOf, toSessionBody } from '../dialog/session-body.ts';
import { negotiateAsUas } from '../dialog/session-timer.ts';
import { Session } from '../dialog/session.ts';
import type { SipRequest } from '../message/sip-request.ts';
import type { SipResponse } from '../message/sip-response.ts';
import type { ServerTransaction } from '../transaction/transaction-types.ts';
import { IncomingRequest, type ResponseOptions } from './incoming-request.ts';
import type { InviteHost } from './invite-host.ts';
import { acceptsReliableProvisional, parseRAck } from './reliable-provisional.ts';

export interface IncomingInviteDelegate {
  /** The caller cancelled (§9.2); 200 went to the CANCEL and 487 to the INVITE. */
  onCancel?(cancel: SipRequest, invite: IncomingInvite): void;
  /** A PRACK acknowledged a reliable provisional response (its body may carry an offer/answer). */
  onPrack?(prack: SipRequest, invite: IncomingInvite): void;
  /** The INVITE ended without a session: rejected, cancelled, or a reliable 1xx never PRACKed. */
  onEnded?(response: SipResponse | undefined, invite: IncomingInvite): void;
}

export interface ProgressOptions extends ResponseOptions {
  /** Send reliably (RFC 3262) if the caller supports 100rel. */
  readonly reliable?: boolean;
}

export type IncomingInviteState = 'waiting' | 'accepted' | 'rejected' | 'cancelled';

export class IncomingInvite implements DialogHandler {
  delegate: IncomingInviteDelegate = {};
  /** Our To tag for every response to this INVITE. */
  readonly localTag: string;
  private current: IncomingInviteState = 'waiting';
  private early: Dialog | undefined;
  private rseq: number | undefined;
  private pending: { readonly rseq: number; readonly retransmitter: Retransmitter } | undefined;
  private readonly queue: Array<{ status: number; options: ProgressOptions }> = [];
  private sessionCreated: Session | undefined;

  constructor(
    private readonly host: InviteHost,
    readonly request: SipRequest,
    readonly transaction: ServerTransaction,
    readonly source: MessageSource,
  ) {
    this.localTag = host.newTag();
  }

  get state(): IncomingInviteState {
    return this.current;
  }

  /** The session, once accepted. */
  get session(): Session | undefined {
    return this.sessionCreated;
  }

  /** Whether the caller accepts reliable provisional responses (RFC 3262). */
  get supportsReliable(): boolean {
    return this.host.reliableProvisional !== 'none' && acceptsReliableProvisional(this.request);
  }

  /**
   * Sends a provisional response (180 Ringing by default; 183 with a body for early media).
   * With `reliable` and a caller that supports 100rel, it is retransmitted until PRACKed;
   * RFC 3262 §3 allows one unacknowledged reliable response at a time, so later ones wait.
   */
  progress(status = 180, options: ProgressOptions = {}): void {
    if (this.current !== 'waiting' || status < 101 || status > 199) return;
    const reliable = options.reliable === true && this.supportsReliable;
    if (reliable && this.pending) {
      this.queue.push({ status, options });
      return;
    }
    this.ensureEarlyDialog();
    const headers: Array<readonly [string, string]> = [
      ...this.host.responseHeaders(),
      ['Contact', this.host.contactFor(this.early!)],
    ];
    if (reliable) {
      // RFC 3262 §3: "The value of the RSeq ... MUST be greater by exactly one" each time; the
      // first is chosen at random below 2**31.
      this.rseq = this.rseq === undefined ? 1 + Math.floor(this.host.random() * 2 ** 30) : this.rseq + 1;
      headers.push(['Require', '100rel'], ['RSeq', String(this.rseq)]);
    }
    const response = this.send(status, { ...options, headers: [...headers, ...(options.headers ?? [])] });
    if (!response || !reliable) return;
    const { T1 } = this.host.timers;
    this.pending = {
      rseq: this.rseq!,
      retransmitter: new Retransmitter({
        clock: this.host.clock,
        initialMs: T1,
        deadlineMs: 64 * T1,
        send: () => void this.transaction.respond(response),
        // RFC 3262 §3: "If a reliable provisional response is retransmitted for 64*T1 seconds
        // without reception of a corresponding PRACK, the UAS SHOULD reject the original request
        // with a 5xx response."
        giveUp: () => {
          this.pending = undefined;
          this.reject(500, { reason: 'Reliable Provisional Response Not Acknowledged' });
        },
      }),
    };
  }

  /**
   * Answers with 200 OK (§13.3.1.4) and returns the confirmed Session; its 2xx is
   * retransmitted until the ACK arrives. Set `session.delegate` right away.
   */
  accept(options: ResponseOptions = {}): Session | undefined {
    if (this.current !== 'waiting') return undefined;
    const negotiation = negotiateAsUas(this.request, this.host.sessionTimers);
    const dialog =
      this.early ?? Dialog.asUas(this.request, this.localTag, DialogState.Confirmed, this.source);
    dialog.confirm();
    const body = toSessionBody(options.body, options.contentType);
    const headers: Array<readonly [string, string]> = [
      ...this.host.responseHeaders(),
      ['Contact', this.host.contactFor(dialog)],
      ...(negotiation.kind === 'accept' ? negotiation.headers : []),
      ...(options.headers ?? []),
    ];
    const session = new Session(this.host, dialog, {
      ...(body ? { localBody: body } : {}),
      ...(bodyOf(this.request) ? { remoteBody: bodyOf(this.request)! } : {}),
      remoteAllow: this.request.headers.getAll('Allow'),
    });
    this.host.registerDialog(dialog, session);
    const response = this.send(200, { ...options, headers });
    if (!response) {
      this.host.unregisterDialog(dialog, session);
      return undefined;
    }
    this.current = 'accepted';
    this.stopReliable();
    this.sessionCreated = session;
    session.awaitAck(response, this.transaction);
    if (negotiation.kind === 'accept' && this.host.sessionTimers.enabled)
      session.timer.start(negotiation.params, 'uas');
    return session;
  }

  /** Rejects the call (486 Busy Here by default; 3xx with Contact headers to redirect). */
  reject(status = 486, options: ResponseOptions = {}): SipResponse | undefined {
    if (this.current !== 'waiting' || status < 300) return undefined;
    const response = this.send(status, {
      ...options,
      headers: [...this.host.responseHeaders(), ...(options.headers ?? [])],
    });
    this.finish('rejected', response);
    return response;
  }

  /** The CANCEL matched this INVITE (the UA already answered the CANCEL with 200). @internal */
  receiveCancel(cancel: SipRequest): void {
    if (this.current !== 'waiting') return;
    // §9.2: "the UAS SHOULD ... respond to the original request with a 487 (Request Terminated)".
    const response = this.send(487, { headers: this.host.responseHeaders() });
    this.finish('cancelled', response);
    this.delegate.onCancel?.(cancel, this);
  }

  /** Requests inside our early dialog: PRACK, BYE (§15: a caller may BYE an early dialog), others. @internal */
  receiveRequest(
    request: SipRequest,
    transaction: ServerTransaction | undefined,
    source: MessageSource,
  ): void {
    if (!transaction) return;
    const incoming = new IncomingRequest(
      request,
      transaction,
      source,
      this.localTag,
      this.host.responseHeaders(),
    );
    if (this.early && !this.early.acceptRemoteSeq(request)) {
      incoming.respond(500, { reason: 'Request Out Of Order' });
      return;
    }
    switch (request.method) {
      case 'PRACK':
        this.receivePrack(request, incoming);
        return;
      case 'BYE':
        incoming.respond(200);
        if (this.current === 'waiting')
          this.finish('cancelled', this.send(487, { headers: this.host.responseHeaders() }));
        return;
      case 'UPDATE':
        // NOTE: early-dialog UPDATE (RFC 3311 §5.1) without an offer is a no-op refresh; offers
        // during the early dialog are not negotiated here.
        incoming.respond(bodyOf(request) ? 488 : 200);
        return;
      default:
        incoming.respond(501);
    }
  }

  private receivePrack(prack: SipRequest, incoming: IncomingRequest): void {
    const rack = parseRAck(prack);
    const pending = this.pending;
    // RFC 3262 §3: "If the PRACK does not match any unacknowledged reliable provisional
    // response, the UAS MUST respond to the PRACK with a 481".
    if (
      !pending ||
      !rack ||
      rack.rseq !== pending.rseq ||
      rack.cseq !== this.request.cseq.seq ||
      rack.method !== 'INVITE'
    ) {
      incoming.respond(481);
      return;
    }
    pending.retransmitter.stop();
    this.pending = undefined;
    incoming.respond(200);
    this.delegate.onPrack?.(prack, this);
    const next = this.queue.shift();
    if (next) this.progress(next.status, next.options);
  }

  private ensureEarlyDialog(): void {
    if (this.early) return;
    this.early = Dialog.asUas(this.request, this.localTag, DialogState.Early, this.source);
    this.host.registerDialog(this.early, this);
  }

  private send(status: number, options: ResponseOptions): SipResponse | undefined {
    // §12.1.1: "the UAS MUST copy all Record-Route header field values from the request into
    // the response" that creates the dialog (1xx with tag, 2xx).
    const incoming = new IncomingRequest(this.request, this.transaction, this.source, this.localTag);
    return incoming.respond(status, { ...options, copyRecordRoute: true });
  }

  private stopReliable(): void {
    this.pending?.retransmitter.stop();
    this.pending = undefined;
    this.queue.length = 0;
  }

  private finish(state: IncomingInviteState, response: SipResponse | undefined): void {
    this.current = state;
    this.stopReliable();
    if (this.early) {
      this.early.terminate();
      this.host.unregisterDialog(this.early, this);
    }
    this.delegate.onEnded?.(response, this);
  }
}
