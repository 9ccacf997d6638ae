// An INVITE session: the dialog usage that starts with a 2xx to INVITE and ends with BYE
// (RFC 3261 §13–15). It ACKs 2xx responses and re-sends the ACK for their retransmissions
// (§13.2.2.4), retransmits its own 2xx until the ACK arrives (§13.3.1.4), refreshes the
// target and the session with re-INVITE and UPDATE (§14, RFC 3311), resolves INVITE glare
// with 491 / 500 (§14.2), runs the RFC 4028 session timer, and answers requests inside the
// dialog. One Session per dialog: a forked INVITE that is answered twice gives two.
import { IncomingRequest, type ResponseOptions } from '../ua/incoming-request.ts';
import type { MessageSource } from '../core/transport.ts';
import type { SipRequest } from '../message/sip-request.ts';
import type { SipResponse } from '../message/sip-response.ts';
import type { ServerTransaction } from '../transaction/transaction-types.ts';
import type { Dialog } from './dialog.ts';
import { IncomingReinvite, type ReinviteTarget } from './incoming-reinvite.ts';
import { InviteAcks } from './invite-acks.ts';
import { type SessionBody, bodyOf, toSessionBody } from './session-body.ts';
import type { SessionHost } from './session-host.ts';
import { type SessionEndReason, SessionState } from './session-state.ts';
import {
  SessionTimer,
  type SessionTimerParams,
  applySessionIntervalTooSmall,
  negotiateAsUas,
  uacParamsFromResponse,
  uacRequestHeaders,
} from './session-timer.ts';

export interface SessionDelegate {
  /** The ACK for our 2xx arrived (its body is the answer when our 2xx carried the offer). */
  onAck?(ack: SipRequest, session: Session): void;
  /** A re-INVITE: call accept() or reject(). Without a delegate it is accepted with our last body. */
  onReinvite?(reinvite: IncomingReinvite, session: Session): void;
  /** An UPDATE: answer it. Without a delegate: 200, with our last body if it carried an offer. */
  onUpdate?(request: IncomingRequest, session: Session): void;
  /** The peer hung up; the 200 was sent and the session is over. */
  onBye?(request: SipRequest, session: Session): void;
  /** Any other request inside the dialog (INFO, MESSAGE, REFER, NOTIFY, OPTIONS). Without a delegate: 501 (OPTIONS: 200). */
  onRequest?(request: IncomingRequest, session: Session): void;
  /** The session ended, for `reason`. */
  onTerminated?(reason: SessionEndReason, session: Session): void;
}

export interface InDialogOptions {
  readonly body?: Uint8Array | string;
  /** Default `application/sdp` for INVITE/UPDATE bodies. */
  readonly contentType?: string;
  readonly headers?: ReadonlyArray<readonly [string, string]>;
}

export interface ReinviteOptions extends InDialogOptions {
  /** Late offer: the answer for the ACK when our re-INVITE had no body and the 2xx has an offer. Default: our last body. */
  readonly answer?: (offer: SessionBody) => SessionBody | undefined;
}

export interface SessionInit {
  readonly localBody?: SessionBody;
  readonly remoteBody?: SessionBody;
  /** Methods the peer allows (its Allow header), used to prefer UPDATE for refreshes. */
  readonly remoteAllow?: Iterable<string>;
}

export class Session implements ReinviteTarget {
  readonly dialog: Dialog;
  delegate: SessionDelegate = {};
  /** The last body we sent (offer or answer). */
  localBody: SessionBody | undefined;
  /** The last body the peer sent. */
  remoteBody: SessionBody | undefined;
  readonly remoteAllow: Set<string>;
  /** The RFC 4028 timer (params undefined when no session timer runs). */
  readonly timer: SessionTimer;
  private current = SessionState.Confirmed;
  private readonly acks: InviteAcks;
  private outgoingInvite = false;
  private incomingInvite = false;
  private outgoingOffer = false;
  private pendingBye:
    | {
        readonly options: InDialogOptions;
        readonly final: Promise<SipResponse | undefined>;
        readonly resolve: (r: SipResponse | undefined) => void;
      }
    | undefined;

