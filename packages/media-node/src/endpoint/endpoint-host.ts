import { performance } from 'node:perf_hooks';
import { PortAllocator, type PortRange } from '../port/port-allocator.ts';
import { bindUdpPair, closeUdpPair } from '../relay/udp-pair.ts';
import { AppEndpoint, type EndpointContext } from './app-endpoint.ts';
import { loadSources } from './audio-source.ts';
import { ConferenceBridge } from './conference-bridge.ts';
import {
  zeroEndpointCounters,
  type BridgeMemberState,
  type EndpointConfig,
  type EndpointCounters,
  type EndpointEvent,
  type EndpointInfo,
  type EndpointOptions,
  type EndpointPlayOptions,
  type EndpointRecordOptions,
  type PlaySource,
} from './endpoint-types.ts';

export interface EndpointHostOptions {
  readonly portRange: PortRange;
  /** Address the sockets bind to. */
  readonly address: string;
  /** Address written into SDP, when it differs from the bind address. */
  readonly advertisedAddress?: string;
  readonly onEvent: (event: EndpointEvent) => void;
  /** Prefix of ids, so they stay unique across worker threads. */
  readonly idPrefix?: string;
}

const FRAME_MS = 20;
/** A tick that ran late catches up, but never with more than this many frames at once. */
const MAX_BURST = 5;

/**
 * The endpoints and bridges of one thread. One clock drives them all: every 20 ms each
 * endpoint gives up the frame its phone sent, each bridge mixes, and each endpoint sends one
 * frame — so the members of a bridge are mixed from the same instant.
 */
export class EndpointHost {
  readonly ports: PortAllocator;
  readonly #options: EndpointHostOptions;
  readonly #endpoints = new Map<string, AppEndpoint>();
  readonly #bridges = new Map<string, ConferenceBridge>();
  /** Plays still loading their audio, by endpoint: a stop or a newer play cancels them. */
  readonly #loading = new Map<string, number>();
  readonly #ctx: EndpointContext;
  readonly #timer: ReturnType<typeof setInterval>;
  readonly #startMs = performance.now();
  #frames = 0;
  #nextId = 1;

  constructor(options: EndpointHostOptions) {
    this.#options = options;
    this.ports = new PortAllocator(options.portRange);
    this.#ctx = { counters: zeroEndpointCounters(), emit: options.onEvent };
    this.#timer = setInterval(() => this.#tick(), FRAME_MS / 2);
    this.#timer.unref();
  }

  async allocate(options: EndpointOptions = {}): Promise<EndpointInfo> {
    const pair = await bindUdpPair(this.ports, this.#options.address, options.rtcpMux ?? false);
    const id = `${this.#options.idPrefix ?? ''}e${this.#nextId++}`;
    const advertised = this.#options.advertisedAddress ?? this.#options.address;
    const endpoint = new AppEndpoint(id, pair, advertised, options, performance.now(), this.#ctx);
    this.#endpoints.set(id, endpoint);
    return { id, local: endpoint.local };
  }

  configure(id: string, config: EndpointConfig): void {
    this.#get(id).configure(config, performance.now());
  }

  /** Starts playing (after loading files); the end is reported as a `played` event. */
  async play(
    id: string,
    playId: number,
    sources: readonly PlaySource[],
    options: EndpointPlayOptions,
  ): Promise<void> {
    const endpoint = this.#get(id);
    this.#cancelLoading(id);
    endpoint.stopPlayback();
    this.#loading.set(id, playId);
    let samples: Int16Array;
    try {
      samples = await loadSources(sources);
    } catch (error) {
      if (this.#loading.get(id) === playId) {
        this.#loading.delete(id);
        this.#ctx.emit({ type: 'played', endpointId: id, playId, end: 'failed' });
      }
      throw error;
    }
    if (this.#loading.get(id) !== playId) return; // stopped (and reported) meanwhile
    this.#loading.delete(id);
    endpoint.play(playId, samples, options.loop ?? false);
  }

  stopPlayback(id: string): void {
    this.#cancelLoading(id);
    this.#get(id).stopPlayback();
  }

  record(id: string, recordId: number, options: EndpointRecordOptions): void {
    this.#get(id).record(recordId, options.file, options.maxDurationMs);
  }

  stopRecording(id: string): Promise<void> {
    return this.#get(id).stopRecording('stopped');
  }

  createBridge(): string {
    const id = `${this.#options.idPrefix ?? ''}b${this.#nextId++}`;
    this.#bridges.set(id, new ConferenceBridge(id));
    return id;
  }

  join(bridgeId: string, endpointId: string, state: BridgeMemberState): void {
    this.#bridge(bridgeId).join(this.#get(endpointId), state);
  }

  updateMember(bridgeId: string, endpointId: string, state: BridgeMemberState): void {
    this.#bridge(bridgeId).update(this.#get(endpointId), state);
  }

  leave(bridgeId: string, endpointId: string): void {
    const endpoint = this.#endpoints.get(endpointId);
    if (endpoint) this.#bridges.get(bridgeId)?.leave(endpoint);
  }

  closeBridge(bridgeId: string): void {
    this.#bridges.get(bridgeId)?.close();
    this.#bridges.delete(bridgeId);
  }

  /** Closes an endpoint (leaving its bridge, ending its play and recording). Unknown ids: no-op. */
  async release(id: string): Promise<void> {
    const endpoint = this.#endpoints.get(id);
    if (!endpoint) return;
    this.#endpoints.delete(id);
    this.#cancelLoading(id);
    if (endpoint.bridgeId !== undefined) this.#bridges.get(endpoint.bridgeId)?.leave(endpoint);
    const closing = endpoint.close();
    closeUdpPair(endpoint.pair, this.ports);
    await closing;
  }

  counters(): EndpointCounters {
    return { ...this.#ctx.counters, endpoints: this.#endpoints.size, bridges: this.#bridges.size };
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    for (const id of [...this.#bridges.keys()]) this.closeBridge(id);
    await Promise.all([...this.#endpoints.keys()].map((id) => this.release(id)));
  }

  #cancelLoading(id: string): void {
    const playId = this.#loading.get(id);
    if (playId === undefined) return;
    this.#loading.delete(id);
    this.#ctx.emit({ type: 'played', endpointId: id, playId, end: 'stopped' });
  }

  #get(id: string): AppEndpoint {
    const endpoint = this.#endpoints.get(id);
    if (!endpoint) throw new Error(`no media endpoint ${id}`);
    return endpoint;
  }

  #bridge(id: string): ConferenceBridge {
    const bridge = this.#bridges.get(id);
    if (!bridge) throw new Error(`no conference bridge ${id}`);
    return bridge;
  }

  #tick(): void {
    const now = performance.now();
    const due = Math.floor((now - this.#startMs) / FRAME_MS) - this.#frames;
    if (due <= 0) return;
    for (let i = 0; i < Math.min(due, MAX_BURST); i++) {
      for (const e of this.#endpoints.values()) e.takeInput();
      for (const b of this.#bridges.values()) b.mix();
      for (const e of this.#endpoints.values()) e.sendOutput();
    }
    // Frames that could not be sent in time are skipped, not bunched up.
    this.#frames += due;
    for (const e of this.#endpoints.values()) e.checkTimeout(now);
  }
}
