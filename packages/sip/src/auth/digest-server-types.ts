// Options, inputs and results of DigestServer (digest-server.ts), kept apart so a reader sees
// the whole contract on one screen.

import type { DigestAlgorithm, DigestHasher, DigestHashName, DigestQop } from './digest-algorithm.ts';
import type { HmacSha256 } from './stateless-nonce.ts';
import type { NonceCountStore } from './nonce-count-store.ts';

/** Time source, in milliseconds (inject a fake one in tests). */
export interface AuthClock {
  now(): number;
}

/** Cryptographically strong random bytes (crypto.getRandomValues in Node and browsers). */
export type RandomBytes = (length: number) => Uint8Array;

/** Native hash functions a host may bring for speed; each must equal the pure-JS default. */
export interface DigestCrypto {
  /** H() of the Digest computations (default digestHash, @noble/hashes). */
  readonly hash?: DigestHasher;
  /** HMAC-SHA-256 sealing nonces and deriving opaque (default hmacSha256, @noble/hashes). */
  readonly hmacSha256?: HmacSha256;
}

export interface DigestServerOptions {
  /** Faster (native) hashes; the defaults are pure JS and run anywhere. */
  readonly crypto?: DigestCrypto;
  /** HMAC key for nonces, shared by every node that verifies them; at least 16 bytes. */
  readonly secret: Uint8Array;
  /** Former secrets still accepted while a rotation settles. */
  readonly previousSecrets?: readonly Uint8Array[];
  readonly clock: AuthClock;
  readonly randomBytes: RandomBytes;
  /** How long a nonce stays fresh (ms). Default 300 000 (5 minutes). */
  readonly nonceTtlMs?: number;
  /** How far in the future a nonce's issue time may be (clock skew between nodes). Default 30 000. */
  readonly maxClockSkewMs?: number;
  /**
   * Hash functions offered, one challenge each, most preferred first. Default
   * ['SHA-256', 'MD5']: RFC 8760 has the UAS list its preferred algorithm first, and MD5
   * stays for the many phones that know nothing else.
   */
  readonly algorithms?: readonly DigestHashName[];
  /** qop values offered. Default ['auth']. */
  readonly qop?: readonly DigestQop[];
  /** Replay protection store. Default: a bounded InMemoryNonceCountStore. */
  readonly nonceCounts?: NonceCountStore;
  /**
   * Accept credentials without qop (RFC 2069 clients). Such a nonce is then good for one
   * request only, as if nc were 1. Default true.
   */
  readonly allowNoQop?: boolean;
  /**
   * Does the credentials' digest-uri designate the request-URI? Default: exact string match.
   * Inject a SIP URI comparison (RFC 3261 §19.1.4) if phones rewrite the URI.
   */
  readonly uriMatches?: (digestUri: string, requestUri: string) => boolean;
}

/**
 * What the server knows about a user: the password, or stored HA1 values
 * (H(username ":" realm ":" password), see computeHa1), one per hash function it offers.
 */
export type DigestSecret =
  { readonly password: string } | { readonly ha1: Readonly<Partial<Record<DigestHashName, string>>> };

/** Finds a user's secret; undefined when the user does not exist. */
export type DigestSecretLookup = (
  username: string,
  realm: string,
) => DigestSecret | undefined | Promise<DigestSecret | undefined>;

export interface DigestVerifyRequest {
  /** Every Authorization (or, for a proxy, Proxy-Authorization) row of the request. */
  readonly headers: readonly string[];
  /** The realm this server authenticates for; credentials for other realms are ignored. */
  readonly realm: string;
  readonly method: string;
  /** The request-URI as it appears on the request line. */
  readonly requestUri: string;
  /** Body, needed only if qop=auth-int is offered. */
  readonly body?: string | Uint8Array;
  readonly lookup: DigestSecretLookup;
}

export type DigestFailureReason =
  /** No Digest credentials for this realm: send a challenge. */
  | 'missing'
  /** Credentials unreadable or inconsistent (qop without nc/cnonce, bad nc…). */
  | 'malformed'
  /** The algorithm was not one we offered. */
  | 'unsupported-algorithm'
  /** No qop, and allowNoQop is false. */
  | 'qop-required'
  /** The digest-uri is not the request-URI (RFC 3261 §22.4). */
  | 'uri-mismatch'
  /** The opaque value is not the one we sent. */
  | 'opaque-mismatch'
  /** Not a nonce of ours, and the response does not prove the password either. */
  | 'bad-nonce'
  | 'unknown-user'
  /** The user exists but no HA1 is stored for the chosen hash function. */
  | 'ha1-unavailable'
  /** Wrong password (the response does not match). */
  | 'bad-response'
  /** Credentials right, nonce old or unknown: challenge again with stale=true. */
  | 'stale'
  /** nc did not increase for this nonce. */
  | 'replay';

export type DigestVerifyResult =
  | {
      readonly ok: true;
      readonly username: string;
      readonly realm: string;
      readonly algorithm: DigestAlgorithm;
      readonly qop?: DigestQop;
      /** Authentication-Info value to add to the 2xx (RFC 7616 §3.5); absent without qop. */
      readonly authenticationInfo?: string;
    }
  | {
      readonly ok: false;
      readonly reason: DigestFailureReason;
      /** Challenge again with stale=true (the client may retry without asking the user). */
      readonly stale: boolean;
      /** Words for the log. */
      readonly detail: string;
      /** The claimed username, when the credentials were readable (for logs and lockouts). */
      readonly username?: string;
    };
