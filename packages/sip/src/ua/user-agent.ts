// The UA core (RFC 3261 §8, §12–15): starts requests and calls, hands incoming ones to the
// application through delegates, and routes requests inside dialogs to their sessions. It sits
// on a TransactionLayer and a SipTransport; time comes from the injected clock.
import type { Clock } from '../core/clock.ts';
import { type SipLogger, silentLogger } from '../core/logger.ts';
import { flatString } from '../core/own-string.ts';
import { type RandomSource, cryptoRandom, newTag } from '../core/random.ts';
import type { TimerValues } from '../core/timer-values.ts';
import type { Destination, MessageSource, SipTransport } from '../core/transport.ts';
import type { UacAuthenticator } from './authenticator.ts';
import type { DialogHandler } from '../dialog/dialog-handler.ts';
import { type Dialog, dialogId } from '../dialog/dialog.ts';
import type { SessionHost } from '../dialog/session-host.ts';
import {
  DEFAULT_SESSION_TIMER_OPTIONS,
  type SessionTimerOptions,
  negotiateAsUas,
  optionTags,
} from '../dialog/session-timer.ts';
import { Session } from '../dialog/session.ts';
import type { SipRequest } from '../message/sip-request.ts';
import type { SipResponse } from '../message/sip-response.ts';
import type { ClientTransactionDelegate } from '../transaction/transaction-delegate.ts';
import { TransactionLayer } from '../transaction/transaction-layer.ts';
import type { ClientTransaction, ServerTransaction } from '../transaction/transaction-types.ts';
import type { Uri } from '../uri/parse-uri.ts';
import { IncomingInvite } from './incoming-invite.ts';
import { IncomingRequest } from './incoming-request.ts';
import type { InviteHost } from './invite-host.ts';
import { dialogDestination } from './dialog-destination.ts';
import { destinationForUri, nextHopUri } from './next-hop.ts';
import {
  OutgoingInvite,
  type OutgoingInviteDelegate,
  type OutgoingInviteOptions,
} from './outgoing-invite.ts';
import {
  OutgoingRequest,
  type OutgoingRequestDelegate,
  type OutgoingRequestOptions,
} from './outgoing-request.ts';
import type { OutOfDialogRequestOptions } from './request-factory.ts';
import { LocalIdentity } from './local-identity.ts';
import type { AdmissionControl } from './overload-guard.ts';
import type { UserAgentOptions } from './user-agent-options.ts';

export interface UserAgentDelegate {
  /** A new call. Answer with progress()/accept()/reject(); without a delegate: 480. */
  onInvite?(invite: IncomingInvite): void;
  /**
   * Any other request outside a dialog (OPTIONS, REGISTER, MESSAGE, SUBSCRIBE, NOTIFY, …).
   * Without a delegate: OPTIONS gets 200 with our capabilities, the rest 405.
   */
  onRequest?(request: IncomingRequest): void;
}

export interface InviteOptions extends OutOfDialogRequestOptions, OutgoingInviteOptions {}

export interface RequestOptions extends OutOfDialogRequestOptions {
  readonly destination?: Destination;
  readonly authenticator?: OutgoingRequestOptions['authenticator'];
}

export class UserAgent implements SessionHost, InviteHost {
  delegate: UserAgentDelegate;
  /** Admission of new requests outside dialogs (overload protection); none admits everything. */
  admission: AdmissionControl | undefined;
  readonly layer: TransactionLayer;
  readonly sessionTimers: SessionTimerOptions;
  readonly reliableProvisional: 'supported' | 'required' | 'none';
  readonly logger: SipLogger;
  private readonly options: UserAgentOptions;
  private readonly randomSource: RandomSource;
  private readonly identity: LocalIdentity;
  private readonly dialogs = new Map<string, DialogHandler>();
  private readonly cancelHandlers = new WeakMap<ServerTransaction, (cancel: SipRequest) => void>();
  private readonly dialogAuth = new WeakMap<Dialog, UacAuthenticator>();
  /**
   * Ongoing server transactions of requests without a To tag (their ids), by Call-ID, From tag
   * and CSeq, to spot merged requests (§8.2.2.2). An entry leaves when its transaction ends
   * (terminated, or its retained final response expired after Timer J), so the map holds at
   * most the layer's server transactions and every check is O(1).
   */
  private readonly ongoing = new Map<string, string>();
  /** The merge key of each indexed transaction, by transaction id. */
  private readonly ongoingKeys = new Map<string, string>();

