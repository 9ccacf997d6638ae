// Non-INVITE server transaction: RFC 3261 §17.2.2 (Figure 8).
//
//                     | Request received
//                     | pass to TU
//                     V
//               +-----------+
//               |  Trying   | -------------+   (retransmissions absorbed)
//               +-----------+              |
//  1xx from TU:       |                    | 200-699 from TU:
//  send response      V                    | send response
//               +-----------+              |
//  Request:     |           | <-- 1xx from TU: send response
//  send last 1xx| Proceeding|              |
//               +-----------+              |
//  200-699 from TU:   |                    |
//  send response      V                    |
//               +-----------+ <------------+
//  Request:     | Completed |
//  send final   +-----------+
//                     | Timer J
//                     V
//               +------------+    (any state: transport error -> Terminated, inform TU)
//               | Terminated |
//               +------------+
import { timerJ } from '../core/timer-values.ts';
import type { Destination } from '../core/transport.ts';
import type { SipRequest } from '../message/sip-request.ts';
import type { SipResponse } from '../message/sip-response.ts';
import { NonInviteServerTransactionState as State } from './non-invite-server-transaction-state.ts';
import { IllegalTransitionError, TransactionBase } from './transaction-base.ts';
import type { TransactionContext } from './transaction-context.ts';
import type { ServerTransactionDelegate } from './transaction-delegate.ts';
import type { RespondOptions, ServerTransaction } from './transaction-types.ts';

const ALLOWED: Record<State, readonly State[]> = {
  [State.Trying]: [State.Proceeding, State.Completed, State.Terminated],
  [State.Proceeding]: [State.Completed, State.Terminated],
  [State.Completed]: [State.Terminated],
  [State.Terminated]: [],
};

export class NonInviteServerTransaction extends TransactionBase<State> implements ServerTransaction {
  readonly kind = 'non-invite-server' as const;
  readonly responseDestination: Destination;
  delegate: ServerTransactionDelegate = {};
  private lastResponse: SipResponse | undefined;
  private readonly release: (tx: NonInviteServerTransaction) => void;

  constructor(
    id: string,
    request: SipRequest,
    responseDestination: Destination,
    ctx: TransactionContext,
    release: (tx: NonInviteServerTransaction) => void = () => {},
  ) {
    super(id, request, responseDestination, ctx, State.Trying);
    this.responseDestination = responseDestination;
    this.release = release;
  }

  protected get terminated(): boolean {
    return this.current === State.Terminated;
  }

  /** The final response sent, if any. */
  get final(): SipResponse | undefined {
    return this.lastResponse && this.lastResponse.status >= 200 ? this.lastResponse : undefined;
  }

  start(): void {}

  /** A response from the TU; false (nothing sent) once a final response went out. */
  respond(response: SipResponse, options?: RespondOptions): boolean {
    if (this.current !== State.Trying && this.current !== State.Proceeding) return false;
    if (response.status > 100) this.ctx.answeredByTu?.(this);
    this.lastResponse = response;
    if (options?.stateless && response.status >= 200) {
      // §8.2.7: sent and forgotten (a challenge to an unauthenticated request).
      this.transmit(response, this.responseDestination);
      if (!this.terminated) this.terminate();
      return true;
    }
    if (response.status < 200) {
      // "While in the Trying state, if the TU passes a provisional response to the server
      // transaction, the server transaction MUST enter the Proceeding state."
      if (this.current === State.Trying) this.transition(State.Proceeding);
      this.transmit(response, this.responseDestination);
    } else {
      // "If the TU passes a final response (status codes 200-699) to the server while in the
      // Proceeding [or Trying] state, the transaction MUST enter the Completed state, and the
      // response MUST be passed to the transport layer for transmission."
      // Encoded once: sent, and kept by the layer for retransmissions (retainFinal).
      const bytes = this.ctx.retainFinal && !this.reliable ? response.toBytes() : undefined;
      if (bytes) this.transmitBytes(response, bytes, this.responseDestination);
      else this.transmit(response, this.responseDestination);
      if (!this.terminated) this.transition(State.Completed, bytes);
    }
    return true;
  }

  /** A retransmission of the request (§17.2.3 matched it here). */
  receiveRequest(_request: SipRequest): void {
    switch (this.current) {
      case State.Trying:
        // "Once in the Trying state, any further request retransmissions are discarded."
        return;
      case State.Proceeding:
      case State.Completed:
        // "If a retransmission of the request is received while in the Proceeding state, the
        // most recently sent provisional response MUST be passed to the transport layer" —
        // and in Completed "... the server SHOULD pass the final response to the transport".
        if (this.lastResponse) this.transmit(this.lastResponse, this.responseDestination);
        return;
      case State.Terminated:
        return;
    }
  }

  dispose(): void {
    if (!this.terminated) this.terminate();
  }

  protected onTransportFailure(error: unknown): void {
    // §17.2.4 / §17.2.2: "If the transport fails ... the server transaction MUST transition to
    // the Terminated state", informing the TU.
    this.terminate(() => this.delegate.onTransportError?.(error, this));
  }

  private terminate(inform?: () => void): void {
    this.transition(State.Terminated);
    inform?.();
    this.delegate.onTerminated?.(this);
  }

  private transition(to: State, finalBytes?: Uint8Array): void {
    if (!ALLOWED[this.current].includes(to)) {
      throw new IllegalTransitionError('NonInviteServerTransaction', this.current, to);
    }
    this.current = to;
    switch (to) {
      case State.Completed: {
        // "When the server transaction enters the Completed state, it MUST set Timer J to fire
        // in 64*T1 seconds for unreliable transports, and zero seconds for reliable transports."
        const j = timerJ(this.ctx.timers, this.reliable);
        if (j === 0) {
          this.terminate();
          return;
        }
        // The layer keeps the response's bytes for Timer J instead of this whole object.
        if (finalBytes && this.ctx.retainFinal?.(this.id, finalBytes, this.responseDestination, j)) {
          this.terminate();
          return;
        }
        // Kept only to absorb retransmissions for Timer J (32 s on UDP): hold the request and
        // the response as text and bytes, not as parsed objects (memory and GC under load).
        this.request.compact();
        this.lastResponse?.compact();
        this.startTimer('J', j, () => this.terminate());
        return;
      }
      case State.Terminated:
        this.stopAllTimers();
        this.release(this);
        return;
      case State.Trying:
      case State.Proceeding:
        return;
    }
  }
}
