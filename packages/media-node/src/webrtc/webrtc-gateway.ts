// The WebRTC gateway: browser legs (ICE-lite, DTLS-SRTP) bridged to plain RTP, on the calling
// thread or spread over worker threads, each thread one WebRtcHost reached through
// worker/worker-rpc.ts.
import { PortAllocator, type PortRange } from '../port/port-allocator.ts';
import { inProcessRpc, startWorkerRpc, type RpcChannel } from '../worker/worker-rpc.ts';
import { createDtlsCertificate, type DtlsCertificate } from './dtls-session.ts';
import type { SrtpProfile } from './srtp-keys.ts';
import { WebRtcHost } from './webrtc-host.ts';
import {
  dispatchWebRtc,
  type WebRtcReplies,
  type WebRtcRequest,
  type WebRtcWorkerInit,
} from './webrtc-protocol.ts';
import {
  zeroWebRtcCounters,
  type PlainRtpTarget,
  type WebRtcCounters,
  type WebRtcEndpointInfo,
  type WebRtcEndpointOptions,
  type WebRtcEvent,
  type WebRtcLocalDescription,
  type WebRtcRemoteDescription,
  type WebRtcStats,
} from './webrtc-types.ts';

export interface WebRtcGatewayOptions {
  /**
   * Worker threads to spread endpoints over; 0 runs them on the calling thread. SRTP costs
   * CPU per packet: one thread carries a few hundred browser legs (see docs/benchmarks.md).
   */
  readonly workers?: number;
  /** Ports of the browser-facing sockets, one per endpoint, split evenly between workers. */
  readonly portRange?: PortRange;
  /** Address the browser-facing sockets bind to (default 127.0.0.1). */
  readonly address?: string;
  /** Host candidate addresses (default: the bind address, or every IPv4 address on 0.0.0.0). */
  readonly candidateAddresses?: readonly string[];
  /** Where the relay legs listen, reachable from here (default 127.0.0.1). */
  readonly relayAddress?: string;
  /** The DTLS certificate; one is generated when absent. */
  readonly certificate?: DtlsCertificate;
  /** Sees every event of every endpoint (logging, metrics). */
  readonly onEvent?: (event: WebRtcEvent) => void;
}

/** Upward calls of one endpoint (typed delegates, STYLE.md). */
export interface WebRtcEndpointDelegate {
  /** DTLS finished and the browser's certificate matched its SDP: media flows. */
  onConnected?(profile: SrtpProfile): void;
  /** The browser ended DTLS (close_notify on hang-up), or the handshake or its check failed. */
  onClosed?(reason: string): void;
  /** No consent checks and no media for the inactivity timeout: the browser is gone. */
  onTimeout?(idleMs: number): void;
}

/** One browser leg as its owner sees it. */
export interface WebRtcLeg {
  readonly id: string;
  /** Our ICE/DTLS parameters for the SDP sent to the browser. */
  readonly local: WebRtcLocalDescription;
  /** Our plain socket: the relay leg's remote address (RTP and RTCP both go here). */
  readonly plain: { readonly address: string; readonly port: number };
  /** Applies the browser's SDP (credentials, fingerprints, DTLS role). */
  setRemote(remote: WebRtcRemoteDescription): Promise<void>;
  /**
   * Sends the browser's media to another plain RTP target from now on (and takes media only from
   * there): a B2BUA moving the browser to another relay leg or a conference endpoint without
   * touching its ICE/DTLS session, so no re-INVITE is needed for the transport.
   */
  setMedia(media: PlainRtpTarget): Promise<void>;
  stats(): Promise<WebRtcStats>;
  /** Closes the sockets; resolves to the final stats. Idempotent. */
  close(): Promise<WebRtcStats | undefined>;
}

export interface WebRtcGateway {
  readonly workers: number;
  readonly fingerprint: DtlsCertificate['fingerprint'];
  createEndpoint(options: WebRtcEndpointOptions & { delegate?: WebRtcEndpointDelegate }): Promise<WebRtcLeg>;
  /** Counters summed over every thread, for Prometheus. */
  counters(): Promise<WebRtcCounters>;
  close(): Promise<void>;
}

/** One place endpoints can live: the calling thread, or one worker (worker/worker-rpc.ts). */
type HostHandle = RpcChannel<WebRtcRequest, WebRtcReplies> & { active: number };

