// What the transaction layer needs from a transport (RFC 3261 §18), as types only. The Node
// transports in @switchboard/sip-node implement SipTransport; the testkit's FakeNetwork does
// too. Received messages come back up through TransactionLayer.receive(message, source).
import type { SipRequest } from '../message/sip-request.ts';
import type { SipResponse } from '../message/sip-response.ts';

/** Transport protocols as written in the Via header (RFC 3261 §20.42; WS/WSS RFC 7118). */
export type TransportProtocol = 'UDP' | 'TCP' | 'TLS' | 'SCTP' | 'WS' | 'WSS';

/** A host (name, IPv4, or IPv6 without brackets) and a port. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/**
 * Where a message came from, as seen by the transport that received it. The source address is
 * what RFC 3581 `received`/`rport` report and where responses go back (§18.2.2).
 */
export interface MessageSource {
  readonly protocol: TransportProtocol;
  /** The peer's address as seen on the wire (after any NAT). */
  readonly remote: HostPort;
  /** The local address the message arrived on. */
  readonly local: HostPort;
  /** For connection-oriented transports: the connection it arrived on, to answer over it. */
  readonly connectionId?: string;
}

/** Where to send a message. `connectionId`, when given and still open, wins over host/port. */
export interface Destination {
  readonly protocol: TransportProtocol;
  readonly host: string;
  readonly port: number;
  readonly connectionId?: string;
}

/** Reliable transports make timers A, E and G unnecessary and D, I, J, K zero (§17.1.1.2). */
export function isReliableTransport(protocol: TransportProtocol): boolean {
  return protocol !== 'UDP';
}

/** Default port for a protocol when a URI or Via gives none (§19.1.2; RFC 7118 §5.1). */
export function defaultPort(protocol: TransportProtocol, secure = false): number {
  if (protocol === 'TLS' || secure) return 5061;
  if (protocol === 'WS') return 80;
  if (protocol === 'WSS') return 443;
  return 5060;
}

/**
 * The sending side of a transport. `send` may throw or return a rejected promise when the
 * message cannot be sent (no route, connection refused): the transaction reports that to its
 * user as a transport error (§17.1.4, §17.2.4).
 */
export interface SipTransport {
  send(message: SipRequest | SipResponse, destination: Destination): void | Promise<void>;
  /**
   * Sends bytes already encoded (a retransmitted response the transaction layer kept as bytes).
   * Optional: without it the layer parses the bytes and calls `send`.
   */
  sendBytes?(bytes: Uint8Array, destination: Destination): void | Promise<void>;
  /**
   * The address this side writes into Via sent-by and Contact for messages to `destination`
   * (the public address when behind NAT and configured so).
   */
  localAddress(destination: Destination): HostPort;
}
