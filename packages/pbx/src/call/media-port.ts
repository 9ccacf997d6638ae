// What a call needs from the media engine, declared here so the PBX never depends on sockets
// (ARCHITECTURE.md: pbx depends on interfaces it declares). @switchboard/media-node's
// MediaEngine satisfies it; the server passes it in.

export interface MediaLocalEndpoint {
  readonly address: string;
  readonly rtpPort: number;
  readonly rtcpPort: number;
}

export interface MediaLegSettings {
  readonly remote?: { readonly address: string; readonly rtpPort: number; readonly rtcpPort?: number };
  readonly codec?: { readonly name: string; readonly payloadType: number; readonly clockRate?: number };
  readonly telephoneEventPayloadType?: number;
  readonly direction?: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
  readonly rtcpMux?: boolean;
}

export interface MediaRelayStats {
  readonly a: { readonly packetsIn: number; readonly packetsOut: number; readonly packetsLost: number };
  readonly b: { readonly packetsIn: number; readonly packetsOut: number; readonly packetsLost: number };
}

/** A two-leg anchor: leg `a` faces the caller, leg `b` the callee. */
export interface MediaRelayHandle {
  readonly id: string;
  readonly a: MediaLocalEndpoint;
  readonly b: MediaLocalEndpoint;
  configure(update: { a?: MediaLegSettings; b?: MediaLegSettings }): Promise<void>;
  close(): Promise<MediaRelayStats | undefined>;
  /** Plays audio into one leg instead of the other phone's media (music on hold, ringback). */
  play?(leg: 'a' | 'b', audio: PlaybackAudio, options?: { loop?: boolean }): Promise<void>;
  /** Stops playing: the leg's phone hears the other phone again. */
  stopPlayback?(leg: 'a' | 'b'): Promise<void>;
  /** Records both phones into a WAV file (mixed, or caller left and callee right) until stopped. */
  record?(options: { readonly file: string; readonly channels?: 1 | 2 }): Promise<void>;
  /** Stops recording; resolves once the file is complete (undefined when not recording). */
  stopRecording?(): Promise<
    { readonly file: string; readonly durationMs: number; readonly channels: number } | undefined
  >;
}

/** 16-bit mono samples at 8 kHz, played into a leg in whatever G.711 law it negotiated. */
export interface PlaybackAudio {
  readonly sampleRate: number;
  readonly samples: Int16Array;
}

export interface MediaRelayEvents {
  onDtmf?(leg: 'a' | 'b', digit: string, durationMs: number): void;
  onTimeout?(leg: 'a' | 'b', idleMs: number): void;
}

export interface MediaPort {
  createRelay(options: {
    inactivityTimeoutMs?: number;
    delegate?: MediaRelayEvents;
  }): Promise<MediaRelayHandle>;
  /** Browser legs (WebRTC); without it, WebRTC offers are refused with 488. */
  readonly webrtc?: WebRtcMediaPort;
}

// ─── WebRTC legs ─────────────────────────────────────────────────────────────────────────
// A browser's media arrives over ICE + DTLS-SRTP (RFC 8829). A WebRTC leg terminates that in
// front of a relay leg: the relay leg's "phone" is the WebRTC leg's plain socket, so the relay
// (payload types, transcoding, DTMF, RTCP) works as for any phone.

/** Our side of a browser leg, for the SDP we send it (RFC 8839 ICE, RFC 8842 DTLS). */
export interface WebRtcLocalTransport {
  readonly iceUfrag: string;
  readonly icePwd: string;
  /** We are ICE-lite (RFC 8445 §2.5): the browser checks, we answer. */
  readonly iceLite: boolean;
  readonly fingerprint: { readonly algorithm: string; readonly value: string };
  readonly candidates: readonly {
    readonly foundation: string;
    readonly component: number;
    readonly transport: string;
    readonly priority: number;
    readonly address: string;
    readonly port: number;
    readonly type: string;
  }[];
  /** c= address and m= port (the first candidate). */
  readonly address: string;
  readonly port: number;
}

/** What the browser's SDP says about its transport, and the DTLS role that leaves us. */
export interface WebRtcRemoteTransport {
  readonly iceUfrag: string;
  readonly icePwd: string;
  readonly fingerprints: readonly { readonly algorithm: string; readonly value: string }[];
  readonly dtlsRole: 'server' | 'client';
}

export interface WebRtcLegHandle {
  readonly local: WebRtcLocalTransport;
  /** Where the relay leg sends (set it as the relay leg's remote address). */
  readonly plain: { readonly address: string; readonly port: number };
  setRemote(remote: WebRtcRemoteTransport): Promise<void>;
  /**
   * Binds the leg to another relay leg or endpoint (a browser moved by a transfer or into a
   * conference): its ICE/DTLS session goes on, only the plain side changes.
   */
  moveTo?(relay: MediaLocalEndpoint): Promise<void>;
  close(): Promise<unknown>;
}

export interface WebRtcLegEvents {
  /** The browser ended DTLS (hang-up), or its certificate did not match its SDP. */
  onClosed?(reason: string): void;
  /** No ICE consent checks and no media for the inactivity timeout: the browser is gone. */
  onTimeout?(idleMs: number): void;
}

export interface WebRtcMediaPort {
  /** A browser leg bridged to `relay` (one leg of a relay created by `createRelay`). */
  createWebRtcLeg(options: {
    relay: MediaLocalEndpoint;
    inactivityTimeoutMs?: number;
    delegate?: WebRtcLegEvents;
  }): Promise<WebRtcLegHandle>;
}
