// The transaction layer (RFC 3261 §17): creates client transactions for requests the TU sends,
// matches received messages to transactions (§17.1.3, §17.2.3), creates server transactions
// for new requests and hands them up. Received requests get `received`/`rport` stamped first
// (§18.2.1, RFC 3581), and responses go back to where the request came from (§18.2.2).
import type { Clock } from '../core/clock.ts';
import { type SipLogger, silentLogger } from '../core/logger.ts';
import { DEFAULT_TIMER_VALUES, type TimerValues } from '../core/timer-values.ts';
import type { Destination, MessageSource, SipTransport } from '../core/transport.ts';
import { SipHeaderError } from '../header/parsed.ts';
import { createResponse } from '../message/create-response.ts';
import { parseMessage } from '../message/parse-message.ts';
import { SipRequest } from '../message/sip-request.ts';
import type { SipResponse } from '../message/sip-response.ts';
import { stampReceived } from '../nat/received.ts';
import { type ResponseRoutingOptions, responseDestination } from '../nat/response-destination.ts';
import { InviteClientTransaction } from './invite-client-transaction.ts';
import { InviteServerTransaction } from './invite-server-transaction.ts';
import { NonInviteClientTransaction } from './non-invite-client-transaction.ts';
import { NonInviteServerTransaction } from './non-invite-server-transaction.ts';
import { RetainedResponses } from './retained-responses.ts';
import type { TransactionContext } from './transaction-context.ts';
import type { ClientTransactionDelegate } from './transaction-delegate.ts';
import {
  clientKey,
  clientKeyOfResponse,
  isRfc2543Key,
  rfc2543ToTagMatches,
  serverKey,
} from './transaction-key.ts';
import type { ClientTransaction, ServerTransaction } from './transaction-types.ts';

export interface TransactionLayerOptions {
  readonly clock: Clock;
  readonly transport: SipTransport;
  readonly timers?: Partial<TimerValues>;
  readonly responseRouting?: ResponseRoutingOptions;
  readonly logger?: SipLogger;
}

export interface TransactionLayerDelegate {
  /**
   * A request that matched no transaction. For every method but ACK a server transaction was
   * created for it (§17.2.3 → §8.2) and the TU answers through it. An ACK here acknowledges a
   * 2xx (a transaction of its own, §17.1.1.3) and comes without one.
   */
  onRequest(request: SipRequest, transaction: ServerTransaction | undefined, source: MessageSource): void;
  /**
   * A response that matched no client transaction. RFC 6026 §8.9: "any element other than a
   * stateless proxy MUST silently discard the response"; this hook is for logging.
   */
  onStrayResponse?(response: SipResponse, source: MessageSource): void;
  /**
   * A server transaction ended: it reached Terminated and left the layer, or — one whose final
   * response the layer retained — its Timer J ran out. Bookkeeping above it ends too.
   */
  onServerEnded?(transactionId: string): void;
}

type AnyServerTransaction = InviteServerTransaction | NonInviteServerTransaction;
type AnyClientTransaction = InviteClientTransaction | NonInviteClientTransaction;

export class TransactionLayer {
  delegate: TransactionLayerDelegate;
  readonly timers: TimerValues;
  private readonly ctx: TransactionContext;
  private readonly logger: SipLogger;
  private readonly responseRouting: ResponseRoutingOptions;
  private readonly clients = new Map<string, AnyClientTransaction>();
  private readonly servers = new Map<string, AnyServerTransaction>();
  /** Server transactions whose TU has not answered yet (no response but 100 Trying). */
  private readonly awaitingTu = new Set<object>();
  /** Completed non-INVITE server transactions on UDP, as the bytes of their final response. */
  private readonly retained: RetainedResponses;

  constructor(options: TransactionLayerOptions, delegate: TransactionLayerDelegate) {
    this.timers = { ...DEFAULT_TIMER_VALUES, ...options.timers };
    this.retained = new RetainedResponses(
      options.clock,
      (bytes, destination) => this.resendBytes(bytes, destination),
      (id) => this.delegate.onServerEnded?.(id),
    );
    this.ctx = {
      clock: options.clock,
      timers: this.timers,
      transport: options.transport,
      answeredByTu: (tx) => void this.awaitingTu.delete(tx),
      retainFinal: (id, bytes, destination, forMs) => {
        // RFC 2543 keys also match on the To tag, which needs the request: keep the transaction.
        if (isRfc2543Key(id)) return false;
        this.retained.retain(id, bytes, destination, forMs);
        return true;
      },
    };
    this.logger = options.logger ?? silentLogger;
    this.responseRouting = options.responseRouting ?? {};
    this.delegate = delegate;
  }

