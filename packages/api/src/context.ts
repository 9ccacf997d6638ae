// What the API needs from the composition root (options) and what its services share (context).
import type { Repositories, User } from '@switchboard/db';
import type { AttemptLimiter } from './auth/attempt-limiter.ts';
import type { PasswordHasher } from './auth/password-hasher.ts';
import type { LiveHub } from './live/live-hub.ts';
import type { Mailer } from './mail/mailer.ts';
import type { PbxControl } from './pbx-apps/pbx-control.ts';
import type { TrunkControl } from './trunks/trunk-control.ts';

/** Live registrations of the built-in PBX (the registrar's location store and its events). */
export interface RegistrationSource {
  isRegistered(tenantId: string, username: string): Promise<boolean>;
  /** Calls back whenever an extension's registrations change; returns an unsubscribe function. */
  subscribe(listener: (tenantId: string, username: string) => void): () => void;
}

/** Where devices reach the built-in PBX. */
export interface SipEndpoint {
  /** Host or address devices send SIP to. */
  host(): string;
  port(): number;
}

export interface ApiLogger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

export interface ApiOptions {
  readonly repos: Repositories;
  readonly mailer: Mailer;
  /** Base URL of this server as users reach it (links in e-mail, QR codes), no trailing slash. */
  readonly publicUrl: () => string;
  readonly sip: SipEndpoint;
  readonly registrations?: RegistrationSource;
  readonly logger?: ApiLogger;
  /** Clock (ms since the epoch); tests inject one. */
  readonly now?: () => number;
  /** Parent domain of new organisations' SIP domains (`acme.<sipDomain>`); the first one gets it as is. */
  readonly sipDomain?: string;
  /** A device without heartbeat (and no live channel) for this long is Offline. Default 90 s. */
  readonly deviceOfflineAfterMs?: number;
  /** Heartbeat interval devices are told to use. Default 30 s. */
  readonly heartbeatIntervalSeconds?: number;
  readonly passwordHasher?: PasswordHasher;
  /** Interval of the presence sweep that pushes Online → Offline changes; 0 disables it. Default 10 s. */
  readonly presenceSweepMs?: number;
  /** The running PBX's conferences, recordings and voicemail (pbx-apps/); without it those routes answer 404. */
  readonly pbx?: PbxControl;
  /** The running PBX's SIP trunks (told of changes; live registrations); optional. */
  readonly trunks?: TrunkControl;
}

export interface Limiters {
  /** Failed logins per account (e-mail). */
  readonly loginAccount: AttemptLimiter;
  /** Failed logins per client address. */
  readonly loginAddress: AttemptLimiter;
  /** Failed activation codes per client address. */
  readonly activationAddress: AttemptLimiter;
  /** Password-reset and confirmation e-mails per address (stops mail bombing). */
  readonly mailAddress: AttemptLimiter;
}

export interface ApiContext {
  readonly repos: Repositories;
  readonly mailer: Mailer;
  readonly publicUrl: () => string;
  readonly sip: SipEndpoint;
  readonly registrations: RegistrationSource | undefined;
  readonly log: ApiLogger;
  readonly now: () => number;
  readonly hub: LiveHub;
  readonly limits: Limiters;
  readonly hasher: PasswordHasher;
  readonly sipDomain: string;
  readonly deviceOfflineAfterMs: number;
  readonly heartbeatIntervalSeconds: number;
  readonly pbx: PbxControl | undefined;
  readonly trunks: TrunkControl | undefined;
}

/** Who is calling an admin endpoint. */
export interface Actor {
  readonly user: User;
  readonly tenantId: string;
  readonly via: 'session' | 'token';
  /** The session id (hash) when via a session, for logout and password change. */
  readonly sessionId?: string;
  /** As shown in the audit log. */
  readonly label: string;
  readonly ip: string;
}
