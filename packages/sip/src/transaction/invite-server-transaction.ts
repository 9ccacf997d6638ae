// INVITE server transaction: RFC 3261 §17.2.1 as updated by RFC 6026 §7.1 (Accepted state).
//
//                       | INVITE
//                       | pass INV to TU; 100 Trying if the TU is silent for 200 ms
//    INVITE             V                           send 2xx from TU
//    send last 1xx +-----------+  2xx from TU:     +-----------+ <----+
//         +------- |           | send response     |           | -----+
//         +------> | Proceeding| ----------------> | Accepted  |  INVITE: absorbed
//  1xx from TU:    |           |                   |           |  ACK: to TU
//  send response   +-----------+                   +-----------+
//                       | 300-699 from TU:               | Timer L
//                       | send response                  V
//                       V                          +------------+
//     INVITE       +-----------+  Timer H or       |            |
//     send final   |           |  transport error  | Terminated |
//        +-------- | Completed | ----------------> |            |
//        +-------> |           |  (inform TU)      +------------+
//     Timer G:     +-----------+                         ^
//     send final        | ACK                            |
//                       V                                |
//                  +-----------+  Timer I                |
//    ACK absorbed  | Confirmed | ------------------------+
//                  +-----------+
// Any state but Terminated: transport error -> Terminated, inform TU.
import { timerG, timerH, timerI, timerL } from '../core/timer-values.ts';
import type { Destination } from '../core/transport.ts';
import type { SipRequest } from '../message/sip-request.ts';
import type { SipResponse } from '../message/sip-response.ts';
import { InviteServerTransactionState as State } from './invite-server-transaction-state.ts';
import { IllegalTransitionError, TransactionBase } from './transaction-base.ts';
import type { TransactionContext } from './transaction-context.ts';
import type { ServerTransactionDelegate } from './transaction-delegate.ts';
import type { ServerTransaction } from './transaction-types.ts';

const ALLOWED: Record<State, readonly State[]> = {
  [State.Proceeding]: [State.Accepted, State.Completed, State.Terminated],
  [State.Completed]: [State.Confirmed, State.Terminated],
  [State.Accepted]: [State.Terminated],
  [State.Confirmed]: [State.Terminated],
  [State.Terminated]: [],
};

/** §17.2.1: the server transaction answers 100 Trying unless the TU responds within 200 ms. */
export const TRYING_DEADLINE_MS = 200;

export class InviteServerTransaction extends TransactionBase<State> implements ServerTransaction {
  readonly kind = 'invite-server' as const;
  /** Where responses go (§18.2.2 with RFC 3581); set by the transaction layer. */
  readonly responseDestination: Destination;
  delegate: ServerTransactionDelegate = {};
  private lastProvisional: SipResponse | undefined;
  private finalResponse: SipResponse | undefined;
  private timerGInterval = 0;
  private readonly release: (tx: InviteServerTransaction) => void;
  private readonly makeTrying: (request: SipRequest) => SipResponse;

  constructor(
    id: string,
    request: SipRequest,
    responseDestination: Destination,
    ctx: TransactionContext,
    makeTrying: (request: SipRequest) => SipResponse,
    release: (tx: InviteServerTransaction) => void = () => {},
  ) {
    super(id, request, responseDestination, ctx, State.Proceeding);
    this.responseDestination = responseDestination;
    this.makeTrying = makeTrying;
    this.release = release;
  }

  protected get terminated(): boolean {
    return this.current === State.Terminated;
  }

  /** The last final response sent (undefined while Proceeding). */
  get final(): SipResponse | undefined {
    return this.finalResponse;
  }

  /** Arms the 100 Trying deadline (§17.2.1). Called by the layer once the tx is registered. */
  start(): void {
    this.startTimer('Trying', TRYING_DEADLINE_MS, () => {
      if (this.current === State.Proceeding && !this.lastProvisional)
        this.respond(this.makeTrying(this.request));
    });
  }

  /**
   * A response from the TU. Returns false when the state does not allow it (e.g. a final
   * response after another final one), in which case nothing is sent.
   */
  respond(response: SipResponse): boolean {
    const status = response.status;
    switch (this.current) {
      case State.Proceeding:
        this.stopTimer('Trying');
        if (status > 100) this.ctx.answeredByTu?.(this);
        if (status < 200) {
          // "The TU passes any number of provisional responses to the server transaction."
          this.lastProvisional = response;
          this.transmit(response, this.responseDestination);
        } else if (status < 300) {
          // RFC 6026 §7.1: "If, while in the Proceeding state, the TU passes a 2xx response to
          // the server transaction, the server transaction MUST pass this response to the
          // transport layer for transmission ... and transition to the Accepted state".
          this.finalResponse = response;
          this.transition(State.Accepted);
          this.transmit(response, this.responseDestination);
        } else {
          // "While in the Proceeding state, if the TU passes a response with status code from
          // 300 to 699 to the server transaction, the response MUST be passed to the transport
          // layer for transmission, and the state machine MUST enter the Completed state."
          this.finalResponse = response;
          this.transition(State.Completed);
          this.transmit(response, this.responseDestination);
        }
        return true;
      case State.Accepted:
        // RFC 6026 §7.1: "While in the Accepted state, any retransmissions of the 2xx response
        // passed from the TU to the server transaction MUST be passed to the transport layer".
        if (status >= 200 && status < 300) {
          this.transmit(response, this.responseDestination);
          return true;
        }
        return false;
      default:
        return false;
    }
  }

