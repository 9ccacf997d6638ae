/**
 * The vocabulary of WebRTC endpoints: what the PBX writes into SDP, what it learns from the
 * browser's SDP, what it is told and what it can read. Plain data, so the same shapes cross a
 * worker-thread boundary unchanged.
 */
import type { SrtpProfile } from './srtp-keys.ts';

/** One ICE host candidate of ours (RFC 8839 §5.1). */
export interface IceHostCandidate {
  readonly foundation: string;
  /** 1 = RTP; with rtcp-mux there is no component 2. */
  readonly component: 1;
  readonly transport: 'udp';
  readonly priority: number;
  readonly address: string;
  readonly port: number;
  readonly type: 'host';
}

/** Our side of the secure transport: what goes into the SDP sent to the browser. */
export interface WebRtcLocalDescription {
  readonly iceUfrag: string;
  readonly icePwd: string;
  /** Always true: we are an ICE-lite agent (RFC 8445 §2.5), write `a=ice-lite`. */
  readonly iceLite: true;
  readonly fingerprint: { readonly algorithm: string; readonly value: string };
  readonly candidates: readonly IceHostCandidate[];
  /** The first candidate's address and port: the c= line and the m= port. */
  readonly address: string;
  readonly port: number;
}

/** The browser's side, from its SDP. */
export interface WebRtcRemoteDescription {
  readonly iceUfrag: string;
  readonly icePwd: string;
  readonly fingerprints: readonly { readonly algorithm: string; readonly value: string }[];
  /** Our DTLS role, decided by the a=setup exchange (RFC 5763 §5, RFC 8842 §5). */
  readonly dtlsRole: 'server' | 'client';
}

/** The plain RTP leg an endpoint bridges to (a relay leg's sockets). */
export interface PlainRtpTarget {
  readonly address: string;
  readonly rtpPort: number;
  readonly rtcpPort: number;
}

export interface WebRtcEndpointOptions {
  /** Where decrypted RTP goes (and whose RTP is encrypted toward the browser). */
  readonly media: PlainRtpTarget;
  /**
   * Raise `timeout` when neither ICE consent checks (RFC 7675: every 5 s or so from a browser)
   * nor media arrived for this long after the remote description was set. 0 = never.
   */
  readonly inactivityTimeoutMs?: number;
}

export interface WebRtcEndpointInfo {
  readonly id: string;
  readonly local: WebRtcLocalDescription;
  /** Our plain-RTP socket: the relay leg sends RTP and RTCP here (configure it as the leg's remote). */
  readonly plain: { readonly address: string; readonly port: number };
}

export type WebRtcState = 'new' | 'checking' | 'connected' | 'closed';

export type WebRtcEvent =
  | {
      readonly type: 'connected';
      readonly endpointId: string;
      readonly profile: SrtpProfile;
      readonly address: string;
      readonly port: number;
    }
  | { readonly type: 'closed'; readonly endpointId: string; readonly reason: string }
  | { readonly type: 'timeout'; readonly endpointId: string; readonly idleMs: number };

export interface WebRtcStats {
  readonly state: WebRtcState;
  readonly profile: SrtpProfile | undefined;
  /** The browser's address on the nominated pair. */
  readonly remote: { readonly address: string; readonly port: number } | undefined;
  readonly iceChecks: number;
  /** SRTP/SRTCP packets from the browser, decrypted and forwarded to the relay leg. */
  readonly packetsIn: number;
  /** Packets from the relay leg, encrypted and sent to the browser. */
  readonly packetsOut: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** Packets that failed authentication or replay checks. */
  readonly srtpErrors: number;
  /** Packets dropped: before DTLS finished, from an unchecked address, or malformed. */
  readonly dropped: number;
}

/** Counters of one thread's endpoints, for Prometheus. */
export interface WebRtcCounters {
  activeEndpoints: number;
  connected: number;
  packetsIn: number;
  packetsOut: number;
  srtpErrors: number;
  dropped: number;
  timeouts: number;
}

export const zeroWebRtcCounters = (): WebRtcCounters => ({
  activeEndpoints: 0,
  connected: 0,
  packetsIn: 0,
  packetsOut: 0,
  srtpErrors: 0,
  dropped: 0,
  timeouts: 0,
});
