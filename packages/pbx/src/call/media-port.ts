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
}
