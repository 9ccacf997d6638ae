// An INVITE the UA sends to start a call (RFC 3261 §13.2): it follows provisional responses
// and early dialogs (PRACKing reliable ones, RFC 3262 §4), creates a Session for each 2xx and
// ACKs it (again for each retransmission, §13.2.2.4), retries after 401/407 and 422, and
// cancels (§9.1) — sending the CANCEL only once a provisional response arrived, and hanging
// up with ACK + BYE when a 2xx races the CANCEL.
//
//   calling ──1xx──▶ early ──2xx──▶ accepted
//      │               │  └──≥300──▶ rejected
//      └──≥300 / 408 / 503─────────▶ rejected      (after cancel(): cancelled)
import type { MessageSource } from '../core/transport.ts';
import type { DialogHandler } from '../dialog/dialog-handler.ts';
import { Dialog } from '../dialog/dialog.ts';
import { type SessionBody, bodyOf } from '../dialog/session-body.ts';
import { applySessionIntervalTooSmall } from '../dialog/session-timer.ts';
import { Session } from '../dialog/session.ts';
import type { SipRequest } from '../message/sip-request.ts';
import type { SipResponse } from '../message/sip-response.ts';
import type { ServerTransaction } from '../transaction/transaction-types.ts';
import type { UacAuthenticator } from './authenticator.ts';
import { buildCancel } from './cancel.ts';
import { IncomingRequest } from './incoming-request.ts';
import type { InviteHost } from './invite-host.ts';
import type { OutgoingRequest } from './outgoing-request.ts';
import { isReliableProvisional, parseRSeq } from './reliable-provisional.ts';
import type { Destination } from '../core/transport.ts';

export interface OutgoingInviteDelegate {
  /** A provisional response (100 included); reliable ones are PRACKed first, repeats not shown. */
  onProgress?(response: SipResponse, invite: OutgoingInvite): void;
  /** The call was answered: the Session is confirmed and the ACK sent. Set `session.delegate` here. */
  onAccept?(session: Session, response: SipResponse, invite: OutgoingInvite): void;
  /** The call failed: a 3xx–6xx, or a local 408 (no answer) / 503 (transport failure). */
  onReject?(response: SipResponse, invite: OutgoingInvite): void;
  /**
   * After cancel(): the INVITE ended. `response` is the 487 (or whatever final response came);
   * a 2xx that crossed the CANCEL was ACKed and its session hung up with BYE.
   */
  onCancel?(response: SipResponse, invite: OutgoingInvite): void;
}

export interface OutgoingInviteOptions {
  readonly destination?: Destination;
  readonly authenticator?: UacAuthenticator;
  /** Late offer: the answer to send in the ACK when the 2xx carries the offer. */
  readonly answer?: (offer: SessionBody) => SessionBody | undefined;
  /** Body for the PRACK of a reliable provisional response (e.g. an answer to its offer). */
  readonly prackBody?: (response: SipResponse) => SessionBody | undefined;
  /**
   * Cancel the call when no final response came within this many ms. Timer B only covers a
   * callee that never answers at all; a phone that rings forever needs this (like a proxy's
   * timer C, §16.8).
   */
  readonly noAnswerTimeoutMs?: number;
}

export type OutgoingInviteState = 'calling' | 'early' | 'accepted' | 'rejected' | 'cancelled';

interface EarlyDialog {
  readonly dialog: Dialog;
  lastRSeq: number | undefined;
}

/** Handles requests the callee sends inside an early dialog (rare: UPDATE, BYE). */
class EarlyDialogHandler implements DialogHandler {
  constructor(
    private readonly host: InviteHost,
    private readonly dialog: Dialog,
  ) {}

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
      this.dialog.localTag,
      this.host.responseHeaders(),
    );
    if (!this.dialog.acceptRemoteSeq(request)) incoming.respond(500, { reason: 'Request Out Of Order' });
    else if (request.method === 'BYE' || (request.method === 'UPDATE' && request.body.length === 0))
      incoming.respond(200);
    else incoming.respond(request.method === 'UPDATE' ? 488 : 501);
  }
}

export class OutgoingInvite {
  readonly delegate: OutgoingInviteDelegate;
  private readonly out: OutgoingRequest;
  private readonly offer: SessionBody | undefined;
  private current: OutgoingInviteState = 'calling';
  private readonly early = new Map<string, EarlyDialog & { handler: EarlyDialogHandler }>();
  private readonly sessions = new Map<string, Session>();
  /** The INVITE (of possibly several after retries) that got a provisional response. */
  private provisionalFor: SipRequest | undefined;
  private cancelRequested = false;
  private cancelSent = false;
  private cancelHeaders: ReadonlyArray<readonly [string, string]> = [];
  private ended = false;

  constructor(
    private readonly host: InviteHost,
    request: SipRequest,
    delegate: OutgoingInviteDelegate,
    private readonly options: OutgoingInviteOptions = {},
  ) {
    this.delegate = delegate;
    this.offer = bodyOf(request);
    this.out = host.sendOutOfDialog(
      request,
      { onResponse: (response, sent) => this.onResponse(response, sent) },
      {
        ...(options.destination ? { destination: options.destination } : {}),
        ...(options.authenticator ? { authenticator: options.authenticator } : {}),
        // RFC 4028 §7.3: retry a 422 with the larger interval it asks for — unless cancelled.
        retryOn: (response, next) => !this.cancelRequested && applySessionIntervalTooSmall(response, next),
        canRetry: () => !this.cancelRequested,
      },
    );
    if (options.noAnswerTimeoutMs !== undefined) {
      const timer = host.clock.setTimer(options.noAnswerTimeoutMs, () => this.cancel());
      void this.out.final.then(() => timer.cancel());
    }
  }

