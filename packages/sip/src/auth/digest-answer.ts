// The pure part of a UAC's Digest answer: choose which challenge to answer and compute the
// credentials for it (RFC 3261 §22.2–22.3, RFC 7616 §3.4, RFC 8760). DigestClient adds the
// per-nonce counting and the retry policy on top.

import type { DigestAlgorithm, DigestQop } from './digest-algorithm.ts';
import {
  computeDigestResponse,
  computeHa1,
  digestHashOf,
  formatNonceCount,
  parseDigestAlgorithm,
} from './digest-algorithm.ts';
import type { DigestChallenge, DigestCredentialsInit } from './digest-header.ts';
import { serializeDigestCredentials } from './digest-header.ts';

/** A challenge we can answer, with the algorithm and qop we will use for it. */
export interface AnswerableChallenge {
  readonly challenge: DigestChallenge;
  readonly algorithm: DigestAlgorithm;
  /** undefined: the challenge has no qop, answer in the RFC 2069 form. */
  readonly qop?: DigestQop;
}

/** How we would answer `challenge`, or undefined when we cannot (unknown algorithm or qop). */
export function answerable(challenge: DigestChallenge): AnswerableChallenge | undefined {
  const algorithm = parseDigestAlgorithm(challenge.algorithm);
  if (algorithm === undefined) return undefined;
  if (challenge.qop.length === 0) return { challenge, algorithm };
  // Prefer auth: auth-int needs the exact body bytes, which a proxy may not preserve.
  const qop = challenge.qop.includes('auth')
    ? 'auth'
    : challenge.qop.includes('auth-int')
      ? 'auth-int'
      : undefined;
  return qop === undefined ? undefined : { challenge, algorithm, qop };
}

/**
 * Picks one challenge per realm. RFC 8760: the UAS lists its preferred algorithm first and
 * the UAC uses the topmost one it supports — except that we never let MD5 win over a SHA-2
 * challenge listed below it (a downgrade an on-path attacker could provoke by reordering).
 */
export function chooseChallenges(challenges: readonly DigestChallenge[]): AnswerableChallenge[] {
  const byRealm = new Map<string, AnswerableChallenge>();
  for (const c of challenges) {
    const a = answerable(c);
    if (a === undefined) continue;
    const current = byRealm.get(c.realm);
    if (current === undefined || (isMd5(current.algorithm) && !isMd5(a.algorithm))) byRealm.set(c.realm, a);
  }
  return [...byRealm.values()];
}

function isMd5(algorithm: DigestAlgorithm): boolean {
  return digestHashOf(algorithm) === 'MD5';
}

export interface DigestAnswerInput {
  readonly chosen: AnswerableChallenge;
  readonly username: string;
  readonly password: string;
  readonly method: string;
  /** The request-URI of the request being authorized (RFC 3261 §22.4: digest-uri). */
  readonly uri: string;
  /** Required with qop; ignored without. */
  readonly cnonce?: string;
  /** Nonce count for this nonce, starting at 1. */
  readonly nc?: number;
  /** Body for auth-int. */
  readonly body?: string | Uint8Array;
}

/** The credentials answering a challenge. */
export function answerChallenge(input: DigestAnswerInput): DigestCredentialsInit {
  const { chosen } = input;
  const { challenge, algorithm, qop } = chosen;
  const ha1 = computeHa1(digestHashOf(algorithm), input.username, challenge.realm, input.password);
  const nc = qop === undefined ? undefined : formatNonceCount(input.nc ?? 1);
  const cnonce = qop === undefined ? undefined : (input.cnonce ?? '');
  const response = computeDigestResponse(ha1, {
    algorithm,
    method: input.method,
    uri: input.uri,
    nonce: challenge.nonce,
    ...(qop !== undefined && { qop, nc, cnonce }),
    ...(input.body !== undefined && { body: input.body }),
  });
  return {
    username: input.username,
    realm: challenge.realm,
    nonce: challenge.nonce,
    uri: input.uri,
    response,
    // Echo the algorithm as the server named it ("MD5" when it named none: the default of RFC 2617 §3.2.1).
    algorithm: challenge.algorithm ?? 'MD5',
    ...(challenge.opaque !== undefined && { opaque: challenge.opaque }),
    ...(qop !== undefined && { qop, nc, cnonce }),
  };
}

/** answerChallenge, serialized as an Authorization / Proxy-Authorization value. */
export function answerChallengeHeader(input: DigestAnswerInput): string {
  return serializeDigestCredentials(answerChallenge(input));
}
