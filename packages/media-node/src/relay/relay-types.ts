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

export interface RelayOptions {
  /** Raise `timeout` when a leg that should send has been silent this long (0 = never). */
  readonly inactivityTimeoutMs?: number;
  /** RTCP: forward each phone's reports to the other (default), or answer them here. */
  readonly rtcp?: 'forward' | 'terminate';
  /** Symmetric RTP re-latch after the latched source is silent this long. */
  readonly relatchAfterMs?: number;
  /** Allocate the legs with rtcp-mux: no separate RTCP port. */
  readonly rtcpMux?: boolean;
  readonly a?: LegConfig;
  readonly b?: LegConfig;
}

export type RelayEvent =
  | {
      readonly type: 'dtmf';
      readonly relayId: string;
      readonly leg: LegSide;
      readonly digit: string;
      readonly durationMs: number;
    }
  | {
      readonly type: 'latched';
      readonly relayId: string;
      readonly leg: LegSide;
      readonly address: string;
      readonly port: number;
    }
  | { readonly type: 'timeout'; readonly relayId: string; readonly leg: LegSide; readonly idleMs: number };

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
  activeRelays: number;
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
  activeRelays: 0,
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

export interface RelayInfo {
  readonly id: string;
  readonly a: LocalEndpoint;
  readonly b: LocalEndpoint;
}
