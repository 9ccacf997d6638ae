import type { RemoteInfo } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import {
  createTranscoder,
  defaultCodecRegistry,
  LatchDecision,
  parseRtcp,
  ReceiverReport,
  rtpHeader,
  SenderReport,
  serializeRtcp,
  SourceDescription,
  transcodeG711InPlace,
  type PayloadTranscoder,
} from '@switchboard/media';
import { RelayLeg } from './relay-leg.ts';
import type {
  LegConfig,
  MediaCounters,
  RelayEvent,
  RelayInfo,
  RelayOptions,
  RelayStats,
} from './relay-types.ts';
import type { UdpPair } from './udp-pair.ts';

const codecs = defaultCodecRegistry();

/** How a payload crosses from one leg to the other. */
type Conversion =
  | { readonly kind: 'none' }
  | { readonly kind: 'g711'; readonly toAlaw: boolean }
  | { readonly kind: 'generic'; readonly transcode: PayloadTranscoder };

const NO_CONVERSION: Conversion = { kind: 'none' };

/** Seconds between 1900 (NTP epoch) and 1970 (Unix epoch), RFC 3550 §4. */
const NTP_UNIX_OFFSET = 2_208_988_800;

/**
 * A two-party media anchor: phone A ⇄ leg a ⇄ leg b ⇄ phone B. Each packet from one phone is
 * checked against the leg's latch (symmetric RTP), counted, its payload type mapped (and its
 * payload transcoded PCMU⇄PCMA when the legs' codecs differ), its sequence/timestamp/SSRC
 * continued by the other leg's outbound stream, and sent on the other leg's socket. RFC 4733
 * events are mapped between the legs' telephone-event payload types and detected on the way.
 */
export class AnchoredRelay {
  readonly id: string;
  readonly a: RelayLeg;
  readonly b: RelayLeg;
  readonly inactivityTimeoutMs: number;
  readonly rtcpMode: 'forward' | 'terminate';
  readonly #emit: (event: RelayEvent) => void;
  readonly #counters: MediaCounters;
  #aToB: Conversion = NO_CONVERSION;
  #bToA: Conversion = NO_CONVERSION;
  #nextReportMs = 0;
  #closed = false;

  constructor(
    id: string,
    pairs: { a: UdpPair; b: UdpPair },
    advertisedAddress: string,
    options: RelayOptions,
    counters: MediaCounters,
    emit: (event: RelayEvent) => void,
  ) {
    const now = performance.now();
    this.id = id;
    this.inactivityTimeoutMs = options.inactivityTimeoutMs ?? 0;
    this.rtcpMode = options.rtcp ?? 'forward';
    this.#emit = emit;
    this.#counters = counters;
    const relatch = options.relatchAfterMs ?? 1000;
    this.a = new RelayLeg('a', pairs.a, advertisedAddress, relatch, now);
    this.b = new RelayLeg('b', pairs.b, advertisedAddress, relatch, now);
    this.#wire(this.a, this.b);
    this.#wire(this.b, this.a);
    this.configure({ a: options.a, b: options.b });
    this.#nextReportMs = now + 5000;
  }

  get info(): RelayInfo {
    return { id: this.id, a: this.a.local, b: this.b.local };
  }

  configure(update: { a?: LegConfig | undefined; b?: LegConfig | undefined }): void {
    const now = performance.now();
    if (update.a) this.a.configure(update.a, now);
    if (update.b) this.b.configure(update.b, now);
    this.#aToB = conversion(this.a, this.b);
    this.#bToA = conversion(this.b, this.a);
  }

  stats(): RelayStats {
    return { a: this.a.snapshot(), b: this.b.snapshot() };
  }

  #wire(from: RelayLeg, to: RelayLeg): void {
    from.rtpSocket.on('message', (msg: Buffer, rinfo: RemoteInfo) => this.#onRtp(from, to, msg, rinfo));
    from.pair.rtcp?.on('message', (msg: Buffer, rinfo: RemoteInfo) => this.#onRtcp(from, to, msg, rinfo));
    // A send to an unreachable phone may report ICMP errors here; they must not crash the host.
    from.rtpSocket.on('error', () => from.dropped++);
    from.pair.rtcp?.on('error', () => from.dropped++);
  }

  #drop(leg: RelayLeg): void {
    leg.dropped++;
    this.#counters.packetsDropped++;
  }

