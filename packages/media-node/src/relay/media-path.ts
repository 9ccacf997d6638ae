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
} from '@switchboard/media';
import { NO_CONVERSION, type Conversion, type RelayLeg } from './relay-leg.ts';
import type { LegEvent, MediaCounters } from './relay-types.ts';

/**
 * The media path of a leg: phone ⇄ leg ⇄ peer leg ⇄ other phone. Each packet from a phone is
 * checked against the leg's latch (symmetric RTP), counted, its payload type mapped (and its
 * payload transcoded PCMU⇄PCMA when the legs' codecs differ), its sequence/timestamp/SSRC
 * continued by the peer's outbound stream, and sent on the peer's socket. RFC 4733 events are
 * mapped between the legs' telephone-event payload types and detected on the way. A leg with
 * no peer still latches, counts and detects DTMF; its media goes nowhere.
 */
export interface PathContext {
  readonly counters: MediaCounters;
  readonly emit: (event: LegEvent) => void;
}

const codecs = defaultCodecRegistry();

/** Seconds between 1900 (NTP epoch) and 1970 (Unix epoch), RFC 3550 §4. */
const NTP_UNIX_OFFSET = 2_208_988_800;

/** Starts listening on a leg's sockets. */
export function wireLeg(leg: RelayLeg, ctx: PathContext): void {
  leg.rtpSocket.on('message', (msg: Buffer, rinfo: RemoteInfo) => onRtp(leg, msg, rinfo, ctx));
  leg.pair.rtcp?.on('message', (msg: Buffer, rinfo: RemoteInfo) => onRtcp(leg, msg, rinfo, ctx));
  // A send to an unreachable phone may report ICMP errors here; they must not crash the host.
  leg.rtpSocket.on('error', () => leg.dropped++);
  leg.pair.rtcp?.on('error', () => leg.dropped++);
}

export function unwireLeg(leg: RelayLeg): void {
  leg.rtpSocket.removeAllListeners('message');
  leg.pair.rtcp?.removeAllListeners('message');
}

