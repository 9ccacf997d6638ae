/**
 * The relay's vocabulary: what the PBX configures, what it is told, what it can read. All
 * plain data, so the same shapes cross a worker-thread boundary unchanged.
 */

/** Which of the two legs of a relay. */
export type LegSide = 'a' | 'b';

/** Where a leg listens: what the PBX puts in its SDP (c= and m= lines). */
export interface LocalEndpoint {
  readonly address: string;
  readonly rtpPort: number;
  /** Equal to rtpPort with rtcp-mux (RFC 5761). */
  readonly rtcpPort: number;
}

/** Where the phone said it listens (its SDP). Latching may override it (symmetric RTP). */
export interface RemoteEndpoint {
  readonly address: string;
  readonly rtpPort: number;
  /** RFC 3605 a=rtcp, or rtpPort + 1 when absent; ignored with rtcp-mux. */
  readonly rtcpPort?: number;
}

export interface LegCodec {
  /** Encoding name as in a=rtpmap, e.g. "PCMU", "PCMA". */
  readonly name: string;
  readonly payloadType: number;
  readonly clockRate?: number;
}

/** RFC 3264 §5.1 direction as the phone declared it in its SDP. */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface LegConfig {
  readonly remote?: RemoteEndpoint;
  readonly codec?: LegCodec;
  /** Payload type of telephone-event (RFC 4733) on this leg, if negotiated. */
  readonly telephoneEventPayloadType?: number;
  readonly direction?: MediaDirection;
  readonly rtcpMux?: boolean;
}

/** How a leg is allocated: its sockets and its behaviour (fixed for the leg's life). */
export interface LegOptions {
  /** Raise `timeout` when the phone should send but has been silent this long (0 = never). */
  readonly inactivityTimeoutMs?: number;
  /** RTCP: forward the phone's reports to the connected leg (default), or answer them here. */
  readonly rtcp?: 'forward' | 'terminate';
  /** RTCP report interval when terminating (RFC 3550 §6.2: 5 s, randomised 0.5–1.5×). */
  readonly rtcpIntervalMs?: number;
  /** Symmetric RTP: re-latch after the latched source is silent this long. */
  readonly relatchAfterMs?: number;
  /** One port for RTP and RTCP (RFC 5761). */
  readonly rtcpMux?: boolean;
  /** Allocate on the same thread as this leg, so the two can be connected. */
  readonly near?: string;
}

/** Options of the two-leg convenience: the same for both legs, plus each leg's SDP. */
export interface RelayOptions extends Omit<LegOptions, 'near'> {
  readonly a?: LegConfig;
  readonly b?: LegConfig;
}

export type LegEvent =
  | { readonly type: 'dtmf'; readonly legId: string; readonly digit: string; readonly durationMs: number }
  | { readonly type: 'latched'; readonly legId: string; readonly address: string; readonly port: number }
  | { readonly type: 'timeout'; readonly legId: string; readonly idleMs: number };

export interface LegStats {
  readonly packetsIn: number;
  readonly packetsOut: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** RTP packets lost on the way in from the phone (RFC 3550 A.3), all sources added up. */
  readonly packetsLost: number;
  /** Interarrival jitter of what the phone sends us, in ms (RFC 3550 A.8). */
  readonly jitterMs: number;
  /** Packets dropped: not from the latched source, malformed, or the leg not sending. */
  readonly packetsDropped: number;
  readonly rtcpIn: number;
  readonly rtcpOut: number;
  readonly latched: { readonly address: string; readonly port: number } | undefined;
  /** What the phone's own RTCP said about the stream we send it. */
  readonly remoteReport:
    { readonly fractionLost: number; readonly cumulativeLost: number; readonly jitter: number } | undefined;
}

export interface RelayStats {
  readonly a: LegStats;
  readonly b: LegStats;
}

/** Counters of one relay host (thread), for Prometheus. */
export interface MediaCounters {
  activeLegs: number;
  packetsIn: number;
  packetsOut: number;
  packetsLost: number;
  packetsDropped: number;
  bytesIn: number;
  bytesOut: number;
  transcoded: number;
  dtmfDigits: number;
  timeouts: number;
}

export const zeroCounters = (): MediaCounters => ({
  activeLegs: 0,
  packetsIn: 0,
  packetsOut: 0,
  packetsLost: 0,
  packetsDropped: 0,
  bytesIn: 0,
  bytesOut: 0,
  transcoded: 0,
  dtmfDigits: 0,
  timeouts: 0,
});

export interface LegInfo {
  readonly id: string;
  readonly local: LocalEndpoint;
}
