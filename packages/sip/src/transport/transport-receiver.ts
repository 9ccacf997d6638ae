// What a transport delivers upward (RFC 3261 §18.1.2, §18.2.1): whole, parsed messages with
// the address and connection they came from, and news of closed connections. The transaction
// layer's receive(message, source) has exactly this shape, so it can be passed in directly.
import type { MessageSource } from '../core/transport.ts';
import type { SipRequest } from '../message/sip-request.ts';
import type { SipResponse } from '../message/sip-response.ts';
import type { ConnectionCloseReason, ConnectionInfo } from './connection-info.ts';

export interface TransportReceiver {
  /**
   * A message that parsed and passed the parser's checks. Malformed input never gets here:
   * the transport counts it, answers 400 where it can and drops it.
   */
  receive(message: SipRequest | SipResponse, source: MessageSource): void;
  /** A connection (TCP, TLS, WS, WSS) closed; bindings that used it lose their flow. */
  connectionClosed?(connection: ConnectionInfo, reason: ConnectionCloseReason): void;
}
