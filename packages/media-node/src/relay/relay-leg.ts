import type { Socket } from 'node:dgram';
import {
  DtmfReceiver,
  OutboundStream,
  ReceiveStatistics,
  SourceLatch,
  type PayloadTranscoder,
} from '@switchboard/media';
import type { LegConfig, LegOptions, LegStats, LocalEndpoint, MediaDirection } from './relay-types.ts';
import type { LegPlayer } from './leg-player.ts';
import type { RelayRecorder } from '../recording/relay-recorder.ts';
import type { UdpPair } from './udp-pair.ts';

/** How a payload crosses from a leg to its peer. */
export type Conversion =
  | { readonly kind: 'none' }
  | { readonly kind: 'g711'; readonly toAlaw: boolean }
  | { readonly kind: 'generic'; readonly transcode: PayloadTranscoder };

export const NO_CONVERSION: Conversion = { kind: 'none' };

/**
 * One media leg: the sockets a phone talks to, what the phone negotiated, what has been seen
 * on them, and the leg it is connected to. Plain mutable fields: the forwarding path reads them
 * for every packet, so no getters, maps or allocations there.
 */
export class RelayLeg {
  readonly id: string;
  readonly pair: UdpPair;
  readonly inactivityTimeoutMs: number;
  readonly rtcpMode: 'forward' | 'terminate';
  readonly rtcpIntervalMs: number;
  readonly local: LocalEndpoint;
  readonly rtcpMux: boolean;
  readonly rtpLatch: SourceLatch;
  readonly rtcpLatch: SourceLatch;
  readonly stats = new ReceiveStatistics(8000);
  readonly dtmf = new DtmfReceiver(8000);
  /** The stream this relay sends to the phone. */
  readonly out = new OutboundStream(8000);
  /** The connected leg, where this phone's media goes. */
  peer: RelayLeg | undefined;
  /** How this phone's payload is converted for the peer's phone. */
  toPeer: Conversion = NO_CONVERSION;
  /** Audio played into this leg (music on hold…); while set, the peer's media is not forwarded here. */
  player: LegPlayer | undefined;
  /** A call recording this leg's phone feeds (recording/relay-recorder.ts), as channel 0 or 1. */
  recorder: { readonly recorder: RelayRecorder; readonly channel: 0 | 1 } | undefined;
  nextReportMs: number;

  // Negotiated (from the PBX).
  codecName: string | undefined;
  codecPt = -1;
  dtmfPt = -1;
  direction: MediaDirection = 'sendrecv';
  /** The phone sends (so we accept and expect its packets). */
  sends = true;
  /** The phone receives (so we forward to it). */
  receives = true;
  remoteAddress: string | undefined;
  remoteRtpPort = 0;
  remoteRtcpPort = 0;

  // Where packets go now: the latched source if any, else the SDP address.
  rtpDstAddress: string | undefined;
  rtpDstPort = 0;
  rtcpDstAddress: string | undefined;
  rtcpDstPort = 0;

  // Counters.
  packetsIn = 0;
  packetsOut = 0;
  bytesIn = 0;
  bytesOut = 0;
  dropped = 0;
  rtcpIn = 0;
  rtcpOut = 0;
  lastPacketMs: number;
  timedOut = false;
  remoteReport: LegStats['remoteReport'];

  constructor(id: string, pair: UdpPair, advertisedAddress: string, options: LegOptions, nowMs: number) {
    this.id = id;
    this.pair = pair;
    this.inactivityTimeoutMs = options.inactivityTimeoutMs ?? 0;
    this.rtcpMode = options.rtcp ?? 'forward';
    this.rtcpIntervalMs = options.rtcpIntervalMs ?? 5000;
    this.nextReportMs = nowMs + this.rtcpIntervalMs;
    const relatchAfterMs = options.relatchAfterMs ?? 1000;
    this.rtcpMux = pair.rtcp === undefined;
    this.local = {
      address: advertisedAddress,
      rtpPort: pair.rtpPort,
      rtcpPort: this.rtcpMux ? pair.rtpPort : pair.rtpPort + 1,
    };
    this.rtpLatch = new SourceLatch(relatchAfterMs);
    this.rtcpLatch = new SourceLatch(relatchAfterMs);
    this.lastPacketMs = nowMs;
  }

  get rtpSocket(): Socket {
    return this.pair.rtp;
  }

  get rtcpSocket(): Socket {
    return this.pair.rtcp ?? this.pair.rtp;
  }

  /** Applies the phone's negotiated parameters. A new remote address unlatches (re-INVITE). */
  configure(config: LegConfig, nowMs: number): void {
    if (config.codec) {
      this.codecName = config.codec.name.toUpperCase();
      this.codecPt = config.codec.payloadType;
    }
    if (config.telephoneEventPayloadType !== undefined) this.dtmfPt = config.telephoneEventPayloadType;
    if (config.direction) {
      this.direction = config.direction;
      this.sends = config.direction === 'sendrecv' || config.direction === 'sendonly';
      this.receives = config.direction === 'sendrecv' || config.direction === 'recvonly';
    }
    if (config.remote) {
      const r = config.remote;
      const changed = r.address !== this.remoteAddress || r.rtpPort !== this.remoteRtpPort;
      // RFC 3264 §8.4: c=0.0.0.0 is an old way to hold; there is nowhere to send.
      this.remoteAddress =
        r.address === '0.0.0.0' || r.address === '::' || r.rtpPort === 0 ? undefined : r.address;
      this.remoteRtpPort = r.rtpPort;
      this.remoteRtcpPort = this.rtcpMux ? r.rtpPort : (r.rtcpPort ?? r.rtpPort + 1);
      if (changed) {
        this.rtpLatch.reset();
        this.rtcpLatch.reset();
      }
      this.lastPacketMs = nowMs;
      this.timedOut = false;
    }
    this.refreshDestinations();
  }

  refreshDestinations(): void {
    if (this.rtpLatch.latched) {
      this.rtpDstAddress = this.rtpLatch.address;
      this.rtpDstPort = this.rtpLatch.port;
    } else {
      this.rtpDstAddress = this.remoteAddress;
      this.rtpDstPort = this.remoteRtpPort;
    }
    if (this.rtcpLatch.latched) {
      this.rtcpDstAddress = this.rtcpLatch.address;
      this.rtcpDstPort = this.rtcpLatch.port;
    } else if (this.rtcpMux) {
      this.rtcpDstAddress = this.rtpDstAddress;
      this.rtcpDstPort = this.rtpDstPort;
    } else if (this.rtpLatch.latched) {
      // Symmetric RTCP is usually RTP port + 1 on the same NAT binding's host.
      this.rtcpDstAddress = this.rtpLatch.address;
      this.rtcpDstPort = this.remoteRtcpPort || this.rtpLatch.port + 1;
    } else {
      this.rtcpDstAddress = this.remoteAddress;
      this.rtcpDstPort = this.remoteRtcpPort;
    }
  }

  snapshot(): LegStats {
    return {
      packetsIn: this.packetsIn,
      packetsOut: this.packetsOut,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      packetsLost: this.stats.totalLost,
      jitterMs: this.stats.jitterMs,
      packetsDropped: this.dropped,
      rtcpIn: this.rtcpIn,
      rtcpOut: this.rtcpOut,
      latched: this.rtpLatch.latched
        ? { address: this.rtpLatch.address!, port: this.rtpLatch.port }
        : undefined,
      remoteReport: this.remoteReport,
    };
  }
}
