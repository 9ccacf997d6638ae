// A scriptable SIP phone for server tests: the real UA core (@switchboard/sip) on the real Node
// transport (@switchboard/sip-node), on loopback, with an RTP socket of its own. It records every
// SIP message it receives, so tests can assert what the PBX really sent (CANCEL, Via, SDP, BYE).
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import {
  DigestClient,
  digestAuthenticator,
  hostClock,
  SipRequest,
  UserAgent,
  type IncomingInvite,
  type MessageSource,
  type OutgoingInvite,
  type Session,
  type SipResponse,
  type TransportProtocol,
} from '@switchboard/sip';
import { NodeTransport, type TlsOptions } from '@switchboard/sip-node';

export interface PhoneOptions {
  readonly user: string;
  readonly password: string;
  /** The tenant's SIP domain (the AOR's host and the registrar URI). */
  readonly domain: string;
  /** The PBX's SIP port for `protocol`. */
  readonly pbxPort: number;
  readonly protocol?: 'UDP' | 'TCP' | 'TLS';
  /** Outbound TLS trust (self-signed test certificates). */
  readonly tlsClient?: Partial<TlsOptions>;
}

export interface Received {
  readonly message: SipRequest | SipResponse;
  readonly source: MessageSource;
}

/** An audio offer from `port` on 127.0.0.1 with the given payload types (0 PCMU, 8 PCMA, 9 G722). */
export function audioSdp(
  port: number,
  payloads: readonly number[] = [0, 8],
  extra: readonly string[] = [],
): string {
  const names: Record<number, string> = { 0: 'PCMU/8000', 8: 'PCMA/8000', 9: 'G722/8000' };
  return (
    `v=0\r\no=phone ${port} 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n` +
    `m=audio ${port} RTP/AVP ${payloads.join(' ')}\r\n` +
    payloads.map((p) => `a=rtpmap:${p} ${names[p] ?? 'X/8000'}\r\n`).join('') +
    extra.map((l) => `${l}\r\n`).join('')
  );
}

/** One 20 ms PCMU RTP packet (silence) with the given sequence number. */
export function rtpPacket(seq: number, ssrc = 0x1234_5678, payloadType = 0): Buffer {
  const packet = Buffer.alloc(12 + 160, 0xff);
  packet[0] = 0x80;
  packet[1] = payloadType;
  packet.writeUInt16BE(seq & 0xffff, 2);
  packet.writeUInt32BE((seq * 160) >>> 0, 4);
  packet.writeUInt32BE(ssrc, 8);
  return packet;
}

export async function until<T>(
  what: string,
  check: () => T | undefined | false,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export class TestPhone {
  readonly received: Received[] = [];
  readonly invites: IncomingInvite[] = [];
  /** What to do with a new incoming INVITE; default: 180 and wait for the test. */
  onInvite: (invite: IncomingInvite) => void = (invite) => invite.progress(180);
  readonly rtpPackets: { from: string; bytes: number }[] = [];

  private constructor(
    readonly options: PhoneOptions,
    readonly transport: NodeTransport,
    readonly ua: UserAgent,
    readonly rtp: UdpSocket,
    readonly protocol: TransportProtocol,
  ) {}

  static async start(options: PhoneOptions): Promise<TestPhone> {
    const protocol = options.protocol ?? 'UDP';
    const transport = new NodeTransport(options.tlsClient ? { tlsClient: options.tlsClient } : {});
    const clock = hostClock({ setTimeout, clearTimeout, now: () => performance.now() });
    const credentials = { username: options.user, password: options.password };
    const authenticator = digestAuthenticator(
      new DigestClient({ credentials, randomBytes: (n) => new Uint8Array(randomBytes(n)) }),
    );
    const ref: { phone?: TestPhone } = {};
    const ua = new UserAgent(
      {
        clock,
        transport,
        aor: `sip:${options.user}@${options.domain}`,
        authenticator,
        defaultProtocol: protocol,
        sessionTimers: { enabled: false },
        reliableProvisional: 'none',
      },
      {
        onInvite: (invite) => {
          ref.phone?.invites.push(invite);
          ref.phone?.onInvite(invite);
        },
      },
    );
    transport.setReceiver({
      receive: (message, source) => {
        ref.phone?.received.push({ message, source });
        ua.receive(message, source);
      },
    });
    const rtp = createSocket('udp4');
    await new Promise<void>((resolve) => rtp.bind(0, '127.0.0.1', resolve));
    try {
      // A listening point gives the Contact an address; stream phones are reached over their
      // own connection (a TLS phone without a certificate advertises its TCP point).
      await transport.listen({ protocol: protocol === 'UDP' ? 'UDP' : 'TCP', host: '127.0.0.1', port: 0 });
    } catch (error) {
      rtp.close();
      await transport.close();
      throw error;
    }
    const phone = new TestPhone(options, transport, ua, rtp, protocol);
    ref.phone = phone;
    rtp.on('message', (bytes, from) =>
      phone.rtpPackets.push({ from: `${from.address}:${from.port}`, bytes: bytes.length }),
    );
    return phone;
  }

  get rtpPort(): number {
    return this.rtp.address().port;
  }

  get pbx(): { protocol: TransportProtocol; host: string; port: number } {
    return { protocol: this.protocol, host: '127.0.0.1', port: this.options.pbxPort };
  }

  sdp(payloads: readonly number[] = [0, 8], extra: readonly string[] = []): string {
    return audioSdp(this.rtpPort, payloads, extra);
  }

  /** REGISTER (digest auth answered by the UA); resolves with the final response. */
  register(expires = 300): Promise<SipResponse> {
    const uri = `sip:${this.options.domain}${this.protocol === 'UDP' ? '' : `;transport=${this.protocol.toLowerCase()}`}`;
    return this.ua.register(uri, expires, { destination: this.pbx }).final;
  }

  /** Calls `number` at `domain` (default the phone's own domain). */
  call(
    number: string,
    options: { sdp?: string; headers?: ReadonlyArray<readonly [string, string]>; domain?: string } = {},
  ): PlacedCall {
    const progress: SipResponse[] = [];
    let session: Session | undefined;
    let answered: SipResponse | undefined;
    const invite = this.ua.invite(
      `sip:${number}@${options.domain ?? this.options.domain}`,
      {
        destination: this.pbx,
        body: options.sdp ?? this.sdp(),
        ...(options.headers && { headers: options.headers }),
      },
      {
        onProgress: (r) => progress.push(r),
        onAccept: (s, r) => {
          session = s;
          answered = r;
        },
      },
    );
    return {
      invite,
      progress,
      final: invite.final,
      session: () => session,
      answered: () => answered,
    };
  }

  /** Requests of `method` this phone received (in order). */
  requests(method: string): SipRequest[] {
    return this.received
      .map((r) => r.message)
      .filter((m): m is SipRequest => m instanceof SipRequest && m.method === method);
  }

  async close(): Promise<void> {
    this.ua.dispose();
    await this.transport.close();
    await new Promise<void>((resolve) => this.rtp.close(() => resolve()));
  }
}

export interface PlacedCall {
  readonly invite: OutgoingInvite;
  readonly progress: SipResponse[];
  readonly final: Promise<SipResponse>;
  session(): Session | undefined;
  answered(): SipResponse | undefined;
}

/** A response's status after at most `timeoutMs`. */
export function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: no answer in ${timeoutMs} ms`)), timeoutMs),
    ),
  ]);
}
