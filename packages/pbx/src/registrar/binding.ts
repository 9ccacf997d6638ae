// A registered contact of an extension (RFC 3261 §10.3): where and how to reach one device.

/** The transport a binding was registered over; calls reuse it to reach a NATed phone. */
export type BindingTransport = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';

export interface Binding {
  readonly tenantId: string;
  /** The extension (SIP user) this device registered for. */
  readonly username: string;
  /** The Contact URI as the phone wrote it. */
  readonly contact: string;
  /** Address the REGISTER really came from (RFC 3581 / NAT): requests go here. */
  readonly source: { readonly transport: BindingTransport; readonly host: string; readonly port: number };
  /** Id of the connection the REGISTER arrived on (stream transports), to reach the phone back. */
  readonly connectionId: string | undefined;
  /** Call-ID and CSeq of the REGISTER that made or refreshed the binding (§10.3 step 7). */
  readonly callId: string;
  readonly cseq: number;
  /** Absolute expiry time, ms since the epoch (clock time). */
  readonly expiresAt: number;
  readonly q: number | undefined;
  readonly userAgent: string | undefined;
  /** RFC 5626 instance id (`+sip.instance`), when the phone sent one. */
  readonly instanceId: string | undefined;
}

/** Why a binding list changed; published for live "SIP status". */
export type BindingChange =
  | { readonly kind: 'added'; readonly binding: Binding }
  | { readonly kind: 'refreshed'; readonly binding: Binding }
  | {
      readonly kind: 'removed';
      readonly binding: Binding;
      readonly reason: 'unregistered' | 'expired' | 'replaced' | 'unreachable' | 'connection-closed';
    };
