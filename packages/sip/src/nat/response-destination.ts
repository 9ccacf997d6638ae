// Where a response goes: RFC 3261 §18.2.2 with RFC 3581 §4 (symmetric response routing).
import {
  type Destination,
  type MessageSource,
  type TransportProtocol,
  defaultPort,
  isReliableTransport,
} from '../core/transport.ts';
import type { Via } from '../header/via.ts';
import { bareHost } from './received.ts';

export interface ResponseRoutingOptions {
  /**
   * Send every response to the address and port the request came from, even without `rport`
   * (what phones behind NAT need and what most servers do: "force rport"). Default true.
   * With false, §18.2.2 and RFC 3581 are followed to the letter.
   */
  readonly symmetric?: boolean;
}

/**
 * The destination of responses to a request whose (stamped) top Via is `via` and which
 * arrived from `source`:
 * - reliable transports: "the response MUST be sent using the existing connection to the
 *   source of the original request"; if it closed, "to the IP address in the received
 *   parameter ... using the port in the sent-by value" (§18.2.2) — host/port carry that.
 * - RFC 3581 §4: with `rport`, "the response MUST be sent to the IP address listed in the
 *   received parameter, and the port in the rport parameter".
 * - otherwise `received` and the sent-by port, or the sent-by itself (§18.2.2).
 * `maddr` (multicast) is not supported: such responses go to the source as well.
 */
export function responseDestination(
  via: Via,
  source: MessageSource,
  options: ResponseRoutingOptions = {},
): Destination {
  const protocol: TransportProtocol = source.protocol;
  const sentByPort = via.port ?? defaultPort(protocol);
  if (isReliableTransport(protocol)) {
    // Without a connection id the transport finds the connection by the peer's address.
    if (source.connectionId === undefined) {
      return { protocol, host: bareHost(source.remote.host), port: source.remote.port };
    }
    return {
      protocol,
      host: via.received ?? bareHost(source.remote.host),
      port: sentByPort,
      connectionId: source.connectionId,
    };
  }
  if (options.symmetric !== false || via.maddr !== undefined) {
    return { protocol, host: bareHost(source.remote.host), port: source.remote.port };
  }
  const rport = via.rport;
  if (typeof rport === 'number')
    return { protocol, host: via.received ?? bareHost(source.remote.host), port: rport };
  if (via.received !== undefined) return { protocol, host: via.received, port: sentByPort };
  return { protocol, host: bareHost(via.host), port: sentByPort };
}
