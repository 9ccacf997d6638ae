// A UAC's Digest state for one account (RFC 3261 §22.2–22.3): the challenges it has answered,
// per realm, with the nonce count of each nonce, and the rule that ends a 401/407 loop.
//
// Use:
//   let auth = client.authorize({ method, requestUri });        // [] at first
//   …send; on 401/407:
//   const v = client.handleChallenge({ status, headers: rows, sent: auth });
//   if (!v.ok) → stop, surface the response (wrong password, loop, unsupported challenge)
//   auth = client.authorize({ method, requestUri, previous: auth });  // retry, CSeq + 1
//
// Later requests to the same realm reuse the cached challenge with nc = 2, 3, … (RFC 7616 §3.4).

import { bytesToHex } from '@noble/hashes/utils.js';
import type { AnswerableChallenge } from './digest-answer.ts';
import { answerChallengeHeader, chooseChallenges } from './digest-answer.ts';
import { parseChallengeRows } from './digest-header.ts';
import type { RandomBytes } from './digest-server-types.ts';

export interface DigestUserCredentials {
  readonly username: string;
  readonly password: string;
}

export interface DigestClientOptions {
  /** One account, or a choice per realm (undefined: do not answer that realm). */
  readonly credentials: DigestUserCredentials | ((realm: string) => DigestUserCredentials | undefined);
  readonly randomBytes: RandomBytes;
  /** Most challenge rounds for one request before giving up. Default 3. */
  readonly maxRounds?: number;
  /** Most realms remembered. Default 16. */
  readonly maxRealms?: number;
}

export type AuthorizationHeaderName = 'Authorization' | 'Proxy-Authorization';

/** The credentials headers for one request, and what they were computed from. */
export interface AuthorizationSet {
  readonly headers: readonly { readonly name: AuthorizationHeaderName; readonly value: string }[];
  /** Realm and nonce of each header, so handleChallenge can tell a rejection from a new realm. */
  readonly used: readonly { readonly realm: string; readonly nonce: string; readonly proxy: boolean }[];
  /** 0 for a first attempt, n for the n-th retry after a challenge. */
  readonly round: number;
}

export interface AuthorizeInput {
  readonly method: string;
  readonly requestUri: string;
  /** Body, only for qop=auth-int. */
  readonly body?: string | Uint8Array;
  /** The set sent with the request that was challenged (makes this a retry). */
  readonly previous?: AuthorizationSet;
}

export interface ChallengeInput {
  /** 401 (WWW-Authenticate) or 407 (Proxy-Authenticate). */
  readonly status: 401 | 407;
  /** Every WWW-Authenticate or Proxy-Authenticate row of the response. */
  readonly headers: readonly string[];
  /** What the challenged request carried. */
  readonly sent?: AuthorizationSet;
}

export type ChallengeVerdict =
  | { readonly ok: true; readonly realms: readonly string[] }
  | {
      readonly ok: false;
      readonly reason:
        /** Our credentials were refused: same realm challenged again without stale=true. */
        | 'rejected'
        /** stale=true again with the very nonce we just used: a broken server; stop. */
        | 'stale-loop'
        | 'too-many-rounds'
        /** No Digest challenge we can read or answer (unknown algorithm or qop). */
        | 'unsupported'
        /** No credentials for any challenged realm. */
        | 'no-credentials';
      readonly detail: string;
    };

interface RealmState {
  readonly chosen: AnswerableChallenge;
  readonly proxy: boolean;
  readonly credentials: DigestUserCredentials;
  nc: number;
}

export class DigestClient {
  readonly #options: DigestClientOptions;
  readonly #realms = new Map<string, RealmState>();
  readonly #maxRounds: number;
  readonly #maxRealms: number;

  constructor(options: DigestClientOptions) {
    this.#options = options;
    this.#maxRounds = options.maxRounds ?? 3;
    this.#maxRealms = options.maxRealms ?? 16;
  }

  /**
   * Credentials for every realm we hold a challenge for, each with the next nonce count and a
   * fresh cnonce. Empty until the first challenge.
   */
  authorize(input: AuthorizeInput): AuthorizationSet {
    const headers: { name: AuthorizationHeaderName; value: string }[] = [];
    const used: { realm: string; nonce: string; proxy: boolean }[] = [];
    for (const state of this.#realms.values()) {
      state.nc += 1;
      const { challenge } = state.chosen;
      headers.push({
        name: state.proxy ? 'Proxy-Authorization' : 'Authorization',
        value: answerChallengeHeader({
          chosen: state.chosen,
          username: state.credentials.username,
          password: state.credentials.password,
          method: input.method,
          uri: input.requestUri,
          cnonce: bytesToHex(this.#options.randomBytes(16)),
          nc: state.nc,
          ...(input.body !== undefined && { body: input.body }),
        }),
      });
      used.push({ realm: challenge.realm, nonce: challenge.nonce, proxy: state.proxy });
    }
    return { headers, used, round: input.previous === undefined ? 0 : input.previous.round + 1 };
  }

  /**
   * Takes in a 401/407 and says whether to retry. Stops (RFC 3261 §22.2: do not loop) when a
   * realm we just answered with a challenge from this very request chain is challenged again
   * without stale=true — the password is wrong — or with stale=true but the same nonce.
   */
  handleChallenge(input: ChallengeInput): ChallengeVerdict {
    const proxy = input.status === 407;
    const round = input.sent?.round ?? 0;
    if (round >= this.#maxRounds) {
      return { ok: false, reason: 'too-many-rounds', detail: `challenged ${round + 1} times` };
    }
    const parsed = parseChallengeRows(input.headers);
    const chosen = chooseChallenges(parsed.digest);
    if (chosen.length === 0) {
      const why =
        parsed.errors.length > 0 ? parsed.errors.join('; ') : 'no Digest challenge with a known algorithm';
      return { ok: false, reason: 'unsupported', detail: why };
    }
    const accepted: string[] = [];
    for (const c of chosen) {
      const { realm } = c.challenge;
      const sentForRealm = input.sent?.used.find((u) => u.realm === realm && u.proxy === proxy);
      // Credentials sent preemptively (round 0, from a cached challenge) may just have met a
      // server that forgot the nonce; only a rejection inside the chain proves them wrong.
      if (sentForRealm !== undefined && round > 0) {
        if (!c.challenge.stale) {
          return { ok: false, reason: 'rejected', detail: `credentials for realm "${realm}" refused` };
        }
        if (c.challenge.nonce === sentForRealm.nonce) {
          return { ok: false, reason: 'stale-loop', detail: `realm "${realm}" says stale to its own nonce` };
        }
      }
      const credentials = this.#credentialsFor(realm);
      if (credentials === undefined) continue;
      this.#remember(`${proxy ? 'proxy' : 'www'}:${realm}`, { chosen: c, proxy, credentials, nc: 0 });
      accepted.push(realm);
    }
    if (accepted.length === 0) {
      return { ok: false, reason: 'no-credentials', detail: 'no credentials for the challenged realms' };
    }
    return { ok: true, realms: accepted };
  }

  /** Drops every cached challenge (e.g. after the account's password changed). */
  forget(): void {
    this.#realms.clear();
  }

  #credentialsFor(realm: string): DigestUserCredentials | undefined {
    const c = this.#options.credentials;
    return typeof c === 'function' ? c(realm) : c;
  }

  #remember(key: string, state: RealmState): void {
    this.#realms.delete(key);
    this.#realms.set(key, state);
    while (this.#realms.size > this.#maxRealms) {
      const oldest = this.#realms.keys().next();
      if (oldest.done === true) break;
      this.#realms.delete(oldest.value);
    }
  }
}
