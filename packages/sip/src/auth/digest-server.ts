// The server side of Digest (a registrar's 401, a proxy's 407): issue challenges and verify
// credentials (RFC 3261 §22.4, RFC 7616 §3.3–3.5, RFC 8760). Sans-I/O: time, randomness and the
// replay store come in through the options; the user's secret through a lookup per request.
//
// Nonces are stateless (stateless-nonce.ts) so any node verifies any other node's nonce; the
// only shared state is the nonce-count store for replay protection.

import type { DigestHasher, DigestHashName, DigestQop } from './digest-algorithm.ts';
import {
  computeDigestResponse,
  digestHash,
  computeHa1,
  computeRspauth,
  digestHashOf,
  isSessionAlgorithm,
  parseDigestAlgorithm,
  parseNonceCount,
} from './digest-algorithm.ts';
import type { DigestCredentials } from './digest-header.ts';
import {
  parseDigestCredentials,
  serializeAuthenticationInfo,
  serializeDigestChallenge,
} from './digest-header.ts';
import type {
  AuthClock,
  DigestFailureReason,
  DigestSecret,
  DigestServerOptions,
  DigestVerifyRequest,
  DigestVerifyResult,
  RandomBytes,
} from './digest-server-types.ts';
import { constantTimeEqual } from './constant-time.ts';
import type { NonceCountStore } from './nonce-count-store.ts';
import { InMemoryNonceCountStore } from './nonce-count-store.ts';
import { type HmacSha256, deriveOpaque, hmacSha256, issueNonce, readNonce } from './stateless-nonce.ts';

const DEFAULT_TTL_MS = 5 * 60_000;
const DEFAULT_SKEW_MS = 30_000;
/** Random bytes are drawn this many at a time (8 per nonce): one host call per 64 challenges. */
const RANDOM_POOL_BYTES = 512;
/** Realms whose opaque values are remembered (one per tenant); past it the memo starts over. */
const OPAQUE_MEMO_MAX = 10_000;

export interface ChallengeOptions {
  readonly realm: string;
  /** Set after a 'stale' or 'replay' verdict (result.stale). */
  readonly stale?: boolean;
}

function fail(
  reason: DigestFailureReason,
  detail: string,
  username?: string,
): Extract<DigestVerifyResult, { ok: false }> {
  return {
    ok: false,
    reason,
    stale: reason === 'stale' || reason === 'replay',
    detail,
    ...(username !== undefined && { username }),
  };
}

export class DigestServer {
  readonly #secrets: readonly Uint8Array[];
  readonly #clock: AuthClock;
  readonly #randomBytes: RandomBytes;
  readonly #ttl: number;
  readonly #skew: number;
  readonly #algorithms: readonly DigestHashName[];
  readonly #qop: readonly DigestQop[];
  readonly #nonceCounts: NonceCountStore;
  readonly #allowNoQop: boolean;
  readonly #uriMatches: (digestUri: string, requestUri: string) => boolean;
  readonly #hash: DigestHasher;
  readonly #hmac: HmacSha256;
  /** opaque per realm, one per secret (current first): a pure function of both, worth keeping. */
  readonly #opaques = new Map<string, readonly string[]>();
  #pool: Uint8Array = new Uint8Array(0);
  #poolOffset = 0;

