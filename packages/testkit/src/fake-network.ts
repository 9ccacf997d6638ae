// An in-process network for SIP tests, on fake time. Endpoints are SipTransports bound to a
// host:port; what one sends is serialized to bytes, carried with some latency and parsed again
// at the receiver (so the parser and serializer are part of every test). UDP traffic can be
// dropped, duplicated and reordered — at random from a seed, or by scripted rules — while TCP
// is reliable and in order, and refuses to send to an address nobody listens on.
import {
  type Destination,
  type HostPort,
  type MessageSource,
  type SipRequest,
  type SipResponse,
  type SipTransport,
  type TransportProtocol,
  parseMessage,
} from '@switchboard/sip';
import type { FakeClock } from './fake-clock.ts';

export type PacketFate = 'delivered' | 'dropped' | 'duplicated' | 'unreachable' | 'unparseable';

/** One send, as the network saw it. */
export interface PacketRecord {
  readonly at: number;
  readonly protocol: TransportProtocol;
  readonly from: HostPort;
  readonly to: HostPort;
  /** The whole message as text. */
  readonly text: string;
  /** `INVITE` for requests, the status code as a string for responses. */
  readonly label: string;
  /** CSeq method (tells a 200 to INVITE from a 200 to BYE). */
  readonly cseqMethod: string;
  fate: PacketFate;
}

export interface FaultRule {
  /** Which packets the rule applies to. */
  match(packet: PacketRecord): boolean;
  /** What to do with a matching packet. Reordering is a delay that lets later packets pass. */
  action: 'drop' | 'duplicate' | { readonly delayMs: number };
  /** How many matching packets the rule affects (default: every one). */
  times?: number;
}

export interface FakeNetworkOptions {
  readonly clock: FakeClock;
  /** One-way latency, default 5 ms. */
  readonly latencyMs?: number;
  /** Random faults on UDP packets (0..1), from `seed`. */
  readonly dropRate?: number;
  readonly duplicateRate?: number;
  /** Extra random delay 0..reorderJitterMs per UDP packet, which reorders close packets. */
  readonly reorderJitterMs?: number;
  readonly seed?: number;
}

export type MessageHandler = (message: SipRequest | SipResponse, source: MessageSource) => void;

const key = (hp: HostPort): string => `${hp.host.toLowerCase()}:${hp.port}`;

/** mulberry32: a small seeded PRNG giving floats in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FakeEndpoint implements SipTransport {
  /** Called for every message delivered to this endpoint (wire it to ua.receive). */
  onMessage: MessageHandler | undefined;

  constructor(
    private readonly network: FakeNetwork,
    /** The address the endpoint binds to (and writes into Via/Contact). */
    readonly address: HostPort,
    /** The address others see as the source (a NAT's public side); defaults to `address`. */
    readonly publicAddress: HostPort,
  ) {}

  send(message: SipRequest | SipResponse, destination: Destination): void {
    this.network.transmit(this, message, destination);
  }

  localAddress(_destination: Destination): HostPort {
    return this.address;
  }

  /** Stops receiving (the endpoint's address becomes unreachable). */
  close(): void {
    this.network.detach(this);
  }
}

export class FakeNetwork {
  readonly log: PacketRecord[] = [];
  private readonly clock: FakeClock;
  private readonly endpoints = new Map<string, FakeEndpoint>();
  private readonly rules: Array<FaultRule & { used: number }> = [];
  private readonly random: () => number;
  private readonly latencyMs: number;
  private readonly dropRate: number;
  private readonly duplicateRate: number;
  private readonly jitterMs: number;
  /** Per ordered pair, the time the last reliable (TCP) packet arrives: keeps TCP in order. */
  private readonly streamTail = new Map<string, number>();

  constructor(options: FakeNetworkOptions) {
    this.clock = options.clock;
    this.latencyMs = options.latencyMs ?? 5;
    this.dropRate = options.dropRate ?? 0;
    this.duplicateRate = options.duplicateRate ?? 0;
    this.jitterMs = options.reorderJitterMs ?? 0;
    this.random = prng(options.seed ?? 1);
  }

  /**
   * Binds an endpoint at `host:port`. With `publicAddress`, the endpoint sits behind a NAT:
   * its packets arrive from the public address, and packets to the public address reach it.
   */
  endpoint(host: string, port: number, publicAddress?: HostPort): FakeEndpoint {
    const address = { host, port };
    const ep = new FakeEndpoint(this, address, publicAddress ?? address);
    // Behind a NAT only the public side is reachable from the network.
    this.endpoints.set(key(ep.publicAddress), ep);
    return ep;
  }

