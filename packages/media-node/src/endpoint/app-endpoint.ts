import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { RemoteInfo } from 'node:dgram';
import {
  defaultCodecRegistry,
  DtmfReceiver,
  LatchDecision,
  rtpHeader,
  SourceLatch,
  type AudioCodec,
} from '@switchboard/media';
import { WavFileWriter } from '../recording/wav-file-writer.ts';
import type { UdpPair } from '../relay/udp-pair.ts';
import { EndpointPlayer } from './endpoint-player.ts';
import type {
  BridgeMemberState,
  EndpointConfig,
  EndpointCounters,
  EndpointEvent,
  EndpointOptions,
  LocalEndpoint,
  RecordingEnd,
} from './endpoint-types.ts';
import { FrameQueue } from './frame-queue.ts';

export const FRAME = 160;
const codecs = defaultCodecRegistry();

export interface EndpointContext {
  readonly counters: EndpointCounters;
  readonly emit: (event: EndpointEvent) => void;
}

interface Recording {
  readonly recordId: number;
  readonly writer: WavFileWriter;
  readonly maxFrames: number;
  frames: number;
}

/**
 * One endpoint: the sockets a phone talks to when the PBX itself answers (voicemail, a
 * conference). What the phone sends is latched (symmetric RTP, RFC 4961), decoded from G.711
 * into a small jitter buffer, and its RFC 4733 digits reported; every 20 ms the host takes one
 * frame from it (for a recording or a bridge) and gives it one frame to send: what is played,
 * else the bridge's mix, else silence — on one RTP stream of our own (RFC 3550 §5.1).
 */
export class AppEndpoint {
  readonly id: string;
  readonly pair: UdpPair;
  readonly local: LocalEndpoint;
  readonly inactivityTimeoutMs: number;
  readonly input = new FrameQueue();
  /** This frame's audio from the phone (the host fills it each tick). */
  readonly heard = new Int16Array(FRAME);
  /** This frame's audio for the phone from the bridge, when in one. */
  mixed: Int16Array | undefined;
  bridgeId: string | undefined;
  member: BridgeMemberState = {};
  readonly #ctx: EndpointContext;
  readonly #latch = new SourceLatch(1000);
  readonly #dtmf = new DtmfReceiver(8000);
  readonly #out = new Int16Array(FRAME);
  #codec: AudioCodec | undefined;
  #codecPt = -1;
  #dtmfPt = -1;
  #sends = true;
  #receives = true;
  #remote: { address: string; port: number } | undefined;
  #player: EndpointPlayer | undefined;
  #recording: Recording | undefined;
  readonly #ssrc = randomInt(1, 0xffffffff);
  #seq = randomInt(0, 0xffff);
  #timestamp = randomInt(0, 0x7fffffff);
  #marker = true;
  #lastPacketMs: number;
  #timedOut = false;