/** Recomputes how media converts between a leg and its peer (after configure or connect). */
export function refreshConversion(leg: RelayLeg): void {
  const peer = leg.peer;
  leg.toPeer = peer ? conversion(leg, peer) : NO_CONVERSION;
  if (peer) peer.toPeer = conversion(peer, leg);
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

function drop(leg: RelayLeg, ctx: PathContext): void {
  leg.dropped++;
  ctx.counters.packetsDropped++;
}

/** The forwarding path: runs for every RTP packet, so it reads and rewrites bytes in place. */
export function onRtp(from: RelayLeg, msg: Buffer, rinfo: RemoteInfo, ctx: PathContext): void {
  const counters = ctx.counters;
  // RFC 5761 §4: RTCP on the RTP port (rtcp-mux, or a phone that assumes it) by its type.
  // Checked first: an RTCP packet can be shorter than an RTP header.
  if (msg.length >= 8 && rtpHeader.isRtcpInMux(msg)) return onRtcp(from, msg, rinfo, ctx);
  if (!rtpHeader.isRtpLike(msg)) return drop(from, ctx);
  const now = performance.now();
  from.packetsIn++;
  from.bytesIn += msg.length;
  counters.packetsIn++;
  counters.bytesIn += msg.length;
  const ssrc = rtpHeader.readSsrc(msg);
  // Packets from exactly the address the phone signalled (its SDP) take the latch back from any
  // other source: after a transfer the leaving phone's last packets must not hold the leg.
  const latch = from.rtpLatch;
  if (latch.latched && rinfo.port === from.remoteRtpPort && rinfo.address === from.remoteAddress)
    if (latch.port !== rinfo.port || latch.address !== rinfo.address) latch.reset();
  const decision = latch.check(rinfo.address, rinfo.port, ssrc, now);
  if (decision === LatchDecision.Reject) return drop(from, ctx);
  if (decision === LatchDecision.Latched) {
    from.refreshDestinations();
    ctx.emit({ type: 'latched', legId: from.id, address: rinfo.address, port: rinfo.port });
  }
  from.lastPacketMs = now;
  const seq = rtpHeader.readSequenceNumber(msg);
  const ts = rtpHeader.readTimestamp(msg);
  from.stats.update(ssrc, seq, ts, now);
  if (!from.sends) return drop(from, ctx);
  // A recording hears the phone's packet before anything below rewrites it.
  from.recorder?.recorder.onRtp(from.recorder.channel, from, msg, now);

  // A leg playing audio (leg-player.ts) hears the player, not its peer.
  const to = from.peer?.player ? undefined : from.peer;
  let out: Uint8Array = msg;
  const pt = rtpHeader.readPayloadType(msg);
  if (pt === from.dtmfPt) {
    const bounds = rtpHeader.payloadBounds(msg);
    if (bounds) detectDtmf(from, msg.subarray(bounds.start, bounds.end), ts, ctx);
    if (!to || to.dtmfPt < 0) return drop(from, ctx); // NOTE: no in-band tone synthesis (yet)
    if (to.dtmfPt !== pt) rtpHeader.writePayloadType(msg, to.dtmfPt);
  } else if (!to) {
    return drop(from, ctx);
  } else if (pt === from.codecPt) {
    const conv = from.toPeer;
    if (conv.kind !== 'none') {
      const bounds = rtpHeader.payloadBounds(msg);
      if (!bounds) return drop(from, ctx);
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

  if (!to.receives || to.rtpDstAddress === undefined) return drop(from, ctx);
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

function detectDtmf(from: RelayLeg, payload: Uint8Array, timestamp: number, ctx: PathContext): void {
  for (const d of from.dtmf.receive(payload, timestamp)) {
    ctx.counters.dtmfDigits++;
    ctx.emit({ type: 'dtmf', legId: from.id, digit: d.digit, durationMs: d.durationMs });
  }
}

export function onRtcp(from: RelayLeg, msg: Buffer, rinfo: RemoteInfo, ctx: PathContext): void {
  from.rtcpIn++;
  const parsed = parseRtcp(msg);
  if (!parsed.ok) return drop(from, ctx);
  const first = parsed.value[0];
  const sender = first instanceof SenderReport || first instanceof ReceiverReport ? first.ssrc : 0;
  const decision = from.rtcpLatch.check(rinfo.address, rinfo.port, sender, performance.now());
  if (decision === LatchDecision.Reject) return drop(from, ctx);
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
  const to = from.peer;
  if (from.rtcpMode === 'terminate' || !to || to.rtcpDstAddress === undefined) return;
  to.rtcpSocket.send(msg, to.rtcpDstPort, to.rtcpDstAddress);
  to.rtcpOut++;
}

/** Periodic duties of a leg (the host calls this a few times a second): timeout, own RTCP. */
export function tickLeg(leg: RelayLeg, now: number, ctx: PathContext): void {
  if (leg.inactivityTimeoutMs > 0 && leg.sends && leg.remoteAddress !== undefined) {
    const idle = now - leg.lastPacketMs;
    if (idle < leg.inactivityTimeoutMs) {
      leg.timedOut = false;
    } else if (!leg.timedOut) {
      leg.timedOut = true;
      ctx.counters.timeouts++;
      ctx.emit({ type: 'timeout', legId: leg.id, idleMs: Math.round(idle) });
    }
  }
  if (leg.rtcpMode === 'terminate' && now >= leg.nextReportMs) {
    // RFC 3550 §6.2: randomised over 0.5–1.5 × the interval.
    leg.nextReportMs = now + leg.rtcpIntervalMs * (0.5 + Math.random());
    sendReport(leg);
  }
}

/**
 * When terminating RTCP, the relay is the phone's RTCP peer: an SR about the stream it sends
 * the phone, with a report block about the stream it receives (RFC 3550 §6.4.1), and SDES.
 */
function sendReport(leg: RelayLeg): void {
  if (leg.rtcpDstAddress === undefined || (leg.packetsOut === 0 && leg.stats.received === 0)) return;
  const wall = Date.now() / 1000 + NTP_UNIX_OFFSET;
  const seconds = Math.floor(wall);
  const reports = leg.stats.received > 0 ? [leg.stats.reportBlock()] : [];
  const ssrc = leg.out.ssrc || 0x5b0a0000;
  const report =
    leg.packetsOut > 0
      ? new SenderReport({
          ssrc,
          ntpSeconds: seconds,
          ntpFraction: Math.floor((wall - seconds) * 0x100000000),
          rtpTimestamp: leg.out.timestamp,
          packetCount: leg.packetsOut,
          octetCount: Math.max(0, leg.bytesOut - 12 * leg.packetsOut),
          reports,
        })
      : new ReceiverReport({ ssrc, reports });
  const sdes = new SourceDescription([{ source: ssrc, items: [{ type: 1, text: `switchboard-${leg.id}` }] }]);
  leg.rtcpSocket.send(serializeRtcp([report, sdes]), leg.rtcpDstPort, leg.rtcpDstAddress);
  leg.rtcpOut++;
}