  constructor(
    private readonly host: SessionHost,
    dialog: Dialog,
    init: SessionInit = {},
  ) {
    this.dialog = dialog;
    this.acks = new InviteAcks(host, dialog);
    this.localBody = init.localBody;
    this.remoteBody = init.remoteBody;
    this.remoteAllow = new Set([...(init.remoteAllow ?? [])].map((m) => m.toUpperCase()));
    this.timer = new SessionTimer(
      host.clock,
      () => this.refresh(),
      () => this.end('session-expired', true),
    );
  }

  get state(): SessionState {
    return this.current;
  }

  /** The dialog id (Call-ID, local tag, remote tag). */
  get id(): string {
    return this.dialog.id;
  }

  /** True while our 2xx to an INVITE waits for its ACK. */
  get awaitingAck(): boolean {
    return this.acks.waiting;
  }

  // ─── Outgoing requests ──────────────────────────────────────────────────────────────────

  /**
   * Hangs up (§15.1.1): "the UAC SHOULD consider the session terminated ... as soon as the BYE
   * request is passed to the client transaction". Resolves with the BYE's final response.
   */
  bye(options: InDialogOptions = {}): Promise<SipResponse | undefined> {
    if (this.current === SessionState.Terminated) return Promise.resolve(undefined);
    if (this.acks.waiting) {
      // §15: "the callee's UA MUST NOT send a BYE on a confirmed dialog until it has received
      // an ACK for its 2xx response or until the server transaction times out."
      if (!this.pendingBye) {
        let resolve!: (response: SipResponse | undefined) => void;
        const final = new Promise<SipResponse | undefined>((r) => (resolve = r));
        this.pendingBye = { options, final, resolve };
      }
      return this.pendingBye.final;
    }
    const final = this.sendBye(options);
    this.end('local-bye', false);
    return final;
  }

  /**
   * Sends a re-INVITE (§14.1): a new offer (or none, asking for one), a target refresh and a
   * session refresh. "A UAC MUST NOT initiate a re-INVITE while another INVITE transaction is
   * in progress in either direction": this throws then. Resolves with the final response; a
   * 491 means glare — try again after a random pause (§14.1).
   */
  reinvite(options: ReinviteOptions = {}, refresher?: 'uac'): Promise<SipResponse> {
    this.assertActive();
    if (this.outgoingInvite || this.incomingInvite) {
      throw new Error('an INVITE is already in progress in this dialog (RFC 3261 §14.1)');
    }
    this.outgoingInvite = true;
    const offer = toSessionBody(options.body, options.contentType);
    const request = this.dialog.createRequest('INVITE', {
      contact: this.host.contactFor(this.dialog),
      headers: [...this.host.requestHeaders(), ...this.timerHeaders(refresher), ...(options.headers ?? [])],
      ...(offer ? { body: offer.body, contentType: offer.contentType } : {}),
    });
    const out = this.host.sendInDialog(
      this.dialog,
      request,
      { onResponse: (response, sent) => this.onReinviteResponse(response, sent, offer, options) },
      applySessionIntervalTooSmall,
    );
    return out.final;
  }

  /** Sends an UPDATE (RFC 3311): an offer inside the dialog, or just a session refresh. */
  update(options: InDialogOptions = {}, refresher?: 'uac'): Promise<SipResponse> {
    this.assertActive();
    const offer = toSessionBody(options.body, options.contentType);
    if (offer) this.outgoingOffer = true;
    const request = this.dialog.createRequest('UPDATE', {
      contact: this.host.contactFor(this.dialog),
      headers: [...this.host.requestHeaders(), ...this.timerHeaders(refresher), ...(options.headers ?? [])],
      ...(offer ? { body: offer.body, contentType: offer.contentType } : {}),
    });
    const out = this.host.sendInDialog(
      this.dialog,
      request,
      {
        onResponse: (response) => {
          if (response.status < 200) return;
          if (offer) this.outgoingOffer = false;
          if (response.status >= 300) {
            this.failIfDialogGone(response);
            return;
          }
          this.dialog.updateFromUacResponse(response, false);
          if (offer) {
            this.localBody = offer;
            this.remoteBody = bodyOf(response) ?? this.remoteBody;
          }
          this.startTimerFromResponse(response);
        },
      },
      applySessionIntervalTooSmall,
    );
    return out.final;
  }

