// The endpoint engine: RTP endpoints the PBX answers itself (voicemail, conferences, prompts)
// on the calling thread or spread over worker threads, each thread one EndpointHost reached
// through worker/worker-rpc.ts.
import { PortAllocator, type PortRange } from '../port/port-allocator.ts';
import { inProcessRpc, startWorkerRpc, type RpcChannel } from '../worker/worker-rpc.ts';
import { dispatchEndpoint } from './endpoint-dispatch.ts';
import { EndpointHost } from './endpoint-host.ts';
import type { EndpointReplies, EndpointRequest, EndpointWorkerInit } from './endpoint-protocol.ts';
import {
  zeroEndpointCounters,
  type BridgeMemberState,
  type EndpointConfig,
  type EndpointCounters,
  type EndpointEvent,
  type EndpointPlayOptions,
  type EndpointRecordOptions,
  type LocalEndpoint,
  type PlaybackEnd,
  type PlaySource,
  type RecordingEnd,
} from './endpoint-types.ts';

export interface EndpointEngineOptions {
  /** Worker threads; 0 runs endpoints on the calling thread. Default 1. */
  readonly workers?: number;
  readonly portRange: PortRange;
  /** Address the RTP sockets bind to (default 127.0.0.1). */
  readonly address?: string;
  /** Address to put in SDP when it differs from `address`. */
  readonly advertisedAddress?: string;
  /** Sees every event (logging). */
  readonly onEvent?: (event: EndpointEvent) => void;
}

/** Upward calls of one endpoint (typed delegates, STYLE.md). */
export interface EndpointDelegate {
  /** An RFC 4733 digit from the phone (each digit once). */
  onDtmf?(digit: string, durationMs: number): void;
  /** The phone should be sending but has been silent for `idleMs`. */
  onTimeout?(idleMs: number): void;
}

export interface RecordingOutcome {
  readonly end: RecordingEnd;
  readonly durationMs: number;
  readonly error?: string;
}

/** An endpoint: the RTP side of a call the PBX answers itself. */
export interface MediaEndpoint {
  readonly id: string;
  /** What goes into the SDP sent to the phone. */
  readonly local: LocalEndpoint;
  configure(config: EndpointConfig): Promise<void>;
  /** Plays the sources one after another; resolves when they end (or are stopped, or fail to load). */
  play(sources: readonly PlaySource[], options?: EndpointPlayOptions): Promise<PlaybackEnd>;
  stopPlayback(): Promise<void>;
  /** Records what the phone says; resolves when the recording ends (stopped, max length, closed). */
  record(options: EndpointRecordOptions): Promise<RecordingOutcome>;
  stopRecording(): Promise<void>;
  /** Closes the sockets: plays stop, a recording ends as `closed`. Idempotent. */
  release(): Promise<void>;
}

/** A mixing bridge; its members must be allocated `near` it. */
export interface ConferenceBridgeHandle {
  readonly id: string;
  join(endpoint: MediaEndpoint, state?: BridgeMemberState): Promise<void>;
  update(endpoint: MediaEndpoint, state: BridgeMemberState): Promise<void>;
  leave(endpoint: MediaEndpoint): Promise<void>;
  /** Every member leaves (their endpoints stay open). Idempotent. */
  close(): Promise<void>;
}

export interface AllocateEndpointOptions {
  readonly inactivityTimeoutMs?: number;
  readonly rtcpMux?: boolean;
  /** Put the endpoint on this bridge's thread, so it can join it. */
  readonly near?: ConferenceBridgeHandle;
  readonly delegate?: EndpointDelegate;
}

export interface EndpointEngine {
  readonly workers: number;
  allocate(options?: AllocateEndpointOptions): Promise<MediaEndpoint>;
  createBridge(): Promise<ConferenceBridgeHandle>;
  counters(): Promise<EndpointCounters>;
  close(): Promise<void>;
}

/** One place endpoints can live: the calling thread, or one worker (worker/worker-rpc.ts). */
type HostHandle = RpcChannel<EndpointRequest, EndpointReplies> & { active: number };

function inProcessHost(init: EndpointWorkerInit, onEvent: (e: EndpointEvent) => void): HostHandle {
  const host = new EndpointHost({ ...init, onEvent });
  return {
    active: 0,
    ...inProcessRpc<EndpointRequest, EndpointReplies>(
      (request) => dispatchEndpoint(host, request),
      () => host.close(),
    ),
  };
}

async function workerHost(
  init: EndpointWorkerInit,
  onEvent: (e: EndpointEvent) => void,
): Promise<HostHandle> {
  const rpc = await startWorkerRpc<EndpointRequest, EndpointReplies, EndpointEvent>(
    new URL('./endpoint-worker-bootstrap.mjs', import.meta.url),
    { name: 'endpoint worker', workerData: init, onEvent },
  );
  return { active: 0, ...rpc };
}

/**
 * Starts the endpoint engine: media endpoints (voicemail, conferences, prompts) on worker
 * threads (or the calling thread), each with its own slice of `portRange`. Endpoints go to the
 * least busy thread; members of a bridge go to the bridge's thread (`near`).
 */