  /** A retransmitted INVITE or an ACK matched to this transaction (§17.2.3). */
  receiveRequest(request: SipRequest): void {
    const isAck = request.method === 'ACK';
    switch (this.current) {
      case State.Proceeding:
        // "If a request retransmission is received while in the Proceeding state, the most
        // recent provisional response that was received from the TU MUST be passed to the
        // transport layer for retransmission."
        if (!isAck && this.lastProvisional) this.transmit(this.lastProvisional, this.responseDestination);
        return;
      case State.Completed:
        if (isAck) {
          // "If an ACK is received while the server transaction is in the Completed state, the
          // server transaction MUST transition to the Confirmed state."
          this.transition(State.Confirmed);
        } else if (this.finalResponse) {
          // "... retransmissions of the INVITE ... the server SHOULD pass the response to the
          // transport for retransmission."
          this.transmit(this.finalResponse, this.responseDestination);
        }
        return;
      case State.Accepted:
        // RFC 6026 §7.1: INVITE retransmissions are absorbed; "the ACK ... passed directly to the TU".
        if (isAck) this.delegate.onAck?.(request, this);
        return;
      case State.Confirmed:
      case State.Terminated:
        // "the server transaction absorbs any additional ACK messages".
        return;
    }
  }

  dispose(): void {
    if (!this.terminated) this.terminate();
  }

  protected onTransportFailure(error: unknown): void {
    // §17.2.4: "the server transaction ... SHOULD inform the TU and enter Terminated"; a
    // failure reported after the ACK arrived no longer matters.
    if (this.current === State.Confirmed) return;
    this.terminate(() => this.delegate.onTransportError?.(error, this));
  }

  /** Timer G: "the response is passed to the transport layer ... and timer G is reset with a value of MIN(2*T1, T2)". */
  private onTimerG(): void {
    if (this.current !== State.Completed || !this.finalResponse) return;
    this.timerGInterval = Math.min(2 * this.timerGInterval, this.ctx.timers.T2);
    this.startTimer('G', this.timerGInterval, () => this.onTimerG());
    this.transmit(this.finalResponse, this.responseDestination);
  }

  private terminate(inform?: () => void): void {
    this.transition(State.Terminated);
    inform?.();
    this.delegate.onTerminated?.(this);
  }

  private transition(to: State): void {
    if (!ALLOWED[this.current].includes(to)) {
      throw new IllegalTransitionError('InviteServerTransaction', this.current, to);
    }
    this.current = to;
    switch (to) {
      case State.Accepted:
        // RFC 6026 §7.1: "... Timer L MUST be set to fire in 64*T1".
        this.startTimer('L', timerL(this.ctx.timers), () => this.terminate());
        // From here the transaction absorbs retransmissions and passes ACKs: it needs the
        // messages as text and bytes, not their parsed objects (memory held for 64*T1).
        this.request.compact();
        this.finalResponse?.compact();
        return;
      case State.Completed:
        // "timer G is set to fire in T1 seconds" (unreliable only); "timer H MUST be set to fire in 64*T1".
        if (!this.reliable) {
          this.timerGInterval = timerG(this.ctx.timers);
          this.startTimer('G', this.timerGInterval, () => this.onTimerG());
        }
        // "If timer H fires while in the Completed state, ... the server transaction MUST
        // transition to the Terminated state, and MUST indicate to the TU that a transaction
        // failure has occurred."
        this.startTimer('H', timerH(this.ctx.timers), () =>
          this.terminate(() => this.delegate.onTimeout?.(this)),
        );
        return;
      case State.Confirmed: {
        // "timer I is set to fire in T4 seconds for unreliable transports, and zero seconds
        // for reliable transports." Timers G and H stop.
        this.stopTimer('G');
        this.stopTimer('H');
        const i = timerI(this.ctx.timers, this.reliable);
        if (i === 0) this.terminate();
        else this.startTimer('I', i, () => this.terminate());
        return;
      }
      case State.Terminated:
        this.stopAllTimers();
        this.release(this);
        return;
      case State.Proceeding:
        return;
    }
  }
}