  get clock(): Clock {
    return this.ctx.clock;
  }

  get transport(): SipTransport {
    return this.ctx.transport;
  }

  /** Live transactions, for diagnostics and leak tests. */
  get size(): { readonly clients: number; readonly servers: number; readonly retained: number } {
    return { clients: this.clients.size, servers: this.servers.size, retained: this.retained.size };
  }

  /**
   * Requests handed to the TU that it has not answered yet (no response other than 100 Trying):
   * work queued above the transaction layer, an overload signal (RFC 3261 §21.5.4).
   */
  get pendingServerRequests(): number {
    return this.awaitingTu.size;
  }

  /**
   * Sends a request statefully. The request must carry its top Via with an RFC 3261 branch
   * (the UA core adds it, §8.1.1.7). ACK is not sent this way: use sendStateless.
   */
  sendRequest(
    request: SipRequest,
    destination: Destination,
    delegate: ClientTransactionDelegate,
  ): ClientTransaction {
    if (request.method === 'ACK') throw new TypeError('ACK has no client transaction; use sendStateless');
    const branch = request.topVia()?.branch;
    if (branch === undefined) throw new TypeError('request has no top Via with a branch');
    const id = clientKey(branch, request.method);
    if (this.clients.has(id)) throw new TypeError(`a client transaction ${id} already exists`);
    const release = this.releaseClient;
    const tx =
      request.method === 'INVITE'
        ? new InviteClientTransaction(id, request, destination, this.ctx, delegate, release)
        : new NonInviteClientTransaction(id, request, destination, this.ctx, delegate, release);
    this.clients.set(id, tx);
    tx.start();
    return tx;
  }

  /**
   * Sends a message outside any transaction (ACK for 2xx, §13.2.2.4; 2xx retransmissions by
   * the UAS core go through the INVITE server transaction instead). Failures are logged.
   */
  sendStateless(message: SipRequest | SipResponse, destination: Destination): void {
    const fail = (error: unknown): void =>
      this.logger.warn({ error: String(error), destination }, 'sip: stateless send failed');
    try {
      const result = this.ctx.transport.send(message, destination);
      if (result && typeof result.then === 'function') result.then(undefined, fail);
    } catch (error) {
      fail(error);
    }
  }

  /**
   * Bytes of one datagram (or one framed stream message) from the transport. Malformed
   * requests whose headers were readable get a stateless 400 (§8.2, §16.3); anything else
   * unusable is dropped and logged. Never throws on network input.
   */
  receiveBytes(bytes: Uint8Array, source: MessageSource): void {
    const result = parseMessage(bytes);
    if (result.kind === 'message') {
      this.receive(result.message, source);
      return;
    }
    const reason = result.kind === 'malformed' ? result.reason : 'incomplete message';
    this.logger.debug({ reason, remote: source.remote }, 'sip: dropped unparseable message');
    const partial = result.kind === 'malformed' ? result.partial : undefined;
    if (partial instanceof SipRequest && partial.method !== 'ACK') {
      try {
        const response = createResponse(partial, 400, `Bad Request (${reason.replace(/[\r\n]/g, ' ')})`);
        const via = partial.topVia();
        if (via) this.sendStateless(response, responseDestination(via, source, this.responseRouting));
      } catch {
        // The headers needed to answer were not readable after all.
      }
    }
  }

  /** A parsed message from the transport. */
  receive(message: SipRequest | SipResponse, source: MessageSource): void {
    if (message instanceof SipRequest) this.receiveRequest(message, source);
    else this.receiveResponse(message, source);
  }

  /**
   * §9.2: the INVITE server transaction a CANCEL refers to ("the transaction being cancelled
   * is found using the procedures of §17.2.3, but with the method considered INVITE").
   */
  findInviteForCancel(cancel: SipRequest): ServerTransaction | undefined {
    const key = safe(() => serverKey(cancel, 'INVITE'));
    if (key === undefined) return undefined;
    const tx = this.servers.get(key);
    if (!(tx instanceof InviteServerTransaction)) return undefined;
    if (isRfc2543Key(key) && tx.request.to.tag !== cancel.to.tag) return undefined;
    return tx;
  }

  /** Ends every transaction without sending anything (shutdown). */
  dispose(): void {
    for (const tx of [...this.clients.values(), ...this.servers.values()]) tx.dispose();
    this.clients.clear();
    this.servers.clear();
    this.awaitingTu.clear();
    this.retained.dispose();
  }

