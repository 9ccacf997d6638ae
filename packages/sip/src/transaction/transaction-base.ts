// Shared plumbing of the four transaction state machines: named timers on the injected clock,
// and sending through the transport with failures turned into one transport-error event.
import type { TimerHandle } from '../core/clock.ts';
import { type Destination, isReliableTransport } from '../core/transport.ts';
import type { SipRequest } from '../message/sip-request.ts';
import type { SipResponse } from '../message/sip-response.ts';
import type { TransactionContext } from './transaction-context.ts';

/** RFC 3261 / RFC 6026 timer names, plus 'Trying' (the 200 ms 100 Trying deadline of §17.2.1). */
export type TimerName = 'A' | 'B' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L' | 'M' | 'Trying';

export abstract class TransactionBase<State extends string> {
  /** Transaction key (see transaction-key.ts); unique within a transaction layer. */
  readonly id: string;
  /** The request that created the transaction (for client transactions: as sent). */
  readonly request: SipRequest;
  /** Whether the transport is reliable (§17.1.1.2: timers A/E/G off, D/I/J/K zero). */
  readonly reliable: boolean;
  protected readonly ctx: TransactionContext;
  private readonly running = new Map<TimerName, TimerHandle>();
  protected current: State;

  protected constructor(
    id: string,
    request: SipRequest,
    destination: Destination,
    ctx: TransactionContext,
    initial: State,
  ) {
    this.id = id;
    this.request = request;
    this.ctx = ctx;
    this.reliable = isReliableTransport(destination.protocol);
    this.current = initial;
  }

  get state(): State {
    return this.current;
  }

  /** Ends the transaction now, without sending anything (layer shutdown). */
  abstract dispose(): void;

  protected abstract onTransportFailure(error: unknown): void;

  protected abstract get terminated(): boolean;

  /** (Re)starts timer `name`; a running timer of that name is cancelled first. */
  protected startTimer(name: TimerName, delayMs: number, fire: () => void): void {
    this.stopTimer(name);
    const handle = this.ctx.clock.setTimer(delayMs, () => {
      this.running.delete(name);
      if (!this.terminated) fire();
    });
    this.running.set(name, handle);
  }

  protected stopTimer(name: TimerName): void {
    this.running.get(name)?.cancel();
    this.running.delete(name);
  }

  protected stopAllTimers(): void {
    for (const handle of this.running.values()) handle.cancel();
    this.running.clear();
  }

  /** Whether timer `name` is running (for tests and diagnostics). */
  isTimerRunning(name: TimerName): boolean {
    return this.running.has(name);
  }

  /**
   * Hands a message to the transport. A synchronous throw or a rejected promise is a transport
   * error (§17.1.4 / §17.2.4), reported once and only while the transaction lives.
   */
  protected transmit(message: SipRequest | SipResponse, destination: Destination): void {
    this.deliver(() => this.ctx.transport.send(message, destination));
  }

  /** As transmit, with the message's bytes already encoded (sent as they are when the transport can). */
  protected transmitBytes(
    message: SipRequest | SipResponse,
    bytes: Uint8Array,
    destination: Destination,
  ): void {
    const transport = this.ctx.transport;
    this.deliver(() =>
      transport.sendBytes ? transport.sendBytes(bytes, destination) : transport.send(message, destination),
    );
  }

  private deliver(send: () => void | Promise<void>): void {
    let result: void | Promise<void>;
    try {
      result = send();
    } catch (error) {
      this.failTransport(error);
      return;
    }
    if (result && typeof result.then === 'function') {
      result.then(undefined, (error: unknown) => this.failTransport(error));
    }
  }

  private failTransport(error: unknown): void {
    if (!this.terminated) this.onTransportFailure(error);
  }
}

/** Thrown by a guarded transition() when a state machine is asked for a move the RFC forbids. */
export class IllegalTransitionError extends Error {
  constructor(machine: string, from: string, to: string) {
    super(`${machine}: illegal transition ${from} -> ${to}`);
    this.name = 'IllegalTransitionError';
  }
}