function inProcessHost(init: WebRtcWorkerInit, onEvent: (e: WebRtcEvent) => void): HostHandle {
  const host = new WebRtcHost({ ...init, onEvent });
  return {
    active: 0,
    ...inProcessRpc<WebRtcRequest, WebRtcReplies>(
      (request) => dispatchWebRtc(host, request),
      () => host.close(),
    ),
  };
}

async function workerHost(init: WebRtcWorkerInit, onEvent: (e: WebRtcEvent) => void): Promise<HostHandle> {
  const rpc = await startWorkerRpc<WebRtcRequest, WebRtcReplies, WebRtcEvent>(
    new URL('./webrtc-worker-bootstrap.mjs', import.meta.url),
    { name: 'WebRTC worker', workerData: init, onEvent },
  );
  return { active: 0, ...rpc };
}

/**
 * Starts the WebRTC gateway: browser legs (ICE-lite, DTLS-SRTP) bridged to plain RTP legs.
 * With `workers: 0` endpoints run on the calling thread; with N they are spread over N worker
 * threads (each with its own slice of the port range), the least busy first.
 */
export async function createWebRtcGateway(options: WebRtcGatewayOptions = {}): Promise<WebRtcGateway> {
  const workers = options.workers ?? 0;
  const portRange = options.portRange ?? { min: 20000, max: 20999 };
  const certificate = options.certificate ?? (await createDtlsCertificate());
  const delegates = new Map<string, WebRtcEndpointDelegate>();
  const onEvent = (event: WebRtcEvent): void => {
    options.onEvent?.(event);
    const d = delegates.get(event.endpointId);
    if (!d) return;
    if (event.type === 'connected') d.onConnected?.(event.profile);
    else if (event.type === 'closed') d.onClosed?.(event.reason);
    else d.onTimeout?.(event.idleMs);
  };
  const base = {
    address: options.address ?? '127.0.0.1',
    ...(options.candidateAddresses ? { candidateAddresses: options.candidateAddresses } : {}),
    ...(options.relayAddress ? { relayAddress: options.relayAddress } : {}),
    certificate,
  };
  // Worker threads start with the first endpoint: a server that never sees a browser pays nothing.
  let started: Promise<HostHandle[]> | undefined;
  const hosts = (): Promise<HostHandle[]> =>
    (started ??=
      workers === 0
        ? Promise.resolve([inProcessHost({ ...base, portRange, idPrefix: 'r-' }, onEvent)])
        : Promise.all(
            PortAllocator.split(portRange, workers).map((range, i) =>
              workerHost({ ...base, portRange: range, idPrefix: `rw${i}-` }, onEvent),
            ),
          ));

  return {
    workers,
    fingerprint: certificate.fingerprint,
    async createEndpoint({ delegate, ...endpointOptions }) {
      const host = (await hosts()).reduce((best, h) => (h.active < best.active ? h : best));
      host.active++;
      let info: WebRtcEndpointInfo;
      try {
        info = await host.call({ op: 'create', options: endpointOptions });
      } catch (err) {
        host.active--;
        throw err;
      }
      if (delegate) delegates.set(info.id, delegate);
      let closed: Promise<WebRtcStats | undefined> | undefined;
      return {
        id: info.id,
        local: info.local,
        plain: info.plain,
        setRemote: (remote) => host.call({ op: 'setRemote', id: info.id, remote }),
        setMedia: (media) => host.call({ op: 'setMedia', id: info.id, media }),
        stats: () => host.call({ op: 'stats', id: info.id }),
        close: () =>
          (closed ??= host.call({ op: 'close', id: info.id }).finally(() => {
            host.active--;
            delegates.delete(info.id);
          })),
      };
    },
    async counters() {
      const all = started ? await Promise.all((await started).map((h) => h.call({ op: 'counters' }))) : [];
      const sum = zeroWebRtcCounters();
      for (const c of all) for (const k of Object.keys(sum) as (keyof WebRtcCounters)[]) sum[k] += c[k];
      return sum;
    },
    async close() {
      const running = started ? await started.catch(() => []) : [];
      await Promise.all(running.map((h) => h.close()));
      delegates.clear();
    },
  };
}
