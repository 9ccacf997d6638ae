// RFC 3261 §18.2.1 and RFC 3581 §4: a server records, in the top Via of a request it
// receives, where the request really came from.
import type { MessageSource } from '../core/transport.ts';
import type { SipRequest } from '../message/sip-request.ts';

/** IPv6 host as written in a Via/URI (`[2001:db8::1]`) to the bare form a socket uses. */
export function bareHost(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Bare host to the form written in a URI or Via sent-by (IPv6 in brackets, RFC 5118). */
export function uriHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * Stamps `received` and `rport` on the top Via of a received request, in place:
 * - §18.2.1: "If the host portion of the sent-by parameter contains a domain name, or if it
 *   contains an IP address that differs from the packet source address, the server MUST add a
 *   received parameter to that Via header field value."
 * - RFC 3581 §4: "If this Via header field value contains an rport parameter with no value, it
 *   MUST set the value of the parameter to the source port of the request ... the server MUST
 *   add a received parameter ... even if it's the same as the sent-by".
 * Returns true when the Via changed.
 */
export function stampReceived(request: SipRequest, source: MessageSource): boolean {
  const via = request.topVia()?.clone();
  if (via === undefined) return false;
  const remote = bareHost(source.remote.host);
  const wantsRport = via.rport === true;
  const differs = bareHost(via.host).toLowerCase() !== remote.toLowerCase();
  if (!differs && !wantsRport) return false;
  via.received = remote;
  if (wantsRport) via.rport = source.remote.port;
  request.setTopVia(via);
  return true;
}