  /** Any other request inside the dialog: INFO, MESSAGE, REFER, NOTIFY, OPTIONS… */
  request(method: string, options: InDialogOptions = {}): Promise<SipResponse> {
    this.assertActive();
    const request = this.dialog.createRequest(method, {
      headers: [...this.host.requestHeaders(), ...(options.headers ?? [])],
      ...(options.body !== undefined
        ? { body: options.body, contentType: options.contentType ?? 'application/octet-stream' }
        : {}),
    });
    const out = this.host.sendInDialog(this.dialog, request, {
      onResponse: (response) => {
        if (response.status >= 300) this.failIfDialogGone(response);
      },
    });
    return out.final;
  }

  // ─── ACKs (used by the UA and by reinvite) ──────────────────────────────────────────────

  /** UAC: ACK a 2xx to our INVITE (§13.2.2.4); `body` answers an offer in the 2xx. @internal */
  acknowledge(invite: SipRequest, body?: SessionBody): void {
    if (body) this.localBody = body;
    this.acks.acknowledge(invite, body);
  }

  /** UAC: a retransmitted 2xx (RFC 6026 Accepted passes it up) gets the same ACK again. @internal */
  receive2xxRetransmission(response: SipResponse): boolean {
    return this.acks.resend(response);
  }

  /** UAC: starts the RFC 4028 timer from a 2xx we received. @internal */
  startTimerFromResponse(response: SipResponse): void {
    if (this.host.sessionTimers.enabled) this.timer.start(uacParamsFromResponse(response), 'uac');
  }

  /** UAS: retransmit our 2xx until the ACK; without one after 64*T1, hang up (§13.3.1.4). @internal */
  awaitAck(response: SipResponse, transaction: ServerTransaction): void {
    // §14.1: the INVITE transaction counts as in progress until its ACK arrives.
    this.incomingInvite = true;
    this.acks.awaitAck(response, transaction, () => {
      this.incomingInvite = false;
      this.end('ack-timeout', true);
    });
  }

  /** The application accepted a re-INVITE. @internal */
  reinviteAccepted(
    response: SipResponse,
    transaction: ServerTransaction,
    params: SessionTimerParams | undefined,
  ): void {
    this.awaitAck(response, transaction);
    if (this.host.sessionTimers.enabled) this.timer.start(params, 'uas');
  }

  /** The application rejected a re-INVITE. @internal */
  reinviteRejected(): void {
    this.incomingInvite = false;
  }

  // ─── Incoming requests inside the dialog ────────────────────────────────────────────────

  /** A request the UA matched to this dialog (§12.2.2). @internal */
  receiveRequest(
    request: SipRequest,
    transaction: ServerTransaction | undefined,
    source: MessageSource,
  ): void {
    if (request.method === 'ACK') {
      this.receiveAck(request);
      return;
    }
    if (!transaction) return;
    const answer = (status: number, options: ResponseOptions = {}): void =>
      void this.incoming(request, transaction, source).respond(status, options);
    if (this.current === SessionState.Terminated) {
      answer(481);
      return;
    }
    if (!this.dialog.acceptRemoteSeq(request)) {
      answer(500, { reason: 'Request Out Of Order' });
      return;
    }
    switch (request.method) {
      case 'BYE':
        // §15.1.2: "the UAS core ... SHOULD terminate the session ... and MUST generate a 2xx response".
        answer(200);
        this.delegate.onBye?.(request, this);
        this.end('remote-bye', false);
        return;
      case 'INVITE':
        this.receiveReinvite(request, transaction, source);
        return;
      case 'UPDATE':
        this.receiveUpdate(request, transaction, source);
        return;
      case 'PRACK':
        // A PRACK that crossed our 2xx (RFC 3262 §3): nothing left to acknowledge.
        answer(200);
        return;
      default: {
        const incoming = this.incoming(request, transaction, source);
        if (this.delegate.onRequest) this.delegate.onRequest(incoming, this);
        else incoming.respond(request.method === 'OPTIONS' ? 200 : 501);
      }
    }
  }

