// Configuration of a UserAgent.
import type { Clock } from '../core/clock.ts';
import type { SipLogger } from '../core/logger.ts';
import type { RandomSource } from '../core/random.ts';
import type { TimerValues } from '../core/timer-values.ts';
import type { SipTransport, TransportProtocol } from '../core/transport.ts';
import type { SessionTimerOptions } from '../dialog/session-timer.ts';
import type { ResponseRoutingOptions } from '../nat/response-destination.ts';
import type { UacAuthenticator } from './authenticator.ts';
import type { AdmissionControl } from './overload-guard.ts';

export interface UserAgentOptions {
  readonly clock: Clock;
  readonly transport: SipTransport;
  /** Our address of record, the default From of requests we start (`sip:alice@example.com`). */
  readonly aor?: string;
  readonly displayName?: string;
  /** User part of our Contact (default: the AOR's user, else `switchboard`). */
  readonly contactUser?: string;
  /** A fixed Contact URI instead of one built from the transport's local address. */
  readonly contact?: string;
  /** Outbound proxy: preloaded as a loose Route on requests outside dialogs (`sip:proxy;lr`). */
  readonly outboundProxy?: string;
  /** User-Agent / Server header value. */
  readonly userAgent?: string;
  /** Answers 401/407 for requests that do not bring their own authenticator. */
  readonly authenticator?: UacAuthenticator;
  readonly timers?: Partial<TimerValues>;
  readonly sessionTimers?: Partial<SessionTimerOptions>;
  /** RFC 3262: offer (`supported`, default), demand (`required`) or refuse (`none`) 100rel. */
  readonly reliableProvisional?: 'supported' | 'required' | 'none';
  /** Where responses go (default: back to the source address and port). */
  readonly responseRouting?: ResponseRoutingOptions;
  /** Transport for URIs without a `transport` parameter (default UDP). */
  readonly defaultProtocol?: TransportProtocol;
  readonly logger?: SipLogger;
  /** Refuses new requests outside dialogs with 503 + Retry-After under overload (§21.5.4). */
  readonly admission?: AdmissionControl;
  /** Random bytes for tags, branches and Call-IDs (default Web Crypto). */
  readonly random?: RandomSource;
}
