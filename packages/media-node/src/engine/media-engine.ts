// The media engine: anchored RTP legs and two-leg relays on the calling thread or spread over
// worker threads, each thread one RelayHost reached through worker/worker-rpc.ts.
import { PortAllocator, type PortRange } from '../port/port-allocator.ts';
import type { PlaybackAudio, PlayOptions } from '../relay/leg-player.ts';
import type { RelayRecordingOptions, RelayRecordingResult } from '../recording/relay-recorder.ts';
import { RelayHost } from '../relay/relay-host.ts';
import {
  zeroCounters,
  type LegConfig,
  type LegEvent,
  type LegInfo,
  type LegOptions,
  type LegSide,
  type LegStats,
  type LocalEndpoint,
  type MediaCounters,
  type RelayOptions,
  type RelayStats,
} from '../relay/relay-types.ts';
import { inProcessRpc, startWorkerRpc, type RpcChannel } from '../worker/worker-rpc.ts';
import { dispatch } from './host-dispatch.ts';
import type { HostReplies, HostRequest, WorkerInit } from './host-protocol.ts';

export interface MediaEngineOptions {
  /** Worker threads to spread legs over; 0 runs them on the calling thread. */
  readonly workers?: number;
  /** RTP port range (default 10000–20000), split evenly between workers. */
  readonly portRange?: PortRange;
  /** Address the RTP sockets bind to (default 127.0.0.1). */
  readonly address?: string;
  /** Address to put in SDP when it differs from `address` (e.g. bound to 0.0.0.0). */
  readonly advertisedAddress?: string;
  /** Sees every event of every leg (logging, metrics). */
  readonly onEvent?: (event: LegEvent) => void;
}

/** Upward calls of one leg (STYLE.md: typed delegates, not string events). */
export interface LegDelegate {
  /** An RFC 4733 digit from this leg's phone finished (each digit once). */
  onDtmf?(digit: string, durationMs: number): void;
  /** The leg latched (or re-latched) to the address its phone really sends from. */
  onLatched?(address: string, port: number): void;
  /** The phone should be sending but has been silent for `idleMs`: a dead call. */
  onTimeout?(idleMs: number): void;
}

/** One media leg: the RTP/RTCP ports one phone talks to. */
export interface MediaLeg {
  readonly id: string;
  /** What goes into the SDP sent to this leg's phone (c= address, m= port, a=rtcp). */
  readonly local: LocalEndpoint;
  /** Applies the phone's negotiated SDP: remote address, codec, telephone-event PT, direction. */
  configure(config: LegConfig): Promise<void>;
  /** Plays 8 kHz audio to this leg's phone instead of its peer's media (music on hold…). */
  play(audio: PlaybackAudio, options?: PlayOptions): Promise<void>;
  /** Stops playing: the phone hears its peer again. */
  stopPlayback(): Promise<void>;
  stats(): Promise<LegStats>;
  /** Closes the sockets and returns the ports; resolves to the final stats. Idempotent. */
  release(): Promise<LegStats | undefined>;
}

export type AllocateLegOptions = Omit<LegOptions, 'near'> & {
  /** Put the leg on the same thread as this one, so the two can be connected. */
  readonly near?: MediaLeg;
  readonly delegate?: LegDelegate;
};

/** Upward calls of a two-leg relay, naming the side. */
export interface RelayDelegate {
  onDtmf?(leg: LegSide, digit: string, durationMs: number): void;
  onLatched?(leg: LegSide, address: string, port: number): void;
  onTimeout?(leg: LegSide, idleMs: number): void;
}

