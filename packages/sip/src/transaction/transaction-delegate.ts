// Upward calls from transactions to their user (the TU: UA core, dialog, proxy core).
// Typed delegates, not string-named events (STYLE.md).
import type { SipRequest } from '../message/sip-request.ts';
import type { SipResponse } from '../message/sip-response.ts';
import type { ClientTransaction, ServerTransaction } from './transaction-types.ts';

export interface ClientTransactionDelegate {
  /**
   * A response for the TU: every provisional, every final response the first time, and (INVITE,
   * RFC 6026 Accepted state) each 2xx retransmission so the TU can send its ACK again.
   */
  onResponse?(response: SipResponse, transaction: ClientTransaction): void;
  /** Timer B or F fired before a final response arrived (§17.1.1.2, §17.1.2.2). */
  onTimeout?(transaction: ClientTransaction): void;
  /** The transport could not send the request or the ACK (§17.1.4). */
  onTransportError?(error: unknown, transaction: ClientTransaction): void;
  /** The transaction reached Terminated, whatever the reason. */
  onTerminated?(transaction: ClientTransaction): void;
}

export interface ServerTransactionDelegate {
  /** Timer H fired: the ACK for a non-2xx final response never came (§17.2.1). */
  onTimeout?(transaction: ServerTransaction): void;
  /** The transport could not send a response (§17.2.4). */
  onTransportError?(error: unknown, transaction: ServerTransaction): void;
  /**
   * RFC 6026 §7.1: an ACK that matched the INVITE server transaction in the Accepted state is
   * passed straight to the TU.
   */
  onAck?(ack: SipRequest, transaction: ServerTransaction): void;
  /** The transaction reached Terminated, whatever the reason. */
  onTerminated?(transaction: ServerTransaction): void;
}
