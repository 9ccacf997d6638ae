// The two faces of a transaction as its users see them. The four state machines implement
// these; code above the transaction layer depends on these interfaces only.
import type { Destination } from '../core/transport.ts';
import type { SipRequest } from '../message/sip-request.ts';
import type { SipResponse } from '../message/sip-response.ts';

interface TransactionCommon {
  /** The transaction key used for matching (see transaction-key.ts). */
  readonly id: string;
  readonly request: SipRequest;
  readonly reliable: boolean;
  /** The current state, one of the machine's state enum values. */
  readonly state: string;
  /** Ends the transaction at once without sending anything (shutdown). */
  dispose(): void;
}

export interface ClientTransaction extends TransactionCommon {
  readonly kind: 'invite-client' | 'non-invite-client';
  /** Where the request (and a non-2xx ACK) goes. */
  readonly destination: Destination;
}

export interface ServerTransaction extends TransactionCommon {
  readonly kind: 'invite-server' | 'non-invite-server';
  /** Where responses go (RFC 3261 §18.2.2 with RFC 3581). */
  readonly responseDestination: Destination;
  /** The final response sent, once there is one. */
  readonly final: SipResponse | undefined;
  /** Sends a response from the TU; false when the state no longer allows it. */
  respond(response: SipResponse, options?: RespondOptions): boolean;
}

export interface RespondOptions {
  /**
   * RFC 3261 §8.2.7, stateless UAS behaviour — "the most important purpose ... is for
   * unauthenticated requests ... to generate challenges": a final response is sent and the
   * transaction ends at once, keeping nothing for Timer J; a retransmitted request is then a
   * new request (it gets a new challenge). Non-INVITE transactions only; INVITE ignores it.
   */
  readonly stateless?: boolean;
}
