// Where a request inside a dialog goes: the next hop of the route set or remote target
// (§12.2.1.1), but through the peer's own connection or NAT binding when the dialog came in
// that way and no proxy is in the path — so a phone behind NAT, or a browser on WebSocket,
// can be reached by BYE and re-INVITE.
import type { Destination, TransportProtocol } from '../core/transport.ts';
import type { Dialog } from '../dialog/dialog.ts';
import type { SipRequest } from '../message/sip-request.ts';
import { isPrivateAddress } from '../nat/contact-rewrite.ts';
import { bareHost } from '../nat/received.ts';
import { destinationForUri, nextHopUri } from './next-hop.ts';

export function dialogDestination(
  dialog: Dialog,
  request: SipRequest | undefined,
  defaultProtocol: TransportProtocol = 'UDP',
): Destination {
  const first = dialog.routeSet[0];
  // Without a request: the first route (loose or strict, it is the next hop either way).
  const hop = request ? nextHopUri(request) : (first?.uri ?? dialog.remoteTarget);
  const flow = dialog.flow;
  const direct = dialog.routeSet.length === 0 && flow !== undefined;
  const target = destinationForUri(hop, direct ? flow.protocol : defaultProtocol);
  if (!direct) return target;
  const unreachable = isPrivateAddress(target.host) && bareHost(flow.remote.host) !== target.host;
  if (flow.connectionId !== undefined) {
    return {
      protocol: flow.protocol,
      host: unreachable ? bareHost(flow.remote.host) : target.host,
      port: unreachable ? flow.remote.port : target.port,
      connectionId: flow.connectionId,
    };
  }
  if (unreachable && target.protocol === flow.protocol) {
    return { protocol: flow.protocol, host: bareHost(flow.remote.host), port: flow.remote.port };
  }
  return target;
}