/** Two connected legs: the B2BUA's media anchor for one call. */
export interface Relay {
  readonly id: string;
  /** Leg a's local endpoint: what goes into the SDP sent to phone A. */
  readonly a: LocalEndpoint;
  readonly b: LocalEndpoint;
  readonly legs: { readonly a: MediaLeg; readonly b: MediaLeg };
  configure(update: { a?: LegConfig; b?: LegConfig }): Promise<void>;
  /** Plays audio into one leg (its phone hears it instead of the other phone). */
  play(side: LegSide, audio: PlaybackAudio, options?: PlayOptions): Promise<void>;
  stopPlayback(side: LegSide): Promise<void>;
  /** Records both phones into a WAV file (recording/relay-recorder.ts) until stopped or closed. */
  record(options: RelayRecordingOptions): Promise<void>;
  /** Stops recording; resolves once the file is complete (undefined when not recording). */
  stopRecording(): Promise<RelayRecordingResult | undefined>;
  stats(): Promise<RelayStats>;
  /** Releases both legs; returns their final stats (for the CDR). Idempotent. */
  close(): Promise<RelayStats | undefined>;
}

export interface MediaEngine {
  readonly workers: number;
  allocateLeg(options?: AllocateLegOptions): Promise<MediaLeg>;
  /** Connects two legs (allocated `near` each other): each phone hears the other. */
  connect(a: MediaLeg, b: MediaLeg): Promise<void>;
  disconnect(leg: MediaLeg): Promise<void>;
  /** Allocates two legs on one thread, connects them, and applies their SDP. */
  createRelay(options?: RelayOptions & { delegate?: RelayDelegate }): Promise<Relay>;
  /** Counters summed over every thread, for Prometheus. */
  counters(): Promise<MediaCounters>;
  close(): Promise<void>;
}

/** One place legs can live: the calling thread, or one worker (worker/worker-rpc.ts). */
type HostHandle = RpcChannel<HostRequest, HostReplies> & { active: number };

function inProcessHost(options: Omit<WorkerInit, 'idPrefix'>, onEvent: (e: LegEvent) => void): HostHandle {
  const host = new RelayHost({ ...options, idPrefix: 'm-', onEvent });
  return {
    active: 0,
    ...inProcessRpc<HostRequest, HostReplies>(
      (request) => dispatch(host, request),
      () => host.close(),
    ),
  };
}

async function workerHost(init: WorkerInit, onEvent: (e: LegEvent) => void): Promise<HostHandle> {
  const rpc = await startWorkerRpc<HostRequest, HostReplies, LegEvent>(
    new URL('./worker-bootstrap.mjs', import.meta.url),
    { name: 'media worker', workerData: init, onEvent },
  );
  return { active: 0, ...rpc };
}

/**
 * Starts the media engine. With `workers: 0` legs run on the calling thread; with N they are
 * spread over N worker threads (each with its own slice of the port range), the least busy
 * first. Connected legs live on the same thread: allocate the second `near` the first.
 */
