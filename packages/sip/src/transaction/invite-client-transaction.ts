// INVITE client transaction: RFC 3261 §17.1.1 as updated by RFC 6026 §7.2 (Accepted state).
//
//                         | INVITE from TU
//       Timer A fires     | INVITE sent              Timer B fires (Calling only)
//       INVITE re-sent    V                          or transport error: inform TU
//            +------> +-----------+ ----------------------------------------+
//            +------- |  Calling  | ------------+ 2xx: to TU                |
//                     +-----------+             |                           |
//           1xx: to TU      |    | 300-699:     V                           |
//                           V    | ACK, to TU  +-----------+  2xx: to TU     |
//       1xx: to TU  +------------+  |  2xx     | Accepted  | <----+         |
//            +----- | Proceeding | -|--------> |           | -----+         |
//            +----> +------------+  | to TU    +-----------+                |
//                  300-699: |       |                | Timer M              |
//                  ACK,     V       V                V                      |
//                  to TU  +-----------+ Timer D  +------------+             |
//     300-699: ACK  +---- | Completed | -------> | Terminated | <-----------+
//     re-sent       +---> +-----------+          +------------+
//                               | transport error: inform TU      ^
//                               +---------------------------------+
import { timerA, timerB, timerD, timerM } from '../core/timer-values.ts';
import type { Destination } from '../core/transport.ts';
import type { SipRequest } from '../message/sip-request.ts';
import type { SipResponse } from '../message/sip-response.ts';
import { buildNon2xxAck } from './non-2xx-ack.ts';
import { InviteClientTransactionState as State } from './invite-client-transaction-state.ts';
import { IllegalTransitionError, TransactionBase } from './transaction-base.ts';
import type { TransactionContext } from './transaction-context.ts';
import type { ClientTransactionDelegate } from './transaction-delegate.ts';
import type { ClientTransaction } from './transaction-types.ts';

const ALLOWED: Record<State, readonly State[]> = {
  [State.Calling]: [State.Proceeding, State.Accepted, State.Completed, State.Terminated],
  [State.Proceeding]: [State.Accepted, State.Completed, State.Terminated],
  [State.Completed]: [State.Terminated],
  [State.Accepted]: [State.Terminated],
  [State.Terminated]: [],
};

export class InviteClientTransaction extends TransactionBase<State> implements ClientTransaction {
  readonly kind = 'invite-client' as const;
  readonly destination: Destination;
  delegate: ClientTransactionDelegate;
  private ack: SipRequest | undefined;
  private timerAInterval = 0;
  private readonly release: (tx: InviteClientTransaction) => void;

  constructor(
    id: string,
    request: SipRequest,
    destination: Destination,
    ctx: TransactionContext,
    delegate: ClientTransactionDelegate,
    release: (tx: InviteClientTransaction) => void = () => {},
  ) {
    super(id, request, destination, ctx, State.Calling);
    this.destination = destination;
    this.delegate = delegate;
    this.release = release;
  }

  protected get terminated(): boolean {
    return this.current === State.Terminated;
  }

  /**
   * §17.1.1.2: "the client transaction MUST pass the request to the transport layer", start
   * timer A (unreliable transports only) and timer B.
   */
  start(): void {
    if (!this.reliable) {
      this.timerAInterval = timerA(this.ctx.timers);
      this.startTimer('A', this.timerAInterval, () => this.onTimerA());
    }
    this.startTimer('B', timerB(this.ctx.timers), () => this.onTimerB());
    this.transmit(this.request, this.destination);
  }

