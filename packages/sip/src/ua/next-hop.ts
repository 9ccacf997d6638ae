// Where a request goes next (RFC 3261 §8.1.2, §12.2.1.1) and how a SIP URI maps to a transport
// destination (§18.1.1, §19.1.2, RFC 7118 for WebSocket). DNS (RFC 3263 NAPTR/SRV) is not
// done here: host names are passed to the transport, which resolves them.
import { type Destination, type TransportProtocol, defaultPort } from '../core/transport.ts';
import type { SipRequest } from '../message/sip-request.ts';
import { bareHost } from '../nat/received.ts';
import type { Uri } from '../uri/parse-uri.ts';
import { SipUri } from '../uri/sip-uri.ts';

/** A URI this stack cannot send to (tel:, http:, …) without a proxy or route in front. */
export class UnroutableUriError extends Error {
  constructor(readonly uri: string) {
    super(`cannot send to ${uri}: not a sip: or sips: URI (configure an outbound proxy)`);
    this.name = 'UnroutableUriError';
  }
}

const PROTOCOLS: Record<string, TransportProtocol> = {
  udp: 'UDP',
  tcp: 'TCP',
  tls: 'TLS',
  sctp: 'SCTP',
  ws: 'WS',
  wss: 'WSS',
};

/**
 * The transport destination for a SIP URI: the `transport` parameter (sips upgrades tcp to
 * TLS and ws to WSS), `maddr` over the host, and the default port of the protocol.
 */
export function destinationForUri(uri: Uri, defaultProtocol: TransportProtocol = 'UDP'): Destination {
  if (!(uri instanceof SipUri)) throw new UnroutableUriError(uri.toString());
  const param = uri.transport;
  let protocol: TransportProtocol =
    param !== undefined ? (PROTOCOLS[param] ?? defaultProtocol) : defaultProtocol;
  if (uri.secure) {
    if (protocol === 'UDP' || protocol === 'TCP') protocol = 'TLS';
    else if (protocol === 'WS') protocol = 'WSS';
  }
  return {
    protocol,
    host: bareHost(uri.maddr ?? uri.host),
    port: uri.port ?? defaultPort(protocol, uri.secure),
  };
}

/**
 * §8.1.2 / §16.12: a request goes to the first Route if that route is a loose router (`lr`),
 * otherwise (no Route, or strict routing, where the route is already the Request-URI) to the
 * Request-URI.
 */
export function nextHopUri(request: SipRequest): Uri {
  const first = request.routes()[0];
  if (first && first.uri instanceof SipUri && first.uri.lr) return first.uri;
  return request.uri;
}