  /** The forwarding path: runs for every RTP packet, so it reads bytes in place. */
  #onRtp(from: RelayLeg, to: RelayLeg, msg: Buffer, rinfo: RemoteInfo): void {
    const counters = this.#counters;
    if (!rtpHeader.isRtpLike(msg)) return this.#drop(from);
    if (from.rtcpMux && rtpHeader.isRtcpInMux(msg)) return this.#onRtcp(from, to, msg, rinfo);
    const now = performance.now();
    from.packetsIn++;
    from.bytesIn += msg.length;
    counters.packetsIn++;
    counters.bytesIn += msg.length;
    const ssrc = rtpHeader.readSsrc(msg);
    const decision = from.rtpLatch.check(rinfo.address, rinfo.port, ssrc, now);
    if (decision === LatchDecision.Reject) return this.#drop(from);
    if (decision === LatchDecision.Latched) this.#latched(from);
    from.lastPacketMs = now;
    const seq = rtpHeader.readSequenceNumber(msg);
    const ts = rtpHeader.readTimestamp(msg);
    const lostBefore = from.stats.totalLost;
    from.stats.update(ssrc, seq, ts, now);
    counters.packetsLost += from.stats.totalLost - lostBefore;
    if (!from.sends) return this.#drop(from);

    let out: Uint8Array = msg;
    const pt = rtpHeader.readPayloadType(msg);
    if (pt === from.dtmfPt) {
      const bounds = rtpHeader.payloadBounds(msg);
      if (bounds) this.#detectDtmf(from, msg.subarray(bounds.start, bounds.end), ts);
      if (to.dtmfPt < 0) return this.#drop(from); // NOTE: no in-band tone synthesis (yet)
      if (to.dtmfPt !== pt) rtpHeader.writePayloadType(msg, to.dtmfPt);
    } else if (pt === from.codecPt) {
      const conv = from === this.a ? this.#aToB : this.#bToA;
      if (conv.kind !== 'none') {
        const bounds = rtpHeader.payloadBounds(msg);
        if (!bounds) return this.#drop(from);
        if (conv.kind === 'g711') {
          transcodeG711InPlace(msg, bounds.start, bounds.end, conv.toAlaw);
        } else {
          const payload = conv.transcode(msg.subarray(bounds.start, bounds.end));
          const rebuilt = new Uint8Array(bounds.start + payload.length);
          rebuilt.set(msg.subarray(0, bounds.start));
          rebuilt[0] = rebuilt[0]! & ~0x20; // padding dropped
          rebuilt.set(payload, bounds.start);
          out = rebuilt;
        }
        counters.transcoded++;
      }
      if (to.codecPt >= 0 && to.codecPt !== pt) rtpHeader.writePayloadType(out, to.codecPt);
    }
    // Other payload types (comfort noise, …) pass unchanged.