  /** Adds a scripted fault; rules are tried in the order added. */
  addRule(rule: FaultRule): void {
    this.rules.push({ ...rule, used: 0 });
  }

  clearRules(): void {
    this.rules.length = 0;
  }

  /** Packets matching a filter, e.g. `packets({ label: 'ACK' })`. */
  packets(
    filter: Partial<Pick<PacketRecord, 'label' | 'cseqMethod' | 'fate'>> & {
      from?: HostPort;
      to?: HostPort;
    } = {},
  ): PacketRecord[] {
    return this.log.filter(
      (p) =>
        (filter.label === undefined || p.label === filter.label) &&
        (filter.cseqMethod === undefined || p.cseqMethod === filter.cseqMethod) &&
        (filter.fate === undefined || p.fate === filter.fate) &&
        (filter.from === undefined || key(p.from) === key(filter.from)) &&
        (filter.to === undefined || key(p.to) === key(filter.to)),
    );
  }

  /** A one-line-per-packet ladder of everything sent, for failure messages. */
  trace(): string {
    return this.log
      .map(
        (p) =>
          `${String(p.at).padStart(7)} ${key(p.from)} -> ${key(p.to)} ${p.label} (${p.cseqMethod}) ${p.fate}`,
      )
      .join('\n');
  }

  /** @internal */
  detach(ep: FakeEndpoint): void {
    for (const [k, v] of this.endpoints) if (v === ep) this.endpoints.delete(k);
  }

  /** @internal Called by FakeEndpoint.send. */
  transmit(sender: FakeEndpoint, message: SipRequest | SipResponse, destination: Destination): void {
    const bytes = message.toBytes().slice();
    const reliable = destination.protocol !== 'UDP';
    const isRequest = 'method' in message;
    const record: PacketRecord = {
      at: this.clock.now(),
      protocol: destination.protocol,
      from: sender.publicAddress,
      to: { host: destination.host, port: destination.port },
      text: new TextDecoder().decode(bytes),
      label: isRequest ? (message as SipRequest).method : String((message as SipResponse).status),
      cseqMethod: safeCseqMethod(message),
      fate: 'delivered',
    };
    this.log.push(record);
    const receiver = this.endpoints.get(key(record.to));
    if (!receiver) {
      record.fate = 'unreachable';
      if (reliable) throw new Error(`connection refused: ${key(record.to)}`);
      return;
    }
    let copies = 1;
    let delay = this.latencyMs;
    if (!reliable) {
      const rule = this.rules.find((r) => (r.times === undefined || r.used < r.times) && r.match(record));
      if (rule) {
        rule.used++;
        if (rule.action === 'drop') copies = 0;
        else if (rule.action === 'duplicate') copies = 2;
        else delay += rule.action.delayMs;
      } else {
        if (this.random() < this.dropRate) copies = 0;
        else if (this.random() < this.duplicateRate) copies = 2;
        delay += Math.floor(this.random() * (this.jitterMs + 1));
      }
    } else {
      const pair = `${key(record.from)}>${key(record.to)}`;
      const arrival = Math.max(this.clock.now() + delay, this.streamTail.get(pair) ?? 0);
      this.streamTail.set(pair, arrival);
      delay = arrival - this.clock.now();
    }
    if (copies === 0) {
      record.fate = 'dropped';
      return;
    }
    if (copies === 2) record.fate = 'duplicated';
    const source: MessageSource = {
      protocol: destination.protocol,
      remote: sender.publicAddress,
      local: receiver.address,
      ...(reliable ? { connectionId: connectionId(sender.publicAddress, receiver.publicAddress) } : {}),
    };
    for (let i = 0; i < copies; i++) {
      this.clock.setTimer(delay + i, () => {
        const parsed = parseMessage(bytes);
        if (parsed.kind !== 'message') {
          record.fate = 'unparseable';
          return;
        }
        receiver.onMessage?.(parsed.message, source);
      });
    }
  }
}

function connectionId(a: HostPort, b: HostPort): string {
  const [x, y] = [key(a), key(b)].sort();
  return `fake-tcp:${x}<>${y}`;
}

function safeCseqMethod(message: SipRequest | SipResponse): string {
  try {
    return message.cseq.method;
  } catch {
    return '';
  }
}