  private receiveAck(ack: SipRequest): void {
    if (!this.acks.received(ack)) return; // a retransmitted ACK: absorbed
    this.incomingInvite = false;
    const body = bodyOf(ack);
    if (body) this.remoteBody = body;
    this.delegate.onAck?.(ack, this);
    const pending = this.pendingBye;
    if (pending && this.current !== SessionState.Terminated) {
      this.pendingBye = undefined;
      void this.bye(pending.options).then(pending.resolve);
    }
  }

  private receiveReinvite(request: SipRequest, transaction: ServerTransaction, source: MessageSource): void {
    // §14.2: "A UAS that receives a second INVITE before it sends the final response to a first
    // INVITE with a lower CSeq sequence number on the same dialog MUST return a 500 ... with a
    // Retry-After header field with a randomly chosen value of between 0 and 10 seconds. A UAS
    // that receives an INVITE on a dialog while an INVITE it had sent on that dialog is in
    // progress MUST return a 491 (Request Pending)".
    if (this.outgoingInvite) {
      this.incoming(request, transaction, source).respond(491);
      return;
    }
    if (this.incomingInvite) {
      const retryAfter = String(Math.floor(this.host.random() * 11));
      this.incoming(request, transaction, source).respond(500, { headers: [['Retry-After', retryAfter]] });
      return;
    }
    const negotiation = negotiateAsUas(request, this.host.sessionTimers);
    if (negotiation.kind === 'reject') {
      this.incoming(request, transaction, source).respond(422, {
        headers: [['Min-SE', String(negotiation.minSE)]],
      });
      return;
    }
    this.incomingInvite = true;
    this.dialog.updateRemoteTargetFrom(request);
    const offer = bodyOf(request);
    if (offer) this.remoteBody = offer;
    const reinvite = new IncomingReinvite(request, transaction, source, this.host, this, negotiation);
    this.host.onCancel(transaction, () => reinvite.reject(487));
    if (this.delegate.onReinvite) this.delegate.onReinvite(reinvite, this);
    else reinvite.accept();
  }

  private receiveUpdate(request: SipRequest, transaction: ServerTransaction, source: MessageSource): void {
    const offer = bodyOf(request);
    // RFC 3311 §5.2: an UPDATE with an offer while our own offer is outstanding gets 491.
    if (offer && this.outgoingOffer) {
      this.incoming(request, transaction, source).respond(491);
      return;
    }
    const negotiation = negotiateAsUas(request, this.host.sessionTimers);
    if (negotiation.kind === 'reject') {
      this.incoming(request, transaction, source).respond(422, {
        headers: [['Min-SE', String(negotiation.minSE)]],
      });
      return;
    }
    this.dialog.updateRemoteTargetFrom(request);
    if (offer) this.remoteBody = offer;
    const incoming = new IncomingRequest(
      request,
      transaction,
      source,
      this.dialog.localTag,
      this.host.responseHeaders(),
      (response) => {
        if (response.status < 200 || response.status >= 300) return;
        response.headers.append('Contact', this.host.contactFor(this.dialog));
        for (const [name, value] of negotiation.headers) response.headers.append(name, value);
        if (offer && response.body.length === 0 && this.localBody) {
          response.headers.set('Content-Type', this.localBody.contentType);
          response.body = this.localBody.body;
        } else if (response.body.length > 0) this.localBody = bodyOf(response);
        if (this.host.sessionTimers.enabled) this.timer.start(negotiation.params, 'uas');
      },
    );
    if (this.delegate.onUpdate) this.delegate.onUpdate(incoming, this);
    else incoming.accept();
  }