  constructor(options: UserAgentOptions, delegate: UserAgentDelegate = {}) {
    this.options = options;
    this.delegate = delegate;
    this.admission = options.admission;
    this.logger = options.logger ?? silentLogger;
    this.randomSource = options.random ?? cryptoRandom;
    this.sessionTimers = { ...DEFAULT_SESSION_TIMER_OPTIONS, ...options.sessionTimers };
    this.reliableProvisional = options.reliableProvisional ?? 'supported';
    this.identity = new LocalIdentity(options, this.randomSource, {
      reliableProvisional: this.reliableProvisional,
      timers: this.sessionTimers.enabled,
    });
    this.layer = new TransactionLayer(
      {
        clock: options.clock,
        transport: options.transport,
        ...(options.timers ? { timers: options.timers } : {}),
        ...(options.responseRouting ? { responseRouting: options.responseRouting } : {}),
        logger: this.logger,
      },
      {
        onRequest: (request, tx, source) => this.onRequest(request, tx, source),
        onServerEnded: (id) => this.forgetOngoing(id),
        onStrayResponse: (response) =>
          this.logger.debug(
            { status: response.status, callId: safe(() => response.callId) },
            'sip: stray response dropped',
          ),
      },
    );
  }

  get clock(): Clock {
    return this.options.clock;
  }

  get timers(): TimerValues {
    return this.layer.timers;
  }

  get transport(): SipTransport {
    return this.options.transport;
  }

  /** Sessions currently established. */
  sessions(): Session[] {
    return [...new Set(this.dialogs.values())].filter((h): h is Session => h instanceof Session);
  }

  // ─── Transport side ─────────────────────────────────────────────────────────────────────

  /** A parsed message from the transport (TransportReceiver shape). */
  receive(message: SipRequest | SipResponse, source: MessageSource): void {
    this.layer.receive(message, source);
  }

  /** Raw bytes of one datagram or framed message. */
  receiveBytes(bytes: Uint8Array, source: MessageSource): void {
    this.layer.receiveBytes(bytes, source);
  }

  /** Stops every transaction and timer (sessions are abandoned without BYE). */
  dispose(): void {
    this.layer.dispose();
    this.dialogs.clear();
  }

  // ─── Starting requests ──────────────────────────────────────────────────────────────────

  /** Calls `target` (a SIP URI). Follow the call through `delegate`; cancel with `.cancel()`. */
  invite(
    target: string | Uri,
    options: InviteOptions = {},
    delegate: OutgoingInviteDelegate = {},
  ): OutgoingInvite {
    const request = this.build('INVITE', target, options);
    if (this.sessionTimers.enabled) {
      request.headers.append('Session-Expires', String(this.sessionTimers.interval));
      request.headers.append('Min-SE', String(this.sessionTimers.minSE));
    }
    return new OutgoingInvite(this, request, delegate, options);
  }

  /** Sends a request outside any dialog (OPTIONS, REGISTER, MESSAGE, …); `.final` resolves with the answer. */
  request(
    method: string,
    target: string | Uri,
    options: RequestOptions = {},
    delegate: OutgoingRequestDelegate = {},
  ): OutgoingRequest {
    if (method === 'INVITE' || method === 'ACK' || method === 'CANCEL')
      throw new TypeError(`use invite()/cancel() for ${method}`);
    const request = this.build(method, target, options);
    return this.sendOutOfDialog(request, delegate, {
      ...(options.destination ? { destination: options.destination } : {}),
      ...(options.authenticator ? { authenticator: options.authenticator } : {}),
    });
  }

  /**
   * REGISTER (§10.2) our AOR at `registrar` for `expires` seconds (0 removes the binding).
   * Refreshing before expiry is the caller's job (e.g. at half the granted Expires).
   */
  register(registrar: string | Uri, expires = 3600, options: RequestOptions = {}): OutgoingRequest {
    const aor = this.identity.aor?.uri.toString();
    return this.request('REGISTER', registrar, {
      ...(aor ? { to: aor } : {}),
      ...options,
      headers: [['Expires', String(expires)], ...(options.headers ?? [])],
      contact: true,
    });
  }

  // ─── SessionHost / InviteHost ───────────────────────────────────────────────────────────

  /** @internal */
  sendOutOfDialog(
    request: SipRequest,
    delegate: OutgoingRequestDelegate,
    options: OutgoingRequestOptions,
  ): OutgoingRequest {
    const authenticator = options.authenticator ?? this.options.authenticator;
    return new OutgoingRequest(this, request, delegate, {
      ...options,
      ...(authenticator ? { authenticator } : {}),
    });
  }