  constructor(
    id: string,
    pair: UdpPair,
    advertisedAddress: string,
    options: EndpointOptions,
    nowMs: number,
    ctx: EndpointContext,
  ) {
    this.id = id;
    this.pair = pair;
    this.#ctx = ctx;
    this.inactivityTimeoutMs = options.inactivityTimeoutMs ?? 0;
    this.local = {
      address: advertisedAddress,
      rtpPort: pair.rtpPort,
      rtcpPort: pair.rtcp ? pair.rtpPort + 1 : pair.rtpPort,
    };
    this.#lastPacketMs = nowMs;
    pair.rtp.on('message', (msg: Buffer, rinfo: RemoteInfo) => this.#onRtp(msg, rinfo, nowOf()));
    // RTCP is read and dropped: an endpoint is a simple media sink/source.
    pair.rtcp?.on('message', () => undefined);
    pair.rtp.on('error', () => ctx.counters.packetsDropped++);
    pair.rtcp?.on('error', () => undefined);
  }

  get playing(): boolean {
    return this.#player !== undefined;
  }

  /** What the phone negotiated (its SDP): address, codec, telephone-event, direction. */
  configure(config: EndpointConfig, nowMs: number): void {
    if (config.codec) {
      this.#codec = codecs.get(config.codec.name.toUpperCase());
      this.#codecPt = config.codec.payloadType;
    }
    if (config.telephoneEventPayloadType !== undefined) this.#dtmfPt = config.telephoneEventPayloadType;
    if (config.direction) {
      this.#sends = config.direction === 'sendrecv' || config.direction === 'sendonly';
      this.#receives = config.direction === 'sendrecv' || config.direction === 'recvonly';
    }
    if (config.remote) {
      const r = config.remote;
      const hold = r.address === '0.0.0.0' || r.address === '::' || r.rtpPort === 0;
      const next = hold ? undefined : { address: r.address, port: r.rtpPort };
      if (next?.address !== this.#remote?.address || next?.port !== this.#remote?.port) this.#latch.reset();
      this.#remote = next;
      this.#lastPacketMs = nowMs;
      this.#timedOut = false;
    }
  }

  // ─── Every 20 ms (the host's tick) ──────────────────────────────────────────────────────

  /** Takes this frame's audio from the phone into `heard`, and records it. */
  takeInput(): void {
    const had = this.input.underruns;
    this.input.pull(this.heard);
    this.#ctx.counters.underruns += this.input.underruns - had;
    const rec = this.#recording;
    if (rec) {
      rec.writer.write(this.heard);
      if (++rec.frames >= rec.maxFrames) void this.stopRecording('max-duration');
    }
  }

  /** Sends this frame: what is played, else the bridge's mix, else silence. */
  sendOutput(): void {
    const out = this.#out;
    const player = this.#player;
    if (player) {
      if (!player.next(out)) {
        this.#player = undefined;
        this.#ctx.emit({ type: 'played', endpointId: this.id, playId: player.playId, end: 'finished' });
        this.#fill(out);
      }
    } else this.#fill(out);
    this.#seq = (this.#seq + 1) & 0xffff;
    this.#timestamp = (this.#timestamp + FRAME) >>> 0;
    const codec = this.#codec;
    const to = this.#latch.latched ? { address: this.#latch.address!, port: this.#latch.port } : this.#remote;
    if (!codec || this.#codecPt < 0 || !this.#receives || !to || codec.samplesIn(FRAME) !== FRAME) return;
    const packet = Buffer.alloc(12 + FRAME);
    packet[0] = 0x80; // RFC 3550 §5.1: version 2
    rtpHeader.writePayloadType(packet, this.#codecPt);
    if (this.#marker) packet[1] = packet[1]! | 0x80; // first packet of the stream
    this.#marker = false;
    rtpHeader.writeSequenceNumber(packet, this.#seq);
    rtpHeader.writeTimestamp(packet, this.#timestamp);
    rtpHeader.writeSsrc(packet, this.#ssrc);
    packet.set(codec.encode(out), 12);
    this.pair.rtp.send(packet, to.port, to.address);
    this.#ctx.counters.packetsOut++;
  }

  #fill(out: Int16Array): void {
    if (this.mixed && !this.member.held) out.set(this.mixed);
    else out.fill(0);
  }

  /** Inactivity: the phone should send but has been silent for the timeout. */
  checkTimeout(nowMs: number): void {
    if (this.inactivityTimeoutMs <= 0 || !this.#sends || !this.#remote) return;
    const idle = nowMs - this.#lastPacketMs;
    if (idle < this.inactivityTimeoutMs) this.#timedOut = false;
    else if (!this.#timedOut) {
      this.#timedOut = true;
      this.#ctx.emit({ type: 'timeout', endpointId: this.id, idleMs: Math.round(idle) });
    }
  }

  // ─── Playing and recording ──────────────────────────────────────────────────────────────

  play(playId: number, samples: Int16Array, loop: boolean): void {
    this.stopPlayback();
    this.#player = new EndpointPlayer(playId, samples, loop);
  }

  stopPlayback(): void {
    const player = this.#player;
    if (!player) return;
    this.#player = undefined;
    this.#ctx.emit({ type: 'played', endpointId: this.id, playId: player.playId, end: 'stopped' });
  }

  record(recordId: number, file: string, maxDurationMs: number | undefined): void {
    if (this.#recording) void this.stopRecording('stopped');
    this.#recording = {
      recordId,
      writer: new WavFileWriter(file, { channels: 1, sampleRate: 8000 }),
      maxFrames: maxDurationMs === undefined ? Infinity : Math.ceil(maxDurationMs / 20),
      frames: 0,
    };
  }

  async stopRecording(end: RecordingEnd = 'stopped'): Promise<void> {
    const rec = this.#recording;
    if (!rec) return;
    this.#recording = undefined;
    let error: string | undefined;
    try {
      await rec.writer.close();
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    this.#ctx.emit({
      type: 'recorded',
      endpointId: this.id,
      recordId: rec.recordId,
      end: error ? 'failed' : end,
      durationMs: rec.writer.durationMs,
      ...(error ? { error } : {}),
    });
  }

  /** Stops everything (the host closes the sockets). */
  close(): Promise<void> {
    this.pair.rtp.removeAllListeners('message');
    this.pair.rtcp?.removeAllListeners('message');
    this.stopPlayback();
    return this.stopRecording('closed');
  }

  // ─── From the phone ─────────────────────────────────────────────────────────────────────

  #onRtp(msg: Buffer, rinfo: RemoteInfo, nowMs: number): void {
    const counters = this.#ctx.counters;
    if (msg.length >= 8 && rtpHeader.isRtcpInMux(msg)) return; // RFC 5761 §4
    if (!rtpHeader.isRtpLike(msg)) {
      counters.packetsDropped++;
      return;
    }
    counters.packetsIn++;
    const decision = this.#latch.check(rinfo.address, rinfo.port, rtpHeader.readSsrc(msg), nowMs);
    if (decision === LatchDecision.Reject || !this.#sends) {
      counters.packetsDropped++;
      return;
    }
    this.#lastPacketMs = nowMs;
    const pt = rtpHeader.readPayloadType(msg);
    const bounds = rtpHeader.payloadBounds(msg);
    if (!bounds) return;
    const payload = msg.subarray(bounds.start, bounds.end);
    if (pt === this.#dtmfPt) {
      for (const d of this.#dtmf.receive(payload, rtpHeader.readTimestamp(msg))) {
        counters.dtmfDigits++;
        this.#ctx.emit({ type: 'dtmf', endpointId: this.id, digit: d.digit, durationMs: d.durationMs });
      }
    } else if (pt === this.#codecPt && this.#codec) {
      this.input.push(this.#codec.decode(payload));
    } else counters.packetsDropped++; // comfort noise, other formats
  }
}

const nowOf = (): number => performance.now();
