// A request the UA sends and follows to its final response (RFC 3261 §8.1): it retries once
// per challenge with credentials (§22.2), retries on rules the caller adds (RFC 4028 422),
// and turns a transaction timeout into a 408 and a transport failure into a 503 (§8.1.3.1),
// so the caller handles every outcome as a response.
import type { Destination } from '../core/transport.ts';
import { createResponse } from '../message/create-response.ts';
import type { SipRequest } from '../message/sip-request.ts';
import type { SipResponse } from '../message/sip-response.ts';
import type { ClientTransactionDelegate } from '../transaction/transaction-delegate.ts';
import type { ClientTransaction } from '../transaction/transaction-types.ts';
import { AUTHORIZATION_HEADERS, type AuthAttempt, type UacAuthenticator } from './authenticator.ts';

/** What OutgoingRequest needs from the UA: a way to put a request on the wire. */
export interface RequestTransmitter {
  /**
   * Adds a Via with a new branch when the request has none, picks the destination (unless
   * given) and starts a client transaction. Throws when the request cannot be routed.
   */
  transmit(
    request: SipRequest,
    delegate: ClientTransactionDelegate,
    destination?: Destination,
  ): ClientTransaction;
}

export interface OutgoingRequestDelegate {
  /**
   * Every response the transaction hands up (1xx, the final response, and for INVITE each
   * 2xx retransmission or fork), except challenges consumed by a retry. Timeouts and transport
   * failures arrive as locally made 408 and 503 responses. `request` is the request (after
   * retries) that the response answers.
   */
  onResponse?(response: SipResponse, request: SipRequest): void;
}

export interface OutgoingRequestOptions {
  /** Send to this destination instead of the next hop of the request. */
  readonly destination?: Destination;
  readonly authenticator?: UacAuthenticator;
  /** CSeq for a retry (inside a dialog: the dialog's next local sequence number). */
  readonly nextCSeq?: (current: number) => number;
  /** Extra retry rules: update `next` and return true to send it instead of passing `response` up. */
  readonly retryOn?: (response: SipResponse, next: SipRequest) => boolean;
  /** Most retries of one request (challenges and other rules together). Default 3. */
  readonly maxRetries?: number;
  /** Checked before any retry (an INVITE cancelled meanwhile is not retried). */
  readonly canRetry?: () => boolean;
}

export class OutgoingRequest {
  /** The request currently in flight (changes on each retry). */
  request: SipRequest;
  /** Its client transaction (undefined only when the request could not be sent at all). */
  transaction: ClientTransaction | undefined;
  /** Resolves with the first final response (including a local 408/503). */
  readonly final: Promise<SipResponse>;
  private resolveFinal!: (response: SipResponse) => void;
  private finalSeen = false;
  private retries = 0;
  private auth: AuthAttempt | undefined;

  constructor(
    private readonly transmitter: RequestTransmitter,
    request: SipRequest,
    readonly delegate: OutgoingRequestDelegate,
    private readonly options: OutgoingRequestOptions = {},
  ) {
    this.final = new Promise((resolve) => (this.resolveFinal = resolve));
    this.request = request;
    this.auth = options.authenticator?.initial?.(request);
    if (this.auth) addCredentials(request, this.auth);
    this.send(request);
  }

  private send(request: SipRequest): void {
    this.request = request;
    const delegate: ClientTransactionDelegate = {
      onResponse: (response) => this.onResponse(response, request),
      onTimeout: () => this.onResponse(createResponse(request, 408, 'Request Timeout'), request),
      onTransportError: () => this.onResponse(createResponse(request, 503, 'Service Unavailable'), request),
    };
    try {
      this.transaction = this.transmitter.transmit(request, delegate, this.options.destination);
    } catch {
      // Unroutable (e.g. a tel: URI without a proxy): the caller sees a 503 on the next tick.
      const response = createResponse(request, 503, 'Service Unavailable');
      void Promise.resolve().then(() => this.onResponse(response, request));
    }
  }

  private onResponse(response: SipResponse, request: SipRequest): void {
    if (request !== this.request) return; // a late response to a request we already retried
    const mayRetry = this.retries < (this.options.maxRetries ?? 3) && (this.options.canRetry?.() ?? true);
    if (response.status >= 300 && !this.finalSeen && mayRetry) {
      const next = this.nextAttempt(response);
      if (next) {
        this.retries++;
        this.send(next);
        return;
      }
    }
    if (response.status >= 200 && !this.finalSeen) {
      this.finalSeen = true;
      this.delegate.onResponse?.(response, request);
      this.resolveFinal(response);
      return;
    }
    this.delegate.onResponse?.(response, request);
  }

  /** The retry for a 401/407 or a caller rule, or undefined to pass the response up. */
  private nextAttempt(response: SipResponse): SipRequest | undefined {
    const next = this.request.clone();
    next.headers.remove('Via');
    const seq = this.request.cseq.seq;
    next.cseq = {
      seq: this.options.nextCSeq ? this.options.nextCSeq(seq) : seq + 1,
      method: this.request.method,
    };
    if ((response.status === 401 || response.status === 407) && this.options.authenticator) {
      for (const name of AUTHORIZATION_HEADERS) next.headers.remove(name);
      const attempt = this.options.authenticator.retry(response, next, this.auth);
      if (!attempt) return undefined;
      this.auth = attempt;
      addCredentials(next, attempt);
      return next;
    }
    if (this.options.retryOn?.(response, next)) return next;
    return undefined;
  }
}

function addCredentials(request: SipRequest, attempt: AuthAttempt): void {
  for (const h of attempt.headers) request.headers.append(h.name, h.value);
}
