// A fake SIP phone's media side for tests: one UDP socket on loopback that sends RTP (a tone,
// DTMF events, RTCP) and keeps what it receives.
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import {
  defaultCodecRegistry,
  planDtmfDigit,
  RtpPacket,
  ToneGenerator,
  type AudioCodec,
} from '@switchboard/media';

const codecs = defaultCodecRegistry();

export interface Received {
  readonly packet: RtpPacket;
  readonly from: { address: string; port: number };
}

export class FakePhone {
  readonly socket: Socket;
  readonly received: Received[] = [];
  readonly rtcpReceived: Uint8Array[] = [];
  readonly ssrc: number;
  seq = 1000;
  timestamp = 50_000;
  #tone: ToneGenerator | undefined;

  private constructor(socket: Socket, ssrc: number) {
    this.socket = socket;
    this.ssrc = ssrc;
    socket.on('message', (msg: Buffer, rinfo) => {
      const pt = msg[1]! & 0x7f;
      if (pt >= 72 && pt <= 76) {
        this.rtcpReceived.push(new Uint8Array(msg));
        return;
      }
      const parsed = RtpPacket.parse(new Uint8Array(msg));
      if (parsed.ok)
        this.received.push({ packet: parsed.value, from: { address: rinfo.address, port: rinfo.port } });
    });
  }

  static async open(ssrc: number): Promise<FakePhone> {
    const socket = createSocket('udp4');
    socket.bind(0, '127.0.0.1');
    await once(socket, 'listening');
    return new FakePhone(socket, ssrc);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Sends `frames` 20 ms frames of a tone, `burst` at a time with a short pause between. */
  async sendTone(
    to: number,
    frequency: number,
    codec: { name: string; payloadType: number },
    frames: number,
  ): Promise<void> {
    const c = codecs.get(codec.name) as AudioCodec;
    this.#tone ??= new ToneGenerator([frequency]);
    for (let i = 0; i < frames; i++) {
      const payload = c.encode(this.#tone.next(160));
      this.sendRtp(to, { payloadType: codec.payloadType, payload });
      this.timestamp += 160;
      if (i % 10 === 9) await new Promise((r) => setTimeout(r, 2));
    }
  }

  sendRtp(
    to: number,
    p: { payloadType: number; payload: Uint8Array; marker?: boolean; timestamp?: number; ssrc?: number },
  ): void {
    const packet = new RtpPacket({
      payloadType: p.payloadType,
      payload: p.payload,
      marker: p.marker ?? false,
      sequenceNumber: this.seq++ & 0xffff,
      timestamp: p.timestamp ?? this.timestamp,
      ssrc: p.ssrc ?? this.ssrc,
    });
    this.socket.send(packet.serialize(), to, '127.0.0.1');
  }

  async sendDigit(to: number, digit: string, payloadType: number): Promise<void> {
    for (const p of planDtmfDigit(digit, this.timestamp, 60)) {
      this.sendRtp(to, { payloadType, payload: p.payload, marker: p.marker, timestamp: p.timestamp });
      await new Promise((r) => setTimeout(r, 1));
    }
    this.timestamp += 8000;
  }

  /** The decoded audio of every received packet of payload type `pt`, in sequence order. */
  audio(pt: number, codecName: string): Int16Array {
    const c = codecs.get(codecName)!;
    const packets = this.received
      .map((r) => r.packet)
      .filter((p) => p.payloadType === pt)
      .sort((x, y) => x.sequenceNumber - y.sequenceNumber);
    const out = new Int16Array(packets.length * 160);
    packets.forEach((p, i) => out.set(c.decode(p.payload), i * 160));
    return out;
  }

  close(): void {
    this.socket.close();
  }
}

/** Waits until `check()` holds, polling; fails after `ms` (a bound, not a timing assertion). */
export async function until(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Polls an async reading (stats from the relay) until `check` holds; returns the last value. */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  what: string,
  ms = 5000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
