// Non-INVITE client transaction: RFC 3261 §17.1.2 (Figure 6).
//
//                      | Request from TU
//                      | send request
//  Timer E             V
//  send request  +-----------+
//      +-------- |  Trying   | ---------------+  Timer F or transport error:
//      +-------> +-----------+                |  inform TU
//     200-699: to TU |   | 1xx: to TU         |
//     +--------------+   V                    |
//     |  Timer E    +-----------+             |
//     |  send req   |           |------------>|
//     |  +--------- |Proceeding |             |
//     |  +--------> |           | <-- 1xx: to TU
//     |             +-----------+             |
//     |  200-699: to TU  |                    |
//     V                  V                    |
//   +-----------+  (responses absorbed)       |
//   | Completed |  Timer K                    V
//   |           | --------------------> +------------+
//   +-----------+                       | Terminated |
//                                       +------------+
import { timerE, timerF, timerK } from '../core/timer-values.ts';
import type { Destination } from '../core/transport.ts';
import type { SipRequest } from '../message/sip-request.ts';
import type { SipResponse } from '../message/sip-response.ts';
import { NonInviteClientTransactionState as State } from './non-invite-client-transaction-state.ts';
import { IllegalTransitionError, TransactionBase } from './transaction-base.ts';
import type { TransactionContext } from './transaction-context.ts';
import type { ClientTransactionDelegate } from './transaction-delegate.ts';
import type { ClientTransaction } from './transaction-types.ts';

const ALLOWED: Record<State, readonly State[]> = {
  [State.Trying]: [State.Proceeding, State.Completed, State.Terminated],
  [State.Proceeding]: [State.Completed, State.Terminated],
  [State.Completed]: [State.Terminated],
  [State.Terminated]: [],
};

export class NonInviteClientTransaction extends TransactionBase<State> implements ClientTransaction {
  readonly kind = 'non-invite-client' as const;
  readonly destination: Destination;
  delegate: ClientTransactionDelegate;
  private timerEInterval = 0;
  private readonly release: (tx: NonInviteClientTransaction) => void;

  constructor(
    id: string,
    request: SipRequest,
    destination: Destination,
    ctx: TransactionContext,
    delegate: ClientTransactionDelegate,
    release: (tx: NonInviteClientTransaction) => void = () => {},
  ) {
    super(id, request, destination, ctx, State.Trying);
    this.destination = destination;
    this.delegate = delegate;
    this.release = release;
  }

  protected get terminated(): boolean {
    return this.current === State.Terminated;
  }

  /** §17.1.2.2: send the request, set timer F to 64*T1 and (unreliable only) timer E to T1. */
  start(): void {
    this.startTimer('F', timerF(this.ctx.timers), () => this.onTimerF());
    if (!this.reliable) {
      this.timerEInterval = timerE(this.ctx.timers);
      this.startTimer('E', this.timerEInterval, () => this.onTimerE());
    }
    this.transmit(this.request, this.destination);
  }

  receiveResponse(response: SipResponse): void {
    const status = response.status;
    switch (this.current) {
      case State.Trying:
      case State.Proceeding:
        if (status < 200) {
          // "If a provisional response is received while in the Trying state, the response
          // MUST be passed to the TU, and then the client transaction SHOULD move to the
          // Proceeding state."
          if (this.current === State.Trying) this.transition(State.Proceeding);
          this.delegate.onResponse?.(response, this);
        } else {
          // "If a final response (status codes 200-699) is received while in the Trying [or
          // Proceeding] state, the response MUST be passed to the TU, and the client
          // transaction MUST transition to the Completed state."
          this.transition(State.Completed);
          this.delegate.onResponse?.(response, this);
          // "timer K ... T4 for unreliable transports, and zero seconds for reliable".
          const k = timerK(this.ctx.timers, this.reliable);
          if (this.terminated) return; // the TU disposed of it from onResponse
          if (k === 0) this.terminate();
          else this.startTimer('K', k, () => this.terminate());
        }
        return;
      case State.Completed:
      case State.Terminated:
        // Retransmitted responses are absorbed.
        return;
    }
  }

  dispose(): void {
    if (!this.terminated) this.terminate();
  }

  protected onTransportFailure(error: unknown): void {
    if (this.current === State.Completed) return;
    // §17.1.4: the transaction is terminated and the TU informed.
    this.terminate(() => this.delegate.onTransportError?.(error, this));
  }

  /**
   * Timer E. Trying: "the client transaction MUST retransmit the request and reset the timer
   * ... to MIN(2*T1, T2)" and so on. Proceeding: "retransmit ... and reset the timer to T2".
   */
  private onTimerE(): void {
    const { T2 } = this.ctx.timers;
    if (this.current === State.Trying) this.timerEInterval = Math.min(2 * this.timerEInterval, T2);
    else if (this.current === State.Proceeding) this.timerEInterval = T2;
    else return;
    this.startTimer('E', this.timerEInterval, () => this.onTimerE());
    this.transmit(this.request, this.destination);
  }

  /** Timer F: "the client transaction SHOULD inform the TU about the timeout, and then it SHOULD enter the Terminated state". */
  private onTimerF(): void {
    if (this.current !== State.Trying && this.current !== State.Proceeding) return;
    this.terminate(() => this.delegate.onTimeout?.(this));
  }

  /** Enters Terminated, tells the TU why (if `inform`), then that the transaction ended. */
  private terminate(inform?: () => void): void {
    this.transition(State.Terminated);
    inform?.();
    this.delegate.onTerminated?.(this);
  }

  private transition(to: State): void {
    if (!ALLOWED[this.current].includes(to)) {
      throw new IllegalTransitionError('NonInviteClientTransaction', this.current, to);
    }
    this.current = to;
    switch (to) {
      case State.Completed:
        this.stopTimer('E');
        this.stopTimer('F');
        return;
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