export async function createMediaEngine(options: MediaEngineOptions = {}): Promise<MediaEngine> {
  const workers = options.workers ?? 0;
  const portRange = options.portRange ?? { min: 10000, max: 20000 };
  const address = options.address ?? '127.0.0.1';
  const delegates = new Map<string, LegDelegate>();
  const hostOf = new Map<string, HostHandle>();
  const onEvent = (event: LegEvent): void => {
    options.onEvent?.(event);
    const d = delegates.get(event.legId);
    if (!d) return;
    if (event.type === 'dtmf') d.onDtmf?.(event.digit, event.durationMs);
    else if (event.type === 'latched') d.onLatched?.(event.address, event.port);
    else d.onTimeout?.(event.idleMs);
  };
  const base = { address, advertisedAddress: options.advertisedAddress };
  const hosts: HostHandle[] =
    workers === 0
      ? [inProcessHost({ ...base, portRange }, onEvent)]
      : await Promise.all(
          PortAllocator.split(portRange, workers).map((range, i) =>
            workerHost({ ...base, portRange: range, idPrefix: `w${i}-` }, onEvent),
          ),
        );
  const hostFor = (leg: MediaLeg): HostHandle => {
    const host = hostOf.get(leg.id);
    if (!host) throw new Error(`media leg ${leg.id} is released or unknown`);
    return host;
  };

  const allocateLeg = async (legOptions: AllocateLegOptions = {}): Promise<MediaLeg> => {
    const { delegate, near, ...rest } = legOptions;
    const host = near ? hostFor(near) : hosts.reduce((best, h) => (h.active < best.active ? h : best));
    host.active++;
    let info: LegInfo;
    try {
      info = await host.call({ op: 'allocate', options: rest });
    } catch (err) {
      host.active--;
      throw err;
    }
    hostOf.set(info.id, host);
    if (delegate) delegates.set(info.id, delegate);
    let released: Promise<LegStats | undefined> | undefined;
    return {
      id: info.id,
      local: info.local,
      configure: (config) => host.call({ op: 'configure', legId: info.id, config }),
      play: (audio, playOptions = {}) =>
        host.call({ op: 'play', legId: info.id, audio, options: playOptions }),
      stopPlayback: () => host.call({ op: 'stop-playback', legId: info.id }),
      stats: () => host.call({ op: 'stats', legId: info.id }),
      release: () =>
        (released ??= host.call({ op: 'release', legId: info.id }).finally(() => {
          host.active--;
          hostOf.delete(info.id);
          delegates.delete(info.id);
        })),
    };
  };

  const connect = async (a: MediaLeg, b: MediaLeg): Promise<void> => {
    const host = hostFor(a);
    if (hostFor(b) !== host) throw new Error(`media legs ${a.id} and ${b.id} live on different threads`);
    await host.call({ op: 'connect', legId: a.id, peerId: b.id });
  };

  return {
    workers,
    allocateLeg,
    connect,
    disconnect: (leg) => hostFor(leg).call({ op: 'disconnect', legId: leg.id }),
    async createRelay(relayOptions = {}) {
      const { delegate, a: aConfig, b: bConfig, ...legOptions } = relayOptions;
      const sideDelegate = (side: LegSide): LegDelegate | undefined =>
        delegate && {
          onDtmf: (digit, durationMs) => delegate.onDtmf?.(side, digit, durationMs),
          onLatched: (addr, port) => delegate.onLatched?.(side, addr, port),
          onTimeout: (idleMs) => delegate.onTimeout?.(side, idleMs),
        };
      const a = await allocateLeg({ ...legOptions, delegate: sideDelegate('a') });
      let b: MediaLeg;
      try {
        b = await allocateLeg({ ...legOptions, near: a, delegate: sideDelegate('b') });
      } catch (err) {
        await a.release();
        throw err;
      }
      await connect(a, b);
      if (aConfig) await a.configure(aConfig);
      if (bConfig) await b.configure(bConfig);
      let closed: Promise<RelayStats | undefined> | undefined;
      return {
        id: `${a.id}+${b.id}`,
        a: a.local,
        b: b.local,
        legs: { a, b },
        async configure(update) {
          if (update.a) await a.configure(update.a);
          if (update.b) await b.configure(update.b);
        },
        play: (side, audio, playOptions) => (side === 'a' ? a : b).play(audio, playOptions),
        stopPlayback: (side) => (side === 'a' ? a : b).stopPlayback(),
        record: (recording) =>
          hostFor(a).call({ op: 'record', legId: a.id, peerId: b.id, options: recording }),
        stopRecording: () => hostFor(a).call({ op: 'stop-recording', legId: a.id }),
        stats: async () => ({ a: await a.stats(), b: await b.stats() }),
        close: () =>
          (closed ??= Promise.all([a.release(), b.release()]).then(([sa, sb]) =>
            sa && sb ? { a: sa, b: sb } : undefined,
          )),
      };
    },
    async counters() {
      const all = await Promise.all(hosts.map((h) => h.call({ op: 'counters' })));
      const sum = zeroCounters();
      for (const c of all) for (const k of Object.keys(sum) as (keyof MediaCounters)[]) sum[k] += c[k];
      return sum;
    },
    async close() {
      await Promise.all(hosts.map((h) => h.close()));
      delegates.clear();
      hostOf.clear();
    },
  };
}