    if (!to.receives || to.rtpDstAddress === undefined) return this.#drop(from);
    const stream = to.out;
    stream.map(ssrc, seq, ts, now);
    if (!stream.passthrough) {
      rtpHeader.writeSsrc(out, stream.ssrc);
      rtpHeader.writeSequenceNumber(out, stream.seq);
      rtpHeader.writeTimestamp(out, stream.timestamp);
      // RFC 3550 §5.1: the marker flags a discontinuity the receiver should resync on.
      if (stream.sourceChanged) out[1] = out[1]! | 0x80;
    }
    to.rtpSocket.send(out, to.rtpDstPort, to.rtpDstAddress);
    to.packetsOut++;
    to.bytesOut += out.length;
    counters.packetsOut++;
    counters.bytesOut += out.length;
  }

  #detectDtmf(from: RelayLeg, payload: Uint8Array, timestamp: number): void {
    for (const d of from.dtmf.receive(payload, timestamp)) {
      this.#counters.dtmfDigits++;
      this.#emit({
        type: 'dtmf',
        relayId: this.id,
        leg: from.side,
        digit: d.digit,
        durationMs: d.durationMs,
      });
    }
  }

  #latched(leg: RelayLeg): void {
    leg.refreshDestinations();
    this.#emit({
      type: 'latched',
      relayId: this.id,
      leg: leg.side,
      address: leg.rtpLatch.address!,
      port: leg.rtpLatch.port,
    });
  }

  #onRtcp(from: RelayLeg, to: RelayLeg, msg: Buffer, rinfo: RemoteInfo): void {
    from.rtcpIn++;
    const parsed = parseRtcp(msg);
    if (!parsed.ok) return this.#drop(from);
    const first = parsed.value[0];
    const sender = first instanceof SenderReport || first instanceof ReceiverReport ? first.ssrc : 0;
    const decision = from.rtcpLatch.check(rinfo.address, rinfo.port, sender, performance.now());
    if (decision === LatchDecision.Reject) return this.#drop(from);
    if (decision === LatchDecision.Latched) from.refreshDestinations();
    for (const packet of parsed.value) {
      if (packet instanceof SenderReport || packet instanceof ReceiverReport) {
        const block = packet.reports[0];
        if (block) {
          from.remoteReport = {
            fractionLost: block.fractionLost / 256,
            cumulativeLost: block.cumulativeLost,
            jitter: block.jitter,
          };
        }
      }
    }
    if (this.rtcpMode === 'terminate' || to.rtcpDstAddress === undefined) return;
    to.rtcpSocket.send(msg, to.rtcpDstPort, to.rtcpDstAddress);
    to.rtcpOut++;
  }

  /** Periodic duties (the host calls this about once a second): timeouts, our own RTCP. */
  tick(now: number): void {
    for (const leg of [this.a, this.b]) {
      if (this.inactivityTimeoutMs <= 0 || !leg.sends || leg.remoteAddress === undefined) continue;
      const idle = now - leg.lastPacketMs;
      if (idle < this.inactivityTimeoutMs) {
        leg.timedOut = false;
      } else if (!leg.timedOut) {
        leg.timedOut = true;
        this.#counters.timeouts++;
        this.#emit({ type: 'timeout', relayId: this.id, leg: leg.side, idleMs: Math.round(idle) });
      }
    }
    if (this.rtcpMode === 'terminate' && now >= this.#nextReportMs) {
      // RFC 3550 §6.2: about every 5 s for a two-party session (randomised 0.5–1.5×).
      this.#nextReportMs = now + 5000 * (0.5 + Math.random());
      this.#sendReport(this.a);
      this.#sendReport(this.b);
    }
  }

  /** When terminating RTCP, each leg gets an SR about the stream we send it. */
  #sendReport(leg: RelayLeg): void {
    if (leg.rtcpDstAddress === undefined || leg.packetsOut === 0) return;
    const wall = Date.now() / 1000 + NTP_UNIX_OFFSET;
    const seconds = Math.floor(wall);
    const sr = new SenderReport({
      ssrc: leg.out.ssrc,
      ntpSeconds: seconds,
      ntpFraction: Math.floor((wall - seconds) * 0x100000000),
      rtpTimestamp: leg.out.timestamp,
      packetCount: leg.packetsOut,
      octetCount: Math.max(0, leg.bytesOut - 12 * leg.packetsOut),
      reports: leg.stats.received > 0 ? [leg.stats.reportBlock()] : [],
    });
    const sdes = new SourceDescription([
      { source: leg.out.ssrc, items: [{ type: 1, text: `relay-${this.id}` }] },
    ]);
    leg.rtcpSocket.send(serializeRtcp([sr, sdes]), leg.rtcpDstPort, leg.rtcpDstAddress);
    leg.rtcpOut++;
  }

  /** Stops listening; the host closes the sockets and returns the ports. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const leg of [this.a, this.b]) {
      leg.rtpSocket.removeAllListeners('message');
      leg.pair.rtcp?.removeAllListeners('message');
    }
  }
}

function conversion(from: RelayLeg, to: RelayLeg): Conversion {
  if (!from.codecName || !to.codecName || from.codecName === to.codecName) return NO_CONVERSION;
  if (from.codecName === 'PCMU' && to.codecName === 'PCMA') return { kind: 'g711', toAlaw: true };
  if (from.codecName === 'PCMA' && to.codecName === 'PCMU') return { kind: 'g711', toAlaw: false };
  const src = codecs.get(from.codecName);
  const dst = codecs.get(to.codecName);
  const transcode = src && dst ? createTranscoder(src, dst) : undefined;
  return transcode ? { kind: 'generic', transcode } : NO_CONVERSION;
}
