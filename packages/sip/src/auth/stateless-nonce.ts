// Nonces any node can verify without shared state: the nonce carries its issue time and a
// random part, sealed with an HMAC under a secret all nodes share (RFC 7616 §3.3 suggests
// "time-stamp H(time-stamp ":" ETag ":" secret-data)"; an HMAC is the sound form of that).
//
//   0               8               16                              32 bytes
//   +---------------+---------------+-------------------------------+
//   | issued (ms,BE)|    random     |  HMAC-SHA-256(secret, …)[0:16] |
//   +---------------+---------------+-------------------------------+
//   sent as 64 lower-case hex digits.
//
// The MAC also covers the realm, so a nonce issued for one tenant's realm is useless in another.

import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { constantTimeEqualBytes } from './constant-time.ts';

const NONCE_BYTES = 32;
const MAC_BYTES = 16;
const encoder = new TextEncoder();

export type NonceReadResult =
  | { readonly ok: true; readonly issuedAt: number }
  | { readonly ok: false; readonly reason: 'malformed' | 'forged' };

/** HMAC-SHA-256(key, data), full 32 bytes. A host may bring a native one (see DigestServerOptions). */
export type HmacSha256 = (key: Uint8Array, data: Uint8Array) => Uint8Array;

// The key's inner and outer pads are hashed once per secret, then cloned for every MAC.
const keyed = new WeakMap<Uint8Array, ReturnType<typeof hmac.create>>();

/** The default HMAC-SHA-256 (@noble/hashes, pure JS: browsers too). */
export const hmacSha256: HmacSha256 = (key, data) => {
  let base = keyed.get(key);
  if (base === undefined) keyed.set(key, (base = hmac.create(sha256, key)));
  return base.clone().update(data).digest();
};

function nonceMac(secret: Uint8Array, realm: string, head: Uint8Array, mac: HmacSha256): Uint8Array {
  const label = encoder.encode(`switchboard-digest-nonce-v1\0${realm}\0`);
  const msg = new Uint8Array(label.length + head.length);
  msg.set(label, 0);
  msg.set(head, label.length);
  return mac(secret, msg).subarray(0, MAC_BYTES);
}

function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  return -1;
}

/** Lower-case hex to bytes; undefined for anything else (upper case included, as before). */
function hexToBytesSafe(hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexDigit(hex.charCodeAt(2 * i));
    const lo = hexDigit(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return undefined;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** Creates a nonce for `realm` at time `now` (ms) with 8 bytes from `random`. */
export function issueNonce(
  secret: Uint8Array,
  realm: string,
  now: number,
  random: Uint8Array,
  mac: HmacSha256 = hmacSha256,
): string {
  if (random.length < 8) throw new RangeError('issueNonce needs 8 random bytes');
  const head = new Uint8Array(16);
  const view = new DataView(head.buffer);
  const ms = Math.max(0, Math.floor(now));
  view.setUint32(0, Math.floor(ms / 2 ** 32));
  view.setUint32(4, ms >>> 0);
  head.set(random.subarray(0, 8), 8);
  const out = new Uint8Array(NONCE_BYTES);
  out.set(head, 0);
  out.set(nonceMac(secret, realm, head, mac), 16);
  return bytesToHex(out);
}

/**
 * Checks that `nonce` was issued by a holder of one of `secrets` for `realm`, and returns its
 * issue time. Expiry is the caller's policy (it needs the clock).
 */
export function readNonce(
  nonce: string,
  realm: string,
  secrets: readonly Uint8Array[],
  mac: HmacSha256 = hmacSha256,
): NonceReadResult {
  if (nonce.length !== NONCE_BYTES * 2) return { ok: false, reason: 'malformed' };
  const bytes = hexToBytesSafe(nonce);
  if (bytes === undefined) return { ok: false, reason: 'malformed' };
  const head = bytes.subarray(0, 16);
  const sealed = bytes.subarray(16);
  for (const secret of secrets) {
    if (constantTimeEqualBytes(nonceMac(secret, realm, head, mac), sealed)) {
      const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
      return { ok: true, issuedAt: view.getUint32(0) * 2 ** 32 + view.getUint32(4) };
    }
  }
  return { ok: false, reason: 'forged' };
}

/**
 * The opaque value for a realm: derived from the secret, so every node sends and accepts the
 * same value without storing it (RFC 7616 §3.3: opaque is returned unchanged by the client).
 */
export function deriveOpaque(secret: Uint8Array, realm: string, mac: HmacSha256 = hmacSha256): string {
  return bytesToHex(mac(secret, encoder.encode(`switchboard-digest-opaque-v1\0${realm}`)).subarray(0, 16));
}
