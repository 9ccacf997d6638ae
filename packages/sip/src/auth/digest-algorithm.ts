// The Digest computations: H, KD, A1, A2 and the request-digest (RFC 7616 §3.4, RFC 2617 §3.2.2,
// RFC 8760 for SIP). Pure functions over strings; hashes come from @noble/hashes (pure JS,
// so this runs in browsers as well as Node).
//
//   response = KD(H(A1), nonce ":" nc ":" cnonce ":" qop ":" H(A2))   with qop     (§3.4.1)
//   response = KD(H(A1), nonce ":" H(A2))                              without qop (RFC 2069)
//   A1 = username ":" realm ":" password                                            (§3.4.2)
//   A1 = H(username ":" realm ":" password) ":" nonce ":" cnonce      for "-sess"
//   A2 = method ":" digest-uri            qop=auth or none                          (§3.4.3)
//   A2 = method ":" digest-uri ":" H(body) qop=auth-int

import { md5 } from '@noble/hashes/legacy.js';
import { sha256, sha512_256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** The hash functions of the IANA "HTTP Digest Hash Algorithms" registry that SIP uses. */
export type DigestHashName = 'MD5' | 'SHA-256' | 'SHA-512-256';

/** An algorithm parameter value we can compute (RFC 7616 §3.3, RFC 8760). */
export type DigestAlgorithm =
  'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess' | 'SHA-512-256' | 'SHA-512-256-sess';

export type DigestQop = 'auth' | 'auth-int';

const HASHES: Record<DigestHashName, (data: Uint8Array) => Uint8Array> = {
  MD5: (d) => md5(d),
  'SHA-256': (d) => sha256(d),
  'SHA-512-256': (d) => sha512_256(d),
};

const ALGORITHMS: readonly DigestAlgorithm[] = [
  'MD5',
  'MD5-sess',
  'SHA-256',
  'SHA-256-sess',
  'SHA-512-256',
  'SHA-512-256-sess',
];

const encoder = new TextEncoder();

/**
 * Canonical name of an algorithm parameter value, or undefined when unsupported. Matching is
 * case-insensitive (RFC 7616 §3.3: "algorithm" values are tokens; peers send "md5").
 * An absent parameter means MD5 (RFC 2617 §3.2.1).
 */
export function parseDigestAlgorithm(value: string | undefined): DigestAlgorithm | undefined {
  if (value === undefined) return 'MD5';
  const upper = value.toUpperCase();
  return ALGORITHMS.find((a) => a.toUpperCase() === upper);
}

/** The hash an algorithm uses: "SHA-256-sess" → "SHA-256". */
export function digestHashOf(algorithm: DigestAlgorithm): DigestHashName {
  return algorithm.replace(/-sess$/, '') as DigestHashName;
}

export function isSessionAlgorithm(algorithm: DigestAlgorithm): boolean {
  return algorithm.endsWith('-sess');
}

/** H(data): lower-case hex of the hash of the UTF-8 bytes (RFC 7616 §3.4: "unq(...)" strings). */
export function digestHash(hash: DigestHashName, data: string | Uint8Array): string {
  return bytesToHex(HASHES[hash](typeof data === 'string' ? encoder.encode(data) : data));
}

/**
 * H() as a function, so a host can bring a native implementation (a server's hot path: Node's
 * `crypto.hash` is several times faster than pure JS). It must equal digestHash.
 */
export type DigestHasher = (hash: DigestHashName, data: string | Uint8Array) => string;

/**
 * H(username ":" realm ":" password): the value a registrar may store instead of the password
 * (one per hash function it offers; see DigestSecret).
 */
export function computeHa1(
  hash: DigestHashName,
  username: string,
  realm: string,
  password: string,
  h: DigestHasher = digestHash,
): string {
  return h(hash, `${username}:${realm}:${password}`);
}

/** What a request-digest depends on besides H(A1). */
export interface DigestResponseInput {
  readonly algorithm: DigestAlgorithm;
  readonly method: string;
  readonly uri: string;
  readonly nonce: string;
  /** Absent for the RFC 2069 form (challenge without qop). */
  readonly qop?: DigestQop;
  /** Nonce count as the 8 hex digits that go on the wire ("00000001"). Required with qop. */
  readonly nc?: string;
  readonly cnonce?: string;
  /** Message body, for qop=auth-int (empty when absent). */
  readonly body?: string | Uint8Array;
}

/**
 * H(A1) for the algorithm, from the base HA1 (H(user:realm:password)). For "-sess" algorithms
 * A1 also folds in nonce and cnonce (RFC 7616 §3.4.2).
 */
export function sessionHa1(
  algorithm: DigestAlgorithm,
  baseHa1: string,
  nonce: string,
  cnonce: string | undefined,
  h: DigestHasher = digestHash,
): string {
  if (!isSessionAlgorithm(algorithm)) return baseHa1;
  return h(digestHashOf(algorithm), `${baseHa1}:${nonce}:${cnonce ?? ''}`);
}

/** H(A2) for a request (RFC 7616 §3.4.3). */
function ha2(input: DigestResponseInput, methodPart: string, h: DigestHasher): string {
  const hash = digestHashOf(input.algorithm);
  if (input.qop === 'auth-int') {
    return h(hash, `${methodPart}:${input.uri}:${h(hash, input.body ?? '')}`);
  }
  return h(hash, `${methodPart}:${input.uri}`);
}

function kd(input: DigestResponseInput, ha1: string, ha2Value: string, h: DigestHasher): string {
  const hash = digestHashOf(input.algorithm);
  if (input.qop === undefined) return h(hash, `${ha1}:${input.nonce}:${ha2Value}`);
  return h(hash, `${ha1}:${input.nonce}:${input.nc ?? ''}:${input.cnonce ?? ''}:${input.qop}:${ha2Value}`);
}

/** The request-digest ("response" param) from the base HA1 (RFC 7616 §3.4.1). */
export function computeDigestResponse(
  baseHa1: string,
  input: DigestResponseInput,
  h: DigestHasher = digestHash,
): string {
  const ha1 = sessionHa1(input.algorithm, baseHa1, input.nonce, input.cnonce, h);
  return kd(input, ha1, ha2(input, input.method, h), h);
}

/**
 * The "rspauth" of Authentication-Info: the same computation with an empty method, so A2 is
 * ":" digest-uri (RFC 7616 §3.5, RFC 2617 §3.2.3). Proves the server knew the secret too.
 */
export function computeRspauth(
  baseHa1: string,
  input: Omit<DigestResponseInput, 'method'>,
  h: DigestHasher = digestHash,
): string {
  const full = { ...input, method: '' };
  const ha1 = sessionHa1(full.algorithm, baseHa1, full.nonce, full.cnonce, h);
  return kd(full, ha1, ha2(full, '', h), h);
}

/** Nonce count as 8 lower-case hex digits (RFC 7616 §3.4: nc-value = 8LHEX). */
export function formatNonceCount(nc: number): string {
  return nc.toString(16).padStart(8, '0');
}

/** Parses an nc-value: exactly 8 hex digits, value ≥ 1. */
export function parseNonceCount(value: string): number | undefined {
  if (!/^[0-9a-fA-F]{8}$/.test(value)) return undefined;
  const n = Number.parseInt(value, 16);
  return n >= 1 ? n : undefined;
}