  /** @internal */
  sendInDialog(
    dialog: Dialog,
    request: SipRequest,
    delegate: OutgoingRequestDelegate,
    retryOn?: (response: SipResponse, next: SipRequest) => boolean,
  ): OutgoingRequest {
    const authenticator = this.dialogAuth.get(dialog) ?? this.options.authenticator;
    return new OutgoingRequest(this, request, delegate, {
      destination: this.destinationInDialog(dialog, request),
      nextCSeq: () => dialog.nextLocalSeq(),
      ...(authenticator ? { authenticator } : {}),
      ...(retryOn ? { retryOn } : {}),
    });
  }

  /** @internal */
  sendAck(dialog: Dialog, ack: SipRequest): void {
    const destination = this.destinationInDialog(dialog, ack);
    if (!ack.topVia()) ack.pushVia(this.identity.via(destination));
    this.layer.sendStateless(ack, destination);
  }

  /** @internal */
  sendCancel(cancel: SipRequest, destination: Destination, delegate: ClientTransactionDelegate): void {
    this.layer.sendRequest(cancel, destination, delegate);
  }

  /** @internal RequestTransmitter: adds the Via and starts the client transaction. */
  transmit(
    request: SipRequest,
    delegate: ClientTransactionDelegate,
    destination?: Destination,
  ): ClientTransaction {
    const to = destination ?? destinationForUri(nextHopUri(request), this.options.defaultProtocol);
    if (!request.topVia()) request.pushVia(this.identity.via(to));
    return this.layer.sendRequest(request, to, delegate);
  }

  /** @internal */
  contactFor(dialog: Dialog): string {
    return this.identity.contact(this.destinationInDialog(dialog));
  }

  /** @internal */
  requestHeaders(): Array<[string, string]> {
    const headers: Array<[string, string]> = [];
    if (this.options.userAgent) headers.push(['User-Agent', this.options.userAgent]);
    return headers;
  }

  /** @internal */
  responseHeaders(): Array<[string, string]> {
    const headers: Array<[string, string]> = [...this.identity.capabilityHeaders()];
    if (this.options.userAgent) headers.push(['Server', this.options.userAgent]);
    return headers;
  }

  /** @internal */
  onCancel(transaction: ServerTransaction, handler: (cancel: SipRequest) => void): void {
    this.cancelHandlers.set(transaction, handler);
  }

  /** @internal */
  registerDialog(dialog: Dialog, handler: DialogHandler): void {
    this.dialogs.set(dialog.id, handler);
  }

  /** @internal */
  unregisterDialog(dialog: Dialog, handler: DialogHandler): void {
    if (this.dialogs.get(dialog.id) === handler) this.dialogs.delete(dialog.id);
  }

  /** @internal */
  forget(dialog: Dialog): void {
    this.dialogs.delete(dialog.id);
  }

  /** @internal */
  flowTo(destination: Destination): MessageSource {
    return {
      protocol: destination.protocol,
      remote: { host: destination.host, port: destination.port },
      local: this.options.transport.localAddress(destination),
      ...(destination.connectionId !== undefined ? { connectionId: destination.connectionId } : {}),
    };
  }

  /** @internal */
  bindAuthenticator(dialog: Dialog, authenticator: UacAuthenticator): void {
    this.dialogAuth.set(dialog, authenticator);
  }

  /** @internal */
  newTag(): string {
    return newTag(this.randomSource);
  }

