import { performance } from 'node:perf_hooks';
import { PortAllocator, type PortRange } from '../port/port-allocator.ts';
import { refreshConversion, tickLeg, unwireLeg, wireLeg, type PathContext } from './media-path.ts';
import { startPlayback, stopPlayback, type PlaybackAudio, type PlayOptions } from './leg-player.ts';
import { RelayLeg } from './relay-leg.ts';
import {
  RelayRecorder,
  type RelayRecordingOptions,
  type RelayRecordingResult,
} from '../recording/relay-recorder.ts';
import {
  zeroCounters,
  type LegConfig,
  type LegEvent,
  type LegInfo,
  type LegOptions,
  type LegStats,
  type MediaCounters,
} from './relay-types.ts';
import { bindUdpPair, closeUdpPair } from './udp-pair.ts';

export interface RelayHostOptions {
  readonly portRange: PortRange;
  /** Address the sockets bind to. */
  readonly address: string;
  /** Address written into SDP, when it differs from the bind address (0.0.0.0, NAT). */
  readonly advertisedAddress?: string;
  /** Receives every leg's events. */
  readonly onEvent: (event: LegEvent) => void;
  /** Prefix of leg ids, so ids stay unique across worker threads. */
  readonly idPrefix?: string;
}

/**
 * The media legs of one thread: binds their sockets from its port range, connects them in
 * pairs, forwards their events, runs their periodic duties, and keeps the thread's counters.
 * The media engine runs one host in-process or one per worker thread.
 */
export class RelayHost {
  readonly ports: PortAllocator;
  readonly #options: RelayHostOptions;
  readonly #legs = new Map<string, RelayLeg>();
  readonly #ctx: PathContext;
  readonly #timer: ReturnType<typeof setInterval>;
  #closedLost = 0;
  #nextId = 1;

  constructor(options: RelayHostOptions) {
    this.#options = options;
    this.ports = new PortAllocator(options.portRange);
    this.#ctx = { counters: zeroCounters(), emit: options.onEvent };
    this.#timer = setInterval(() => this.#tick(), 250);
    this.#timer.unref();
  }

  /** Binds a leg's sockets; its local endpoint goes into the SDP the phone receives. */
  async allocateLeg(options: LegOptions = {}): Promise<LegInfo> {
    const pair = await bindUdpPair(this.ports, this.#options.address, options.rtcpMux ?? false);
    const id = `${this.#options.idPrefix ?? ''}l${this.#nextId++}`;
    const advertised = this.#options.advertisedAddress ?? this.#options.address;
    const leg = new RelayLeg(id, pair, advertised, options, performance.now());
    wireLeg(leg, this.#ctx);
    this.#legs.set(id, leg);
    return { id, local: leg.local };
  }

  /** Applies what the phone negotiated (its SDP): remote address, codec, PTs, direction. */
  configureLeg(id: string, config: LegConfig): void {
    const leg = this.#get(id);
    leg.configure(config, performance.now());
    refreshConversion(leg);
  }

  /** Connects two legs: each one's media goes to the other's phone. Replaces earlier peers. */
  connect(aId: string, bId: string): void {
    const a = this.#get(aId);
    const b = this.#get(bId);
    if (a === b) throw new Error(`cannot connect leg ${aId} to itself`);
    this.disconnect(aId);
    this.disconnect(bId);
    a.peer = b;
    b.peer = a;
    refreshConversion(a);
  }

  /** Disconnects a leg from its peer (both stop forwarding to each other). */
  disconnect(id: string): void {
    const leg = this.#get(id);
    const peer = leg.peer;
    leg.peer = undefined;
    if (peer && peer.peer === leg) peer.peer = undefined;
    refreshConversion(leg);
    if (peer) refreshConversion(peer);
  }

  /** Plays audio into a leg (music on hold…) instead of its peer's media, until stopped. */
  play(id: string, audio: PlaybackAudio, options: PlayOptions = {}): void {
    startPlayback(this.#get(id), audio, options, this.#ctx.counters);
  }

  /** Stops playing into a leg: it hears its peer again. */
  stopPlayback(id: string): void {
    stopPlayback(this.#get(id));
  }

  /** Records the phones of two connected legs (a: channel 0, b: channel 1) into a WAV file. */
  startRecording(aId: string, bId: string, options: RelayRecordingOptions): void {
    const a = this.#get(aId);
    const b = this.#get(bId);
    if (a.recorder || b.recorder) throw new Error(`media legs ${aId}/${bId} are already recording`);
    const recorder = new RelayRecorder(options, performance.now());
    a.recorder = { recorder, channel: 0 };
    b.recorder = { recorder, channel: 1 };
  }

  /** Stops the recording a leg feeds; resolves once the file is complete (undefined: none). */
  async stopRecording(id: string): Promise<RelayRecordingResult | undefined> {
    const tap = this.#legs.get(id)?.recorder;
    if (!tap) return undefined;
    for (const leg of this.#legs.values())
      if (leg.recorder?.recorder === tap.recorder) leg.recorder = undefined;
    return tap.recorder.stop();
  }

  legStats(id: string): LegStats {
    return this.#get(id).snapshot();
  }

  /** Closes a leg (disconnecting it) and returns its ports. Unknown ids give undefined. */
  releaseLeg(id: string): LegStats | undefined {
    const leg = this.#legs.get(id);
    if (!leg) return undefined;
    this.disconnect(id);
    stopPlayback(leg);
    if (leg.recorder) void this.stopRecording(id).catch(() => undefined);
    const stats = leg.snapshot();
    this.#closedLost += leg.stats.totalLost;
    unwireLeg(leg);
    closeUdpPair(leg.pair, this.ports);
    this.#legs.delete(id);
    return stats;
  }

  /** Counters, with active legs counted and packetsLost summed over live and closed legs. */
  counters(): MediaCounters {
    let lost = this.#closedLost;
    for (const leg of this.#legs.values()) lost += leg.stats.totalLost;
    return { ...this.#ctx.counters, activeLegs: this.#legs.size, packetsLost: lost };
  }

  get size(): number {
    return this.#legs.size;
  }

  close(): void {
    clearInterval(this.#timer);
    for (const id of [...this.#legs.keys()]) this.releaseLeg(id);
  }

  #get(id: string): RelayLeg {
    const leg = this.#legs.get(id);
    if (!leg) throw new Error(`no media leg ${id}`);
    return leg;
  }

  #tick(): void {
    const now = performance.now();
    for (const leg of this.#legs.values()) tickLeg(leg, now, this.#ctx);
  }
}
