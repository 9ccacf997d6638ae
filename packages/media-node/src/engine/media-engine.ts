import { Worker } from 'node:worker_threads';
import { PortAllocator, type PortRange } from '../port/port-allocator.ts';
import { RelayHost } from '../relay/relay-host.ts';
import {
  zeroCounters,
  type LegConfig,
  type LegSide,
  type LocalEndpoint,
  type MediaCounters,
  type RelayEvent,
  type RelayOptions,
  type RelayStats,
} from '../relay/relay-types.ts';
import { dispatch } from './host-dispatch.ts';
import type { HostReplies, HostRequest, WorkerInit, WorkerMessage } from './host-protocol.ts';

export interface MediaEngineOptions {
  /** Worker threads to spread relays over; 0 runs them on the calling thread. */
  readonly workers?: number;
  /** RTP port range (default 10000–20000), split evenly between workers. */
  readonly portRange?: PortRange;
  /** Address the RTP sockets bind to (default 127.0.0.1). */
  readonly address?: string;
  /** Address to put in SDP when it differs from `address` (e.g. bound to 0.0.0.0). */
  readonly advertisedAddress?: string;
  /** Sees every event of every relay (logging, metrics). */
  readonly onEvent?: (event: RelayEvent) => void;
}

/** Upward calls of one relay (STYLE.md: typed delegates, not string events). */
export interface RelayDelegate {
  /** An RFC 4733 digit finished on `leg` (each digit once). */
  onDtmf?(leg: LegSide, digit: string, durationMs: number): void;
  /** `leg` latched (or re-latched) to the address its phone really sends from. */
  onLatched?(leg: LegSide, address: string, port: number): void;
  /** `leg` should be sending but has been silent for `idleMs`: a dead call. */
  onTimeout?(leg: LegSide, idleMs: number): void;
}

/** A two-leg media anchor, wherever it runs. */
export interface Relay {
  readonly id: string;
  /** Leg a's local address and ports: what goes into the SDP sent to phone A. */
  readonly a: LocalEndpoint;
  readonly b: LocalEndpoint;
  /** Applies each side's negotiated SDP (remote address, codec, telephone-event PT, direction). */
  configure(update: { a?: LegConfig; b?: LegConfig }): Promise<void>;
  stats(): Promise<RelayStats>;
  /** Releases the sockets and ports; returns the final stats (for the CDR). Idempotent. */
  close(): Promise<RelayStats | undefined>;
}

export interface MediaEngine {
  readonly workers: number;
  createRelay(options?: RelayOptions & { delegate?: RelayDelegate }): Promise<Relay>;
  /** Counters summed over every host, for Prometheus. */
  counters(): Promise<MediaCounters>;
  close(): Promise<void>;
}

/** One place relays can live: the calling thread, or one worker. */
interface HostHandle {
  active: number;
  call<K extends HostRequest['op']>(request: Extract<HostRequest, { op: K }>): Promise<HostReplies[K]>;
  terminate(): Promise<void>;
}

function inProcessHost(options: Omit<WorkerInit, 'idPrefix'>, onEvent: (e: RelayEvent) => void): HostHandle {
  const host = new RelayHost({ ...options, idPrefix: 'm-', onEvent });
  return {
    active: 0,
    call: (request) => dispatch(host, request) as never,
    terminate: async () => host.close(),
  };
}

async function workerHost(init: WorkerInit, onEvent: (e: RelayEvent) => void): Promise<HostHandle> {
  const worker = new Worker(new URL('./worker-bootstrap.mjs', import.meta.url), { workerData: init });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let failure: Error | undefined;
  const failAll = (err: Error): void => {
    failure = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'ready') resolve();
      else if (message.kind === 'event') onEvent(message.event);
      else {
        const p = pending.get(message.id);
        pending.delete(message.id);
        if (message.ok) p?.resolve(message.result);
        else p?.reject(new Error(message.error));
      }
    });
    worker.once('error', (err) => {
      failAll(err);
      reject(err);
    });
    worker.once('exit', (code) => failAll(new Error(`media worker exited with code ${code}`)));
  });
  return {
    active: 0,
    call: (request) => {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        worker.postMessage({ id, request });
      });
    },
    terminate: async () => {
      if (!failure)
        await new Promise<unknown>((resolve) => {
          const id = nextId++;
          pending.set(id, { resolve, reject: resolve });
          worker.postMessage({ id, request: { op: 'shutdown' } });
        });
      await worker.terminate();
    },
  };
}

/**
 * Starts the media engine. With `workers: 0` relays run on the calling thread; with N they are
 * spread over N worker threads (each with its own slice of the port range), the least busy
 * first. A relay's two legs always live on the same thread.
 */
export async function createMediaEngine(options: MediaEngineOptions = {}): Promise<MediaEngine> {
  const workers = options.workers ?? 0;
  const portRange = options.portRange ?? { min: 10000, max: 20000 };
  const address = options.address ?? '127.0.0.1';
  const delegates = new Map<string, RelayDelegate>();
  const onEvent = (event: RelayEvent): void => {
    options.onEvent?.(event);
    const d = delegates.get(event.relayId);
    if (!d) return;
    if (event.type === 'dtmf') d.onDtmf?.(event.leg, event.digit, event.durationMs);
    else if (event.type === 'latched') d.onLatched?.(event.leg, event.address, event.port);
    else d.onTimeout?.(event.leg, event.idleMs);
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

  return {
    workers,
    async createRelay(relayOptions = {}) {
      const { delegate, ...rest } = relayOptions;
      const host = hosts.reduce((best, h) => (h.active < best.active ? h : best));
      host.active++;
      let info;
      try {
        info = await host.call({ op: 'create', options: rest });
      } catch (err) {
        host.active--;
        throw err;
      }
      if (delegate) delegates.set(info.id, delegate);
      let closed: Promise<RelayStats | undefined> | undefined;
      return {
        id: info.id,
        a: info.a,
        b: info.b,
        configure: (update) => host.call({ op: 'configure', relayId: info.id, update }),
        stats: () => host.call({ op: 'stats', relayId: info.id }),
        close: () =>
          (closed ??= host.call({ op: 'close', relayId: info.id }).finally(() => {
            host.active--;
            delegates.delete(info.id);
          })),
      };
    },
    async counters() {
      const all = await Promise.all(hosts.map((h) => h.call({ op: 'counters' })));
      const sum = zeroCounters();
      for (const c of all) for (const k of Object.keys(sum) as (keyof MediaCounters)[]) sum[k] += c[k];
      return sum;
    },
    async close() {
      await Promise.all(hosts.map((h) => h.terminate()));
      delegates.clear();
    },
  };
}
