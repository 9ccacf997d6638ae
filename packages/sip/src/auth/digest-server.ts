// The server side of Digest (a registrar's 401, a proxy's 407): issue challenges and verify
// credentials (RFC 3261 §22.4, RFC 7616 §3.3–3.5, RFC 8760). Sans-I/O: time, randomness and the
// replay store come in through the options; the user's secret through a lookup per request.
//
// Nonces are stateless (stateless-nonce.ts) so any node verifies any other node's nonce; the
// only shared state is the nonce-count store for replay protection.

import type { DigestHashName, DigestQop } from './digest-algorithm.ts';
import {
  computeDigestResponse,
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
import { deriveOpaque, issueNonce, readNonce } from './stateless-nonce.ts';

const DEFAULT_TTL_MS = 5 * 60_000;
const DEFAULT_SKEW_MS = 30_000;

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
  }

  /**
   * The WWW-Authenticate (401) or Proxy-Authenticate (407) values: one header row per
   * algorithm, preferred first, sharing one fresh nonce (as in RFC 7616 §3.9.1).
   */
  challenge(options: ChallengeOptions): string[] {
    const nonce = issueNonce(this.#secret, options.realm, this.#clock.now(), this.#randomBytes(8));
    const opaque = deriveOpaque(this.#secret, options.realm);
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
    if (
      creds.opaque !== undefined &&
      !this.#secrets.some((s) => deriveOpaque(s, request.realm) === creds.opaque)
    ) {
      return fail('opaque-mismatch', 'opaque is not the one we sent', user);
    }

    const secret = await request.lookup(user, creds.realm);
    if (secret === undefined) return fail('unknown-user', `no user ${user} in realm ${creds.realm}`, user);
    const hash = digestHashOf(algorithm);
    const ha1 = baseHa1(secret, hash, user, creds.realm);
    if (ha1 === undefined) return fail('ha1-unavailable', `no ${hash} HA1 stored for ${user}`, user);

    const input = {
      algorithm,
      uri: creds.uri,
      nonce: creds.nonce,
      ...(qop !== undefined && { qop, nc: creds.nc, cnonce: creds.cnonce }),
      ...(request.body !== undefined && { body: request.body }),
    };
    const expected = computeDigestResponse(ha1, { ...input, method: request.method });
    const nonceInfo = readNonce(creds.nonce, request.realm, this.#secrets);
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
          rspauth: computeRspauth(ha1, input),
          ...(creds.cnonce !== undefined && { cnonce: creds.cnonce }),
          ...(creds.nc !== undefined && { nc: creds.nc }),
        }),
      }),
    };
  }

  get #secret(): Uint8Array {
    return this.#secrets[0] as Uint8Array;
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
): string | undefined {
  if ('password' in secret) return computeHa1(hash, username, realm, secret.password);
  return secret.ha1[hash]?.toLowerCase();
}
