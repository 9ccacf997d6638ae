// What every transaction gets from the transaction layer: time, timer values and a transport.
import type { Clock } from '../core/clock.ts';
import type { TimerValues } from '../core/timer-values.ts';
import type { Destination, SipTransport } from '../core/transport.ts';

export interface TransactionContext {
  readonly clock: Clock;
  readonly timers: TimerValues;
  readonly transport: SipTransport;
  /**
   * A server transaction passed the first response of its TU (other than 100 Trying) to the
   * transport: the TU has acted on the request. The layer counts requests still waiting.
   */
  readonly answeredByTu?: (transaction: object) => void;
  /**
   * A non-INVITE server transaction on an unreliable transport sent its final response: the
   * layer may keep just the response's bytes to answer retransmissions for `forMs` (Timer J)
   * and return true, and the transaction ends at once (retained-responses.ts).
   */
  readonly retainFinal?: (id: string, bytes: Uint8Array, destination: Destination, forMs: number) => boolean;
}