  /** A response matched to this transaction by the transaction layer (§17.1.3). */
  receiveResponse(response: SipResponse): void {
    const status = response.status;
    switch (this.current) {
      case State.Calling:
      case State.Proceeding:
        if (status < 200) {
          if (this.current === State.Calling) this.transition(State.Proceeding);
          this.delegate.onResponse?.(response, this);
        } else if (status < 300) {
          this.transition(State.Accepted);
          this.delegate.onResponse?.(response, this);
        } else {
          // §17.1.1.2: "the client transaction MUST generate an ACK request ... and then pass
          // the response up to the TU ... and move to the Completed state".
          this.ack = buildNon2xxAck(this.request, response);
          this.transmit(this.ack, this.destination);
          if (this.terminated) return;
          this.transition(State.Completed);
          this.delegate.onResponse?.(response, this);
          this.enterCompletedTimers();
        }
        return;
      case State.Completed:
        // "Any retransmissions of the final response that are received while in the Completed
        // state MUST cause the ACK to be re-passed to the transport layer for retransmission,
        // but the newly received response MUST NOT be passed up to the TU."
        if (status >= 300 && this.ack) this.transmit(this.ack, this.destination);
        return;
      case State.Accepted:
        // RFC 6026 §8.4: "any 2xx response received while in the Accepted state MUST be passed
        // up to the TU" (so the TU re-sends its ACK). Anything else is absorbed.
        if (status >= 200 && status < 300) this.delegate.onResponse?.(response, this);
        return;
      case State.Terminated:
        return;
    }
  }

  dispose(): void {
    if (!this.terminated) this.terminate();
  }

  protected onTransportFailure(error: unknown): void {
    // A late failure report of the INVITE after a 2xx arrived changes nothing.
    if (this.current === State.Accepted) return;
    // §17.1.1.2 / §17.1.4: in Calling (and, by extension, Proceeding and Completed where we
    // send), a transport failure moves to Terminated and informs the TU.
    this.terminate(() => this.delegate.onTransportError?.(error, this));
  }

  /** Timer A: "the client transaction MUST retransmit the request ... and reset the timer with a value of 2*T1". */
  private onTimerA(): void {
    if (this.current !== State.Calling) return;
    this.timerAInterval *= 2;
    this.startTimer('A', this.timerAInterval, () => this.onTimerA());
    this.transmit(this.request, this.destination);
  }

  /** Timer B: "If the client transaction is still in the Calling state when timer B fires, ... inform the TU that a timeout has occurred." */
  private onTimerB(): void {
    if (this.current !== State.Calling) return;
    this.terminate(() => this.delegate.onTimeout?.(this));
  }

  private enterCompletedTimers(): void {
    if (this.current !== State.Completed) return;
    // §17.1.1.2: "start timer D ... >32s for unreliable transports, zero for reliable".
    const d = timerD(this.ctx.timers, this.reliable);
    if (d === 0) this.terminate();
    else this.startTimer('D', d, () => this.terminate());
  }

  /** Enters Terminated, tells the TU why (if `inform`), then that the transaction ended. */
  private terminate(inform?: () => void): void {
    this.transition(State.Terminated);
    inform?.();
    this.delegate.onTerminated?.(this);
  }

  private transition(to: State): void {
    if (!ALLOWED[this.current].includes(to)) {
      throw new IllegalTransitionError('InviteClientTransaction', this.current, to);
    }
    this.current = to;
    switch (to) {
      case State.Proceeding:
        // §17.1.1.2: "In the Proceeding state, the client transaction SHOULD NOT retransmit
        // the request any longer." Timer B only acts in Calling; it may keep running.
        this.stopTimer('A');
        return;
      case State.Accepted:
        // RFC 6026 §7.2: "the client transaction MUST transition to the Accepted state, and
        // Timer M MUST be started with a value of 64*T1".
        this.stopTimer('A');
        this.stopTimer('B');
        this.startTimer('M', timerM(this.ctx.timers), () => this.terminate());
        return;
      case State.Completed:
        this.stopTimer('A');
        this.stopTimer('B');
        return;
      case State.Terminated:
        this.stopAllTimers();
        this.release(this);
        return;
      case State.Calling:
        return;
    }
  }
}
