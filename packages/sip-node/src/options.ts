// Options of the Node transports, with defaults chosen for a PBX facing the internet: every
// resource a remote peer can make us hold (connections, buffered bytes, time) has a bound.
import type { ParseLimits } from '@switchboard/sip';
import type { TransportLogger } from './logger.ts';
import { silentLogger } from './logger.ts';

/** Certificate and key (PEM) for TLS and WSS listeners; `ca` and checks for outbound TLS. */
export interface TlsOptions {
  readonly cert: string | Uint8Array;
  readonly key: string | Uint8Array;
  /** Trusted CAs for verifying peers (outbound TLS); defaults to Node's bundle. */
  readonly ca?: string | Uint8Array | readonly (string | Uint8Array)[];
  /** Verify the peer's certificate on outbound TLS. Default true. */
  readonly rejectUnauthorized?: boolean;
}

export interface NodeTransportOptions {
  readonly logger?: TransportLogger;
  /** Parser and framer limits; each missing field takes the parser's default. */
  readonly limits?: Partial<ParseLimits>;
  /** Most open stream and WebSocket connections in total. Default 4096. */
  readonly maxConnections?: number;
  /** Most open connections from one remote IP. Default 256. */
  readonly maxConnectionsPerHost?: number;
  /**
   * Time a peer has to complete a message once it started one, and to send its first message
   * after connecting (slowloris / half-open guard). Default 10 s.
   */
  readonly headerTimeoutMs?: number;
  /** A connection with no traffic either way for this long is closed. Default 15 min. */
  readonly idleTimeoutMs?: number;
  /** Time allowed to open an outbound connection (TCP connect + TLS handshake). Default 10 s. */
  readonly connectTimeoutMs?: number;
  /**
   * RFC 5626 §3.5.1 client-side keep-alive on connections we opened: a CRLFCRLF ping every
   * interval (randomised to 80–100 %, §4.4.1); 0 disables. Default 0.
   */
  readonly keepAliveIntervalMs?: number;
  /** A ping without a pong within this time fails the flow (§4.4.1: 10 s). Default 10 s. */
  readonly keepAliveTimeoutMs?: number;
  /**
   * The address to write in Via/Contact instead of the listening address (NAT, a public IP).
   * The port is kept from the listener when omitted.
   */
  readonly publicAddress?: { readonly host: string; readonly port?: number };
  /** Client certificate and trust for outbound TLS connections. */
  readonly tlsClient?: Partial<TlsOptions> & { readonly servername?: string };
}

export interface ResolvedOptions {
  readonly logger: TransportLogger;
  readonly limits: Partial<ParseLimits>;
  readonly framerLimits: { maxStartLine: number; maxHeaderBytes: number; maxBodyBytes: number };
  readonly maxConnections: number;
  readonly maxConnectionsPerHost: number;
  readonly headerTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly keepAliveIntervalMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly publicAddress: { readonly host: string; readonly port?: number } | undefined;
  readonly tlsClient: NodeTransportOptions['tlsClient'];
}

export const DEFAULT_LIMITS: ParseLimits = {
  maxStartLine: 8 * 1024,
  maxHeaderBytes: 64 * 1024,
  maxHeaderCount: 256,
  maxBodyBytes: 1024 * 1024,
};

export function resolveOptions(options: NodeTransportOptions): ResolvedOptions {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  return {
    logger: options.logger ?? silentLogger,
    limits: options.limits ?? {},
    framerLimits: {
      maxStartLine: limits.maxStartLine,
      maxHeaderBytes: limits.maxHeaderBytes,
      maxBodyBytes: limits.maxBodyBytes,
    },
    maxConnections: options.maxConnections ?? 4096,
    maxConnectionsPerHost: options.maxConnectionsPerHost ?? 256,
    headerTimeoutMs: options.headerTimeoutMs ?? 10_000,
    idleTimeoutMs: options.idleTimeoutMs ?? 15 * 60_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    keepAliveIntervalMs: options.keepAliveIntervalMs ?? 0,
    keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? 10_000,
    publicAddress: options.publicAddress,
    tlsClient: options.tlsClient,
  };
}