  private receiveRequest(request: SipRequest, source: MessageSource): void {
    let key: string | undefined;
    try {
      stampReceived(request, source);
      key = serverKey(request);
    } catch (error) {
      this.dropMalformed(error, source);
      return;
    }
    if (key === undefined) return;
    const existing = this.servers.get(key);
    if (existing && (!isRfc2543Key(key) || rfc2543ToTagMatches(request, existing.request, existing.final))) {
      // RFC 6026 §7.1: an ACK matching an INVITE server transaction in the Accepted state (a
      // peer that reused the INVITE's branch for the ACK of a 2xx) is passed to the TU.
      if (request.method === 'ACK' && existing.kind === 'invite-server' && existing.state === 'Accepted') {
        this.dispatch(request, undefined, source);
        return;
      }
      existing.receiveRequest(request);
      return;
    }
    // A retransmission of a request whose transaction completed: its final response again.
    if (request.method !== 'ACK' && this.retained.answer(key)) return;
    if (request.method === 'ACK') {
      this.dispatch(request, undefined, source);
      return;
    }
    const via = request.topVia();
    if (via === undefined) return;
    const destination = responseDestination(via, source, this.responseRouting);
    if (request.version.toUpperCase() !== 'SIP/2.0') {
      // RFC 3261 §21.5.7 / RFC 4475 §3.1.2.15 (badvers): a UAS answers another SIP version with 505.
      this.sendStateless(createResponse(request, 505, 'Version Not Supported'), destination);
      return;
    }
    const release = this.releaseServer;
    const tx =
      request.method === 'INVITE'
        ? new InviteServerTransaction(
            key,
            request,
            destination,
            this.ctx,
            (r) => createResponse(r, 100),
            release,
          )
        : new NonInviteServerTransaction(key, request, destination, this.ctx, release);
    this.servers.set(key, tx);
    this.awaitingTu.add(tx);
    tx.start();
    this.dispatch(request, tx, source);
  }

  /**
   * Hands a request to the TU. A header the TU reads lazily may turn out malformed (a bad
   * Contact, say): that is the peer's fault, answered with 400, never an exception that
   * reaches the transport.
   */
  // One release callback per layer, not a closure per transaction.
  private readonly releaseClient = (tx: AnyClientTransaction): void => {
    if (this.clients.get(tx.id) === tx) this.clients.delete(tx.id);
  };

  private readonly releaseServer = (tx: AnyServerTransaction): void => {
    if (this.servers.get(tx.id) === tx) this.servers.delete(tx.id);
    this.awaitingTu.delete(tx);
    // A transaction whose final response was retained ends for the TU when that expires.
    if (!this.retained.has(tx.id)) this.delegate.onServerEnded?.(tx.id);
  };

  private dispatch(request: SipRequest, tx: AnyServerTransaction | undefined, source: MessageSource): void {
    try {
      this.delegate.onRequest(request, tx, source);
    } catch (error) {
      if (!(error instanceof SipHeaderError)) throw error;
      this.logger.debug({ reason: error.message, remote: source.remote }, 'sip: request with a bad header');
      if (tx && tx.final === undefined)
        tx.respond(createResponse(request, 400, `Bad Request (${error.message})`));
    }
  }

  private receiveResponse(response: SipResponse, source: MessageSource): void {
    let key: string | undefined;
    try {
      key = clientKeyOfResponse(response);
    } catch (error) {
      this.dropMalformed(error, source);
      return;
    }
    const tx = key === undefined ? undefined : this.clients.get(key);
    if (!tx) {
      this.delegate.onStrayResponse?.(response, source);
      return;
    }
    try {
      tx.receiveResponse(response);
    } catch (error) {
      this.dropMalformed(error, source);
    }
  }

  /** A retained final response, sent again; failures are only logged (as in Completed). */
  private resendBytes(bytes: Uint8Array, destination: Destination): void {
    const transport = this.ctx.transport;
    if (transport.sendBytes) {
      const fail = (error: unknown): void =>
        this.logger.warn({ error: String(error), destination }, 'sip: retransmission failed');
      try {
        const result = transport.sendBytes(bytes, destination);
        if (result && typeof result.then === 'function') result.then(undefined, fail);
      } catch (error) {
        fail(error);
      }
      return;
    }
    const parsed = parseMessage(bytes);
    if (parsed.kind === 'message') this.sendStateless(parsed.message, destination);
  }

  private dropMalformed(error: unknown, source: MessageSource): void {
    if (!(error instanceof SipHeaderError)) throw error;
    this.logger.debug(
      { reason: error.message, remote: source.remote },
      'sip: dropped message with bad headers',
    );
  }
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}