  /** @internal */
  random(): number {
    const b = this.randomSource(4);
    return (((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0) / 2 ** 32;
  }

  // ─── Incoming requests ──────────────────────────────────────────────────────────────────

  private onRequest(request: SipRequest, tx: ServerTransaction | undefined, source: MessageSource): void {
    // §9.2: a CANCEL (also one for a re-INVITE, which carries a To tag) finds its INVITE by
    // transaction matching, not by dialog.
    if (request.method === 'CANCEL' && tx) {
      this.onCancelRequest(request, tx, source);
      return;
    }
    const toTag = request.to.tag;
    if (toTag !== undefined) {
      // §12.2.2: requests inside a dialog.
      const handler = this.dialogs.get(dialogId(request.callId, toTag, request.from.tag ?? ''));
      if (handler) handler.receiveRequest(request, tx, source);
      else if (tx) this.incoming(request, tx, source).respond(481);
      return;
    }
    if (!tx) return; // an ACK for nothing we know
    // §21.5.4: "The server is temporarily unable to process the request due to a temporary
    // overloading ... the server MAY indicate when the client should retry the request in a
    // Retry-After header field." Only new work is refused; requests inside dialogs went above.
    const retryAfter = this.admission?.refuse(request);
    if (retryAfter !== undefined) {
      this.incoming(request, tx, source).respond(503, { headers: [['Retry-After', String(retryAfter)]] });
      return;
    }
    if (this.isMerged(request, tx)) {
      this.incoming(request, tx, source).respond(482, { reason: 'Loop Detected' });
      return;
    }
    // §8.2.2.3: "If a UAS does not understand an option-tag listed in a Require header field,
    // it MUST respond by generating a response with status code 420 (Bad Extension)."
    const unsupported = [...optionTags(request, 'Require')].filter(
      (t) => !this.identity.supportedTags().includes(t),
    );
    if (unsupported.length > 0) {
      this.incoming(request, tx, source).respond(420, { headers: [['Unsupported', unsupported.join(', ')]] });
      return;
    }
    if (request.method === 'INVITE') this.onInvite(request, tx, source);
    else this.onOtherRequest(request, tx, source);
  }

  private onInvite(request: SipRequest, tx: ServerTransaction, source: MessageSource): void {
    const negotiation = negotiateAsUas(request, this.sessionTimers);
    if (negotiation.kind === 'reject') {
      // RFC 4028 §8.1 / §9: Session-Expires below our Min-SE.
      this.incoming(request, tx, source).respond(422, { headers: [['Min-SE', String(negotiation.minSE)]] });
      return;
    }
    const invite = new IncomingInvite(this, request, tx, source);
    this.onCancel(tx, (cancel) => invite.receiveCancel(cancel));
    if (this.delegate.onInvite) this.delegate.onInvite(invite);
    else invite.reject(480);
  }

  private onOtherRequest(request: SipRequest, tx: ServerTransaction, source: MessageSource): void {
    const incoming = this.incoming(request, tx, source);
    if (this.delegate.onRequest) this.delegate.onRequest(incoming);
    else if (request.method === 'OPTIONS')
      incoming.respond(200, { headers: [['Accept', 'application/sdp']] });
    else incoming.respond(405);
  }

  /**
   * §9.2: "If the UAS did not find a matching transaction for the CANCEL ... it SHOULD respond
   * to the CANCEL with a 481 ... If the transaction for the original request still exists, the
   * behavior of the UAS on receiving a CANCEL request depends on whether it has already sent a
   * final response ... the CANCEL request has no effect ... [it] responds to the CANCEL with a
   * 200 (OK) response."
   */
  private onCancelRequest(cancel: SipRequest, tx: ServerTransaction, source: MessageSource): void {
    const target = this.layer.findInviteForCancel(cancel);
    const incoming = this.incoming(cancel, tx, source);
    if (!target) {
      incoming.respond(481);
      return;
    }
    incoming.respond(200);
    if (!target.final) this.cancelHandlers.get(target)?.(cancel);
  }

  /**
   * §8.2.2.2: "If the request has no tag in the To header field, the UAS core MUST check the
   * request against ongoing transactions. If the From tag, Call-ID, and CSeq exactly match
   * those associated with an ongoing transaction, but the request does not match that
   * transaction ..., the UAS core SHOULD generate a 482 (Loop Detected) response" — the same
   * request reached us twice through different proxies (forking).
   */
  private isMerged(request: SipRequest, tx: ServerTransaction): boolean {
    // NUL cannot occur in a Call-ID, a tag or a method (RFC 3261 §25.1 token/word), so the
    // key is unambiguous.
    // Flat: a key of slices of the message would keep the whole message for Timer J.
    const key = flatString(
      `${request.callId}\u0000${request.from.tag ?? ''}\u0000${request.cseq.seq}\u0000${request.cseq.method}`,
    );
    const other = this.ongoing.get(key);
    if (other !== undefined && other !== tx.id) return true;
    this.ongoing.set(key, tx.id);
    this.ongoingKeys.set(tx.id, key);
    return false;
  }

  private forgetOngoing(id: string): void {
    const key = this.ongoingKeys.get(id);
    if (key === undefined) return;
    this.ongoingKeys.delete(id);
    if (this.ongoing.get(key) === id) this.ongoing.delete(key);
  }

  /** @internal Entries of the merged-request index (bounded by the live server transactions). */
  get ongoingRequestCount(): number {
    return this.ongoing.size;
  }

  private incoming(request: SipRequest, tx: ServerTransaction, source: MessageSource): IncomingRequest {
    return new IncomingRequest(request, tx, source, this.newTag(), this.responseHeaders());
  }

  // ─── Building and routing ───────────────────────────────────────────────────────────────

  private build(method: string, target: string | Uri, options: OutOfDialogRequestOptions): SipRequest {
    const cseq = 1 + Math.floor(this.random() * 10_000);
    return this.identity.buildRequest(method, target, options, this.requestHeaders(), cseq);
  }

  private destinationInDialog(dialog: Dialog, request?: SipRequest): Destination {
    return dialogDestination(dialog, request, this.options.defaultProtocol);
  }
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
