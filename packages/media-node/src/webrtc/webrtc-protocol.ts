// The WebRTC gateway's protocol with its hosts (worker/worker-rpc.ts carries it to a worker),
// and the one switch that runs a request against a host.
import type { PortRange } from '../port/port-allocator.ts';
import type { DtlsCertificate } from './dtls-session.ts';
import type { WebRtcHost } from './webrtc-host.ts';
import type {
  WebRtcCounters,
  WebRtcEndpointInfo,
  WebRtcEndpointOptions,
  WebRtcRemoteDescription,
  PlainRtpTarget,
  WebRtcStats,
} from './webrtc-types.ts';

/** Requests the gateway makes of a WebRTC host, in-process or across a worker boundary. */
export type WebRtcRequest =
  | { readonly op: 'create'; readonly options: WebRtcEndpointOptions }
  | { readonly op: 'setRemote'; readonly id: string; readonly remote: WebRtcRemoteDescription }
  | { readonly op: 'setMedia'; readonly id: string; readonly media: PlainRtpTarget }
  | { readonly op: 'stats'; readonly id: string }
  | { readonly op: 'close'; readonly id: string }
  | { readonly op: 'counters' }
  | { readonly op: 'shutdown' };

export interface WebRtcReplies {
  create: WebRtcEndpointInfo;
  setRemote: undefined;
  setMedia: undefined;
  stats: WebRtcStats;
  close: WebRtcStats | undefined;
  counters: WebRtcCounters;
  shutdown: undefined;
}

/** What a WebRTC worker starts from (its `workerData`). */
export interface WebRtcWorkerInit {
  readonly portRange: PortRange;
  readonly address: string;
  readonly candidateAddresses?: readonly string[];
  readonly relayAddress?: string;
  readonly certificate: DtlsCertificate;
  readonly idPrefix: string;
}

/** Runs one request against a host: the single switch both gateway modes share. */
export async function dispatchWebRtc(host: WebRtcHost, request: WebRtcRequest): Promise<unknown> {
  switch (request.op) {
    case 'create':
      return host.createEndpoint(request.options);
    case 'setRemote':
      return host.setRemote(request.id, request.remote);
    case 'setMedia':
      return host.setMedia(request.id, request.media);
    case 'stats':
      return host.stats(request.id);
    case 'close':
      return host.closeEndpoint(request.id);
    case 'counters':
      return host.counters();
    case 'shutdown':
      return host.close();
    default: {
      const never: never = request;
      throw new Error(`unknown request ${JSON.stringify(never)}`);
    }
  }
}