  /** Whether cancel() was called (by the application or the no-answer timeout). */
  get cancelling(): boolean {
    return this.cancelRequested;
  }

  get state(): OutgoingInviteState {
    return this.current;
  }

  /** The INVITE currently in flight (a retry after 401/407/422 replaces the first one). */
  get request(): SipRequest {
    return this.out.request;
  }

  /** Resolves with the first final response (2xx, error, or local 408/503). */
  get final(): Promise<SipResponse> {
    return this.out.final;
  }

  /**
   * Cancels the call (§9.1). "If no provisional response has been received, the CANCEL
   * request MUST NOT be sent; rather, the client MUST wait for the arrival of a provisional
   * response before sending the request." Does nothing once a final response arrived.
   */
  cancel(headers: ReadonlyArray<readonly [string, string]> = []): void {
    if (this.ended || this.cancelRequested) return;
    this.cancelRequested = true;
    this.cancelHeaders = headers;
    if (this.provisionalFor === this.out.request) this.sendCancel();
  }

  private sendCancel(): void {
    const tx = this.out.transaction;
    if (this.cancelSent || !tx) return;
    this.cancelSent = true;
    this.host.sendCancel(
      buildCancel(this.out.request, [...this.host.requestHeaders(), ...this.cancelHeaders]),
      tx.destination,
      {},
    );
  }

  private onResponse(response: SipResponse, sent: SipRequest): void {
    if (response.status < 200) this.onProvisional(response, sent);
    else if (response.status < 300) this.onSuccess(response, sent);
    else this.onFailure(response);
  }

  private onProvisional(response: SipResponse, sent: SipRequest): void {
    if (this.ended) return;
    this.provisionalFor = sent;
    if (this.cancelRequested) this.sendCancel();
    const tag = response.to.tag;
    if (response.status > 100 && tag !== undefined) {
      let early = this.early.get(tag);
      if (!early) {
        const dialog = this.newDialog(sent, response);
        const handler = new EarlyDialogHandler(this.host, dialog);
        early = { dialog, lastRSeq: undefined, handler };
        this.early.set(tag, early);
        this.host.registerDialog(dialog, handler);
      }
      if (isReliableProvisional(response) && !this.prack(early, response)) return;
      this.current = 'early';
    }
    this.delegate.onProgress?.(response, this);
  }

  /**
   * RFC 3262 §4: PRACK a reliable provisional response once; "retransmissions of the reliable
   * provisional response" and out-of-order ones are not passed up. Returns false for those.
   */
  private prack(early: EarlyDialog, response: SipResponse): boolean {
    const rseq = parseRSeq(response)!;
    if (early.lastRSeq !== undefined && rseq !== early.lastRSeq + 1) return false;
    early.lastRSeq = rseq;
    const body = this.options.prackBody?.(response);
    const { seq, method } = response.cseq;
    const prack = early.dialog.createRequest('PRACK', {
      headers: [...this.host.requestHeaders(), ['RAck', `${rseq} ${seq} ${method}`]],
      ...(body ? { body: body.body, contentType: body.contentType } : {}),
    });
    this.host.sendInDialog(early.dialog, prack, {});
    return true;
  }

  private onSuccess(response: SipResponse, sent: SipRequest): void {
    const tag = response.to.tag;
    if (tag === undefined) return; // §12.1.2 needs a To tag; a 2xx without one is unusable
    const existing = this.sessions.get(tag);
    if (existing) {
      existing.receive2xxRetransmission(response);
      return;
    }
    const early = this.early.get(tag);
    let dialog: Dialog;
    if (early) {
      dialog = early.dialog;
      dialog.confirm();
      dialog.updateFromUacResponse(response, true);
    } else dialog = this.newDialog(sent, response);
    const theirs = bodyOf(response);
    const session = new Session(this.host, dialog, {
      ...(this.offer ? { localBody: this.offer } : {}),
      ...(theirs ? { remoteBody: theirs } : {}),
      remoteAllow: response.headers.getAll('Allow'),
    });
    this.sessions.set(tag, session);
    this.host.registerDialog(dialog, session);
    // §13.2.2.4: ACK every 2xx. Late offer: the 2xx carries the offer, the ACK the answer.
    const ackBody = !this.offer && theirs ? this.options.answer?.(theirs) : undefined;
    session.acknowledge(sent, ackBody);
    if (this.ended || this.cancelRequested) {
      // A second fork answered, or a 2xx crossed our CANCEL: keep only what the caller wants.
      void session.bye();
      if (!this.ended) this.end('cancelled', () => this.delegate.onCancel?.(response, this));
      return;
    }
    session.startTimerFromResponse(response);
    this.end('accepted', () => this.delegate.onAccept?.(session, response, this));
  }

  /** §12.1.2, remembering where the INVITE went so requests can follow it through a NAT. */
  private newDialog(sent: SipRequest, response: SipResponse): Dialog {
    const tx = this.out.transaction;
    const dialog = Dialog.asUac(sent, response, tx ? this.host.flowTo(tx.destination) : undefined);
    if (this.options.authenticator) this.host.bindAuthenticator(dialog, this.options.authenticator);
    return dialog;
  }

  private onFailure(response: SipResponse): void {
    if (this.ended) return;
    if (this.cancelRequested) this.end('cancelled', () => this.delegate.onCancel?.(response, this));
    else this.end('rejected', () => this.delegate.onReject?.(response, this));
  }

  private end(state: OutgoingInviteState, notify: () => void): void {
    this.ended = true;
    this.current = state;
    // Early dialogs that did not become sessions end with the INVITE transaction (§12.3).
    for (const [tag, early] of this.early) {
      if (this.sessions.has(tag)) continue;
      early.dialog.terminate();
      this.host.unregisterDialog(early.dialog, early.handler);
    }
    notify();
  }
}