  // ─── Internals ─────────────────────────────────────────────────────────────────────────

  private onReinviteResponse(
    response: SipResponse,
    sent: SipRequest,
    offer: SessionBody | undefined,
    options: ReinviteOptions,
  ): void {
    if (response.status < 200) return;
    if (response.status >= 300) {
      this.outgoingInvite = false;
      this.failIfDialogGone(response);
      return;
    }
    if (this.receive2xxRetransmission(response)) return;
    this.outgoingInvite = false;
    this.dialog.updateFromUacResponse(response, false);
    const theirs = bodyOf(response);
    let ackBody: SessionBody | undefined;
    if (offer) {
      this.localBody = offer;
      if (theirs) this.remoteBody = theirs;
    } else if (theirs) {
      this.remoteBody = theirs;
      ackBody = options.answer ? options.answer(theirs) : this.localBody;
    }
    // Even when we hung up while the re-INVITE was in flight, the 2xx needs its ACK.
    this.acknowledge(sent, ackBody);
    if (this.current !== SessionState.Terminated) this.startTimerFromResponse(response);
  }

  /** RFC 4028 §10: the refresher's periodic re-INVITE or UPDATE. */
  private refresh(): void {
    if (this.current === SessionState.Terminated) return;
    if (this.outgoingInvite || this.incomingInvite || this.outgoingOffer) {
      this.timer.retryRefreshIn(this.host.timers.T1 * 4);
      return;
    }
    if (this.remoteAllow.has('UPDATE')) void this.update({}, 'uac');
    else
      void this.reinvite(
        this.localBody ? { body: this.localBody.body, contentType: this.localBody.contentType } : {},
        'uac',
      );
  }

  private timerHeaders(refresher: 'uac' | undefined): Array<[string, string]> {
    const options = this.host.sessionTimers;
    if (!options.enabled) return [];
    const interval = this.timer.params?.interval ?? options.interval;
    return uacRequestHeaders({ ...options, interval }, refresher);
  }

  /** §12.2.1.2: "If the response for a request within a dialog is a 481 or a 408, the UAC SHOULD terminate the dialog." */
  private failIfDialogGone(response: SipResponse): void {
    if (response.status === 481 || response.status === 408) this.end('dialog-failed', true);
  }

  private incoming(
    request: SipRequest,
    transaction: ServerTransaction,
    source: MessageSource,
  ): IncomingRequest {
    return new IncomingRequest(
      request,
      transaction,
      source,
      this.dialog.localTag,
      this.host.responseHeaders(),
    );
  }

  private sendBye(options: InDialogOptions): Promise<SipResponse> {
    const request = this.dialog.createRequest('BYE', {
      headers: [...this.host.requestHeaders(), ...(options.headers ?? [])],
    });
    return this.host.sendInDialog(this.dialog, request, {}).final;
  }

  private assertActive(): void {
    if (this.current === SessionState.Terminated) throw new Error('the session has ended');
  }

  /** Ends the session once; with `sendBye` hangs up first. */
  private end(reason: SessionEndReason, sendBye: boolean): void {
    if (this.current === SessionState.Terminated) return;
    if (sendBye) {
      const final = this.sendBye(this.pendingBye?.options ?? {});
      if (this.pendingBye) void final.then(this.pendingBye.resolve);
    } else this.pendingBye?.resolve(undefined);
    this.pendingBye = undefined;
    this.current = SessionState.Terminated;
    this.timer.stop();
    this.acks.stop();
    this.dialog.terminate();
    this.host.forget(this.dialog);
    this.delegate.onTerminated?.(reason, this);
  }
}
