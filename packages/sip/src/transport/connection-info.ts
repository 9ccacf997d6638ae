// What the transport layer tells the SIP core about its connections (TCP, TLS, WS, WSS). A
// registrar keeps the connection id of each binding (RFC 5626 "flow") so it can reach a phone
// behind NAT through the connection the phone registered on, and drops the binding's flow when
// the transport reports the connection closed (RFC 5626 §5.3).
import type { HostPort, TransportProtocol } from '../core/transport.ts';

/** Who opened the connection. */
export type ConnectionDirection = 'inbound' | 'outbound';

/** Why a connection was closed; logged and counted by the transports. */
export type ConnectionCloseReason =
  /** The peer closed it, or it broke (reset, TLS failure). */
  | 'remote'
  /** No traffic either way for the idle timeout. */
  | 'idle-timeout'
  /** A message was started and not completed in time, or nothing came after connecting. */
  | 'header-timeout'
  /** RFC 5626 §4.4.1: our CRLFCRLF ping got no CRLF pong in time. */
  | 'keepalive-timeout'
  /** Bytes that cannot be framed as SIP (garbage, bad start line, bad Content-Length). */
  | 'framing-error'
  /** A start line, header section or body over the configured limits. */
  | 'oversized'
  /** The peer stopped reading and our output queue for it passed its bound. */
  | 'slow-reader'
  /** Dropped to make room for a new connection (the oldest that never sent a message). */
  | 'evicted'
  /** Closed by the application, or by shutdown. */
  | 'local';

/** A connection as the SIP core sees it. */
export interface ConnectionInfo {
  /** Unique within the process; goes into MessageSource.connectionId and Destination. */
  readonly id: string;
  readonly protocol: TransportProtocol;
  readonly direction: ConnectionDirection;
  readonly remote: HostPort;
  readonly local: HostPort;
}