  constructor(options: DigestServerOptions) {
    if (options.secret.length < 16) throw new RangeError('DigestServer secret must be at least 16 bytes');
    this.#secrets = [options.secret, ...(options.previousSecrets ?? [])];
    this.#clock = options.clock;
    this.#randomBytes = options.randomBytes;
    this.#ttl = options.nonceTtlMs ?? DEFAULT_TTL_MS;
    this.#skew = options.maxClockSkewMs ?? DEFAULT_SKEW_MS;
    this.#algorithms = options.algorithms ?? ['SHA-256', 'MD5'];
    if (this.#algorithms.length === 0) throw new RangeError('DigestServer needs at least one algorithm');
    this.#qop = options.qop ?? ['auth'];
    this.#nonceCounts = options.nonceCounts ?? new InMemoryNonceCountStore();
    this.#allowNoQop = options.allowNoQop ?? true;
    this.#uriMatches = options.uriMatches ?? ((a, b) => a === b);
    this.#hash = options.crypto?.hash ?? digestHash;
    this.#hmac = options.crypto?.hmacSha256 ?? hmacSha256;
  }

  /**
   * The WWW-Authenticate (401) or Proxy-Authenticate (407) values: one header row per
   * algorithm, preferred first, sharing one fresh nonce (as in RFC 7616 §3.9.1).
   */
  challenge(options: ChallengeOptions): string[] {
    const nonce = issueNonce(this.#secret, options.realm, this.#clock.now(), this.#random8(), this.#hmac);
    const opaque = this.#opaquesOf(options.realm)[0]!;
    return this.#algorithms.map((algorithm) =>
      serializeDigestChallenge({
        realm: options.realm,
        qop: this.#qop,
        algorithm,
        nonce,
        opaque,
        ...(options.stale === true && { stale: true }),
      }),
    );
  }

  /** Verifies the request's credentials for `request.realm`. Never throws on bad input. */
  async verify(request: DigestVerifyRequest): Promise<DigestVerifyResult> {
    const picked = this.#pickCredentials(request.headers, request.realm);
    if ('reason' in picked) return picked;
    const creds = picked.credentials;
    const user = creds.username;

    // NOTE: userhash (RFC 7616 §3.4.4) is not offered, so a hashed username cannot be ours.
    if (creds.userhash) return fail('malformed', 'userhash was not offered', user);

    const algorithm = parseDigestAlgorithm(creds.algorithm);
    if (
      algorithm === undefined ||
      isSessionAlgorithm(algorithm) ||
      !this.#algorithms.includes(digestHashOf(algorithm))
    ) {
      return fail('unsupported-algorithm', `algorithm ${creds.algorithm ?? 'MD5'} not offered`, user);
    }

    const qopCheck = this.#checkQop(creds, user);
    if ('reason' in qopCheck) return qopCheck;
    const { qop, nc } = qopCheck;

    if (!this.#uriMatches(creds.uri, request.requestUri)) {
      return fail('uri-mismatch', `digest uri ${creds.uri} is not request-URI ${request.requestUri}`, user);
    }
    if (creds.opaque !== undefined && !this.#opaquesOf(request.realm).includes(creds.opaque)) {
      return fail('opaque-mismatch', 'opaque is not the one we sent', user);
    }

    const secret = await request.lookup(user, creds.realm);
    if (secret === undefined) return fail('unknown-user', `no user ${user} in realm ${creds.realm}`, user);
    const hash = digestHashOf(algorithm);
    const ha1 = baseHa1(secret, hash, user, creds.realm, this.#hash);
    if (ha1 === undefined) return fail('ha1-unavailable', `no ${hash} HA1 stored for ${user}`, user);

    const input = {
      algorithm,
      uri: creds.uri,
      nonce: creds.nonce,
      ...(qop !== undefined && { qop, nc: creds.nc, cnonce: creds.cnonce }),
      ...(request.body !== undefined && { body: request.body }),
    };
    const expected = computeDigestResponse(ha1, { ...input, method: request.method }, this.#hash);
    const nonceInfo = readNonce(creds.nonce, request.realm, this.#secrets, this.#hmac);
    if (!constantTimeEqual(expected, creds.response.toLowerCase())) {
      // A nonce we never issued with a wrong response is just garbage; say which, for logs.
      return nonceInfo.ok
        ? fail('bad-response', `wrong response from ${user}`, user)
        : fail('bad-nonce', `nonce not issued here (${nonceInfo.reason}) and response wrong`, user);
    }

    // The credentials are right. Is the nonce ours, fresh and not replayed?
    const now = this.#clock.now();
    if (!nonceInfo.ok) return fail('stale', `nonce not readable (${nonceInfo.reason}); re-challenge`, user);
    const { issuedAt } = nonceInfo;
    if (issuedAt > now + this.#skew) return fail('stale', 'nonce issued in the future', user);
    const expiresAt = issuedAt + this.#ttl;
    if (now >= expiresAt) return fail('stale', 'nonce expired', user);

    const verdict = await this.#nonceCounts.advance({
      nonce: creds.nonce,
      nc: nc ?? 1,
      issuedAt,
      expiresAt,
      now,
    });
    if (verdict === 'replay')
      return fail('replay', `nc ${creds.nc ?? '(none)'} already used with this nonce`, user);
    if (verdict === 'forgotten') return fail('stale', 'nonce no longer tracked', user);

    return {
      ok: true,
      username: user,
      realm: creds.realm,
      algorithm,
      ...(qop !== undefined && {
        qop,
        authenticationInfo: serializeAuthenticationInfo({
          qop,
          rspauth: computeRspauth(ha1, input, this.#hash),
          ...(creds.cnonce !== undefined && { cnonce: creds.cnonce }),
          ...(creds.nc !== undefined && { nc: creds.nc }),
        }),
      }),
    };
  }

  get #secret(): Uint8Array {
    return this.#secrets[0] as Uint8Array;
  }

  #opaquesOf(realm: string): readonly string[] {
    let opaques = this.#opaques.get(realm);
    if (opaques === undefined) {
      if (this.#opaques.size >= OPAQUE_MEMO_MAX) this.#opaques.clear();
      opaques = this.#secrets.map((secret) => deriveOpaque(secret, realm, this.#hmac));
      this.#opaques.set(realm, opaques);
    }
    return opaques;
  }

  /** 8 fresh random bytes from a pool refilled RANDOM_POOL_BYTES at a time. */
  #random8(): Uint8Array {
    if (this.#poolOffset + 8 > this.#pool.length) {
      this.#pool = this.#randomBytes(RANDOM_POOL_BYTES);
      this.#poolOffset = 0;
    }
    const bytes = this.#pool.subarray(this.#poolOffset, this.#poolOffset + 8);
    this.#poolOffset += 8;
    return bytes;
  }

  /** The first readable Digest credentials for our realm (RFC 3261 §22.3: walk every row). */
  #pickCredentials(
    rows: readonly string[],
    realm: string,
  ): { credentials: DigestCredentials } | Extract<DigestVerifyResult, { ok: false }> {
    let firstError: string | undefined;
    for (const row of rows) {
      const parsed = parseDigestCredentials(row);
      if (!parsed.ok) {
        firstError ??= parsed.error;
        continue;
      }
      if (parsed.value.realm === realm) return { credentials: parsed.value };
    }
    return firstError === undefined
      ? fail('missing', `no Digest credentials for realm ${realm}`)
      : fail('malformed', firstError);
  }

  /** qop must be one we offered, and then nc and cnonce are required (RFC 7616 §3.4). */
  #checkQop(
    creds: DigestCredentials,
    user: string,
  ): { qop?: DigestQop; nc?: number } | Extract<DigestVerifyResult, { ok: false }> {
    if (creds.qop === undefined) {
      if (!this.#allowNoQop) return fail('qop-required', 'credentials without qop', user);
      if (creds.nc !== undefined || creds.cnonce !== undefined) {
        return fail('malformed', 'nc or cnonce without qop', user);
      }
      return {};
    }
    const qop = this.#qop.find((q) => q === creds.qop);
    if (qop === undefined) return fail('malformed', `qop ${creds.qop} not offered`, user);
    if (creds.cnonce === undefined || creds.cnonce.length === 0)
      return fail('malformed', 'qop without cnonce', user);
    const nc = creds.nc === undefined ? undefined : parseNonceCount(creds.nc);
    if (nc === undefined) return fail('malformed', `bad nc ${creds.nc ?? '(missing)'}`, user);
    return { qop, nc };
  }
}

function baseHa1(
  secret: DigestSecret,
  hash: DigestHashName,
  username: string,
  realm: string,
  h: DigestHasher,
): string | undefined {
  if ('password' in secret) return computeHa1(hash, username, realm, secret.password, h);
  return secret.ha1[hash]?.toLowerCase();
}
