import { performance } from 'node:perf_hooks';
import { PortAllocator, type PortRange } from '../port/port-allocator.ts';
import { AnchoredRelay } from './anchored-relay.ts';
import {
  zeroCounters,
  type LegConfig,
  type MediaCounters,
  type RelayEvent,
  type RelayInfo,
  type RelayOptions,
  type RelayStats,
} from './relay-types.ts';
import { bindUdpPair, closeUdpPair, type UdpPair } from './udp-pair.ts';

export interface RelayHostOptions {
  readonly portRange: PortRange;
  /** Address the sockets bind to. */
  readonly address: string;
  /** Address written into SDP, when it differs from the bind address (0.0.0.0, NAT). */
  readonly advertisedAddress?: string;
  /** Receives every relay's events. */
  readonly onEvent: (event: RelayEvent) => void;
  /** Prefix of relay ids, so ids stay unique across worker threads. */
  readonly idPrefix?: string;
}

/**
 * The relays of one thread: binds their sockets from its port range, forwards their events,
 * runs their periodic duties, and keeps the thread's counters. The media engine runs one host
 * in-process or one per worker thread.
 */
export class RelayHost {
  readonly ports: PortAllocator;
  readonly counters: MediaCounters = zeroCounters();
  readonly #options: RelayHostOptions;
  readonly #relays = new Map<string, AnchoredRelay>();
  readonly #timer: ReturnType<typeof setInterval>;
  #nextId = 1;

  constructor(options: RelayHostOptions) {
    this.#options = options;
    this.ports = new PortAllocator(options.portRange);
    this.#timer = setInterval(() => this.#tick(), 250);
    this.#timer.unref();
  }

  async createRelay(options: RelayOptions = {}): Promise<RelayInfo> {
    const { address } = this.#options;
    const mux = options.rtcpMux ?? false;
    const a = await bindUdpPair(this.ports, address, mux);
    let b: UdpPair;
    try {
      b = await bindUdpPair(this.ports, address, mux);
    } catch (err) {
      closeUdpPair(a, this.ports);
      throw err;
    }
    const id = `${this.#options.idPrefix ?? ''}r${this.#nextId++}`;
    const advertised = this.#options.advertisedAddress ?? address;
    const relay = new AnchoredRelay(id, { a, b }, advertised, options, this.counters, this.#options.onEvent);
    this.#relays.set(id, relay);
    this.counters.activeRelays = this.#relays.size;
    return relay.info;
  }

  configure(id: string, update: { a?: LegConfig; b?: LegConfig }): void {
    this.#get(id).configure(update);
  }

  stats(id: string): RelayStats {
    return this.#get(id).stats();
  }

  /** Closes a relay and returns its ports to the pool. Unknown ids are ignored (idempotent). */
  closeRelay(id: string): RelayStats | undefined {
    const relay = this.#relays.get(id);
    if (!relay) return undefined;
    const stats = relay.stats();
    relay.close();
    closeUdpPair(relay.a.pair, this.ports);
    closeUdpPair(relay.b.pair, this.ports);
    this.#relays.delete(id);
    this.counters.activeRelays = this.#relays.size;
    return stats;
  }

  get size(): number {
    return this.#relays.size;
  }

  close(): void {
    clearInterval(this.#timer);
    for (const id of [...this.#relays.keys()]) this.closeRelay(id);
  }

  #get(id: string): AnchoredRelay {
    const relay = this.#relays.get(id);
    if (!relay) throw new Error(`no relay ${id}`);
    return relay;
  }

  #tick(): void {
    const now = performance.now();
    for (const relay of this.#relays.values()) relay.tick(now);
  }
}
