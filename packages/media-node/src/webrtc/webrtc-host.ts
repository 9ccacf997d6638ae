import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { networkInterfaces } from 'node:os';
import { performance } from 'node:perf_hooks';
import { PortAllocator, type PortRange } from '../port/port-allocator.ts';
import { bindUdpPair, closeUdpPair, type UdpPair } from '../relay/udp-pair.ts';
import type { DtlsCertificate } from './dtls-session.ts';
import { WebRtcEndpoint, type EndpointContext } from './webrtc-endpoint.ts';
import {
  zeroWebRtcCounters,
  type IceHostCandidate,
  type PlainRtpTarget,
  type WebRtcCounters,
  type WebRtcEndpointInfo,
  type WebRtcEndpointOptions,
  type WebRtcEvent,
  type WebRtcRemoteDescription,
  type WebRtcStats,
} from './webrtc-types.ts';

export interface WebRtcHostOptions {
  /** Ports for the browser-facing sockets (one per endpoint). */
  readonly portRange: PortRange;
  /** Address the browser-facing sockets bind to. */
  readonly address: string;
  /**
   * Host candidates to advertise (RFC 8445 §5.1.1.1). Default: the bind address, or every
   * IPv4 interface address when bound to 0.0.0.0. Put the public address here behind 1:1 NAT.
   */
  readonly candidateAddresses?: readonly string[];
  /** Where the relay legs listen; the plain sockets bind here too (default 127.0.0.1). */
  readonly relayAddress?: string;
  readonly certificate: DtlsCertificate;
  readonly onEvent: (event: WebRtcEvent) => void;
  /** Prefix of endpoint ids, so ids stay unique across worker threads. */
  readonly idPrefix?: string;
}

interface Entry {
  readonly endpoint: WebRtcEndpoint;
  readonly pair: UdpPair;
}

const literalLookup = (
  address: string,
  _options: unknown,
  callback: (err: Error | null, address: string, family: number) => void,
): void => callback(null, address, address.includes(':') ? 6 : 4);

function bindPlain(address: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type: isIPv6(address) ? 'udp6' : 'udp4', lookup: literalLookup });
    socket.once('error', reject);
    socket.bind({ address, port: 0 }, () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

/** The addresses written as host candidates when none are configured. */
export function defaultCandidateAddresses(bindAddress: string): string[] {
  if (bindAddress !== '0.0.0.0' && bindAddress !== '::') return [bindAddress];
  const found: string[] = [];
  for (const list of Object.values(networkInterfaces()))
    for (const info of list ?? []) if (info.family === 'IPv4' && !info.internal) found.push(info.address);
  return found.length > 0 ? found : ['127.0.0.1'];
}

/**
 * The WebRTC endpoints of one thread: binds their sockets, runs their inactivity clock, keeps
 * the thread's counters. The gateway runs one host in-process or one per worker thread.
 */
export class WebRtcHost {
  readonly ports: PortAllocator;
  readonly #options: WebRtcHostOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #ctx: EndpointContext;
  readonly #candidates: readonly string[];
  readonly #timer: ReturnType<typeof setInterval>;
  #nextId = 1;

  constructor(options: WebRtcHostOptions) {
    this.#options = options;
    this.ports = new PortAllocator(options.portRange);
    this.#candidates = options.candidateAddresses?.length
      ? options.candidateAddresses
      : defaultCandidateAddresses(options.address);
    this.#ctx = { certificate: options.certificate, counters: zeroWebRtcCounters(), emit: options.onEvent };
    this.#timer = setInterval(() => this.#tick(), 500);
    this.#timer.unref();
  }

  async createEndpoint(options: WebRtcEndpointOptions): Promise<WebRtcEndpointInfo> {
    const pair = await bindUdpPair(this.ports, this.#options.address, true);
    let plain: Socket;
    try {
      plain = await bindPlain(this.#options.relayAddress ?? '127.0.0.1');
    } catch (error) {
      closeUdpPair(pair, this.ports);
      throw error;
    }
    const id = `${this.#options.idPrefix ?? ''}e${this.#nextId++}`;
    // RFC 8445 §5.1.2.1: host type preference 126, local preference by address order.
    const candidates: IceHostCandidate[] = this.#candidates.map((address, i) => ({
      foundation: String(i + 1),
      component: 1,
      transport: 'udp',
      priority: (126 << 24) + ((65535 - i) << 8) + 255,
      address,
      port: pair.rtpPort,
      type: 'host',
    }));
    const endpoint = new WebRtcEndpoint(id, pair.rtp, plain, candidates, options, this.#ctx);
    this.#entries.set(id, { endpoint, pair });
    const bound = plain.address();
    return { id, local: endpoint.local, plain: { address: bound.address, port: bound.port } };
  }

  setRemote(id: string, remote: WebRtcRemoteDescription): void {
    this.#get(id).endpoint.setRemote(remote);
  }

  /** Points the plain side at another relay leg (the browser moves to another call or a room). */
  setMedia(id: string, media: PlainRtpTarget): void {
    this.#get(id).endpoint.setMedia(media);
  }

  stats(id: string): WebRtcStats {
    return this.#get(id).endpoint.stats();
  }

  /** Closes an endpoint and returns its port; unknown ids give undefined. */
  closeEndpoint(id: string): WebRtcStats | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    this.#entries.delete(id);
    const stats = entry.endpoint.close();
    entry.endpoint.plainSocket.close();
    closeUdpPair(entry.pair, this.ports);
    return stats;
  }

  counters(): WebRtcCounters {
    return { ...this.#ctx.counters, activeEndpoints: this.#entries.size };
  }

  get size(): number {
    return this.#entries.size;
  }

  close(): void {
    clearInterval(this.#timer);
    for (const id of [...this.#entries.keys()]) this.closeEndpoint(id);
  }

  #get(id: string): Entry {
    const entry = this.#entries.get(id);
    if (!entry) throw new Error(`no WebRTC endpoint ${id}`);
    return entry;
  }

  #tick(): void {
    const now = performance.now();
    for (const { endpoint } of this.#entries.values()) endpoint.tick(now);
  }
}