export async function createEndpointEngine(options: EndpointEngineOptions): Promise<EndpointEngine> {
  const workers = options.workers ?? 1;
  const address = options.address ?? '127.0.0.1';
  const base = {
    address,
    ...(options.advertisedAddress !== undefined && { advertisedAddress: options.advertisedAddress }),
  };
  const delegates = new Map<string, EndpointDelegate>();
  const plays = new Map<string, (end: PlaybackEnd) => void>();
  const recordings = new Map<string, (outcome: RecordingOutcome) => void>();
  const onEvent = (event: EndpointEvent): void => {
    options.onEvent?.(event);
    switch (event.type) {
      case 'dtmf':
        delegates.get(event.endpointId)?.onDtmf?.(event.digit, event.durationMs);
        return;
      case 'timeout':
        delegates.get(event.endpointId)?.onTimeout?.(event.idleMs);
        return;
      case 'played': {
        const key = `${event.endpointId}/${event.playId}`;
        plays.get(key)?.(event.end);
        plays.delete(key);
        return;
      }
      case 'recorded': {
        const key = `${event.endpointId}/${event.recordId}`;
        recordings.get(key)?.({
          end: event.end,
          durationMs: event.durationMs,
          ...(event.error !== undefined && { error: event.error }),
        });
        recordings.delete(key);
        return;
      }
    }
  };
  const hosts: HostHandle[] =
    workers === 0
      ? [inProcessHost({ ...base, portRange: options.portRange, idPrefix: 'p-' }, onEvent)]
      : await Promise.all(
          PortAllocator.split(options.portRange, workers).map((range, i) =>
            workerHost({ ...base, portRange: range, idPrefix: `x${i}-` }, onEvent),
          ),
        );
  const bridgeHosts = new Map<string, HostHandle>();
  let nextPlay = 1;
  let nextRecording = 1;

  const allocate = async (allocateOptions: AllocateEndpointOptions = {}): Promise<MediaEndpoint> => {
    const { near, delegate, ...rest } = allocateOptions;
    const nearHost = near && bridgeHosts.get(near.id);
    if (near && !nearHost) throw new Error(`conference bridge ${near.id} is closed`);
    const host = nearHost ?? hosts.reduce((best, h) => (h.active < best.active ? h : best));
    host.active++;
    let info: EndpointReplies['allocate'];
    try {
      info = await host.call({ op: 'allocate', options: rest });
    } catch (err) {
      host.active--;
      throw err;
    }
    const id = info.id;
    if (delegate) delegates.set(id, delegate);
    let released: Promise<void> | undefined;
    return {
      id,
      local: info.local,
      configure: (config) => host.call({ op: 'configure', id, config }),
      play: (sources, playOptions = {}) => {
        const playId = nextPlay++;
        const ended = new Promise<PlaybackEnd>((resolve) => plays.set(`${id}/${playId}`, resolve));
        void host.call({ op: 'play', id, playId, sources, options: playOptions }).catch(() => {
          plays.get(`${id}/${playId}`)?.('failed');
          plays.delete(`${id}/${playId}`);
        });
        return ended;
      },
      stopPlayback: () => host.call({ op: 'stop-playback', id }),
      record: (recordOptions) => {
        const recordId = nextRecording++;
        const ended = new Promise<RecordingOutcome>((resolve) =>
          recordings.set(`${id}/${recordId}`, resolve),
        );
        void host.call({ op: 'record', id, recordId, options: recordOptions }).catch((err: unknown) => {
          recordings.get(`${id}/${recordId}`)?.({ end: 'failed', durationMs: 0, error: String(err) });
          recordings.delete(`${id}/${recordId}`);
        });
        return ended;
      },
      stopRecording: () => host.call({ op: 'stop-recording', id }),
      release: () =>
        (released ??= host
          .call({ op: 'release', id })
          .catch(() => undefined)
          .finally(() => {
            host.active--;
            delegates.delete(id);
          })),
    };
  };

  return {
    workers,
    allocate,
    async createBridge() {
      const host = hosts.reduce((best, h) => (h.active < best.active ? h : best));
      const id = await host.call({ op: 'create-bridge' });
      bridgeHosts.set(id, host);
      let closed: Promise<void> | undefined;
      return {
        id,
        join: (endpoint, state = {}) => host.call({ op: 'join', bridgeId: id, id: endpoint.id, state }),
        update: (endpoint, state) => host.call({ op: 'update-member', bridgeId: id, id: endpoint.id, state }),
        leave: (endpoint) => host.call({ op: 'leave', bridgeId: id, id: endpoint.id }),
        close: () =>
          (closed ??= host
            .call({ op: 'close-bridge', bridgeId: id })
            .catch(() => undefined)
            .finally(() => bridgeHosts.delete(id))),
      };
    },
    async counters() {
      const all = await Promise.all(hosts.map((h) => h.call({ op: 'counters' })));
      const sum = zeroEndpointCounters();
      for (const c of all) for (const k of Object.keys(sum) as (keyof EndpointCounters)[]) sum[k] += c[k];
      return sum;
    },
    async close() {
      await Promise.all(hosts.map((h) => h.close().catch(() => undefined)));
      for (const resolve of plays.values()) resolve('stopped');
      for (const resolve of recordings.values()) resolve({ end: 'closed', durationMs: 0 });
      plays.clear();
      recordings.clear();
      delegates.clear();
      bridgeHosts.clear();
    },
  };
}
