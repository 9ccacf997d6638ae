// Node's native hashes for DigestServer (DigestServerOptions.crypto): the registrar and the
// B2BUA compute four MD5s per authenticated request and two HMAC-SHA-256s (sealing and checking
// a nonce) per challenge round, and OpenSSL's one-shot `crypto.hash` is several times faster
// than the pure-JS default (which the browser build keeps).
import { hash } from 'node:crypto';
import type { DigestCrypto, DigestHashName, HmacSha256 } from '@switchboard/sip';

const OPENSSL_NAMES: Record<DigestHashName, string> = {
  MD5: 'md5',
  'SHA-256': 'sha256',
  'SHA-512-256': 'sha512-256',
};

const BLOCK = 64; // SHA-256's block size
const OUTPUT = 32;

interface Pads {
  /** (K ⊕ ipad), with room for the message after it. */
  inner: Uint8Array;
  /** (K ⊕ opad) followed by the inner hash. */
  readonly outer: Uint8Array;
}

// HMAC (RFC 2104) over two one-shot SHA-256s: H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)). The padded keys
// are made once per secret; a native `createHmac` per call costs more than the two hashes.
const padsByKey = new WeakMap<Uint8Array, Pads>();

function padsFor(key: Uint8Array): Pads {
  let pads = padsByKey.get(key);
  if (pads !== undefined) return pads;
  const k = key.length > BLOCK ? hash('sha256', key, 'buffer') : key;
  const inner = new Uint8Array(BLOCK + 256);
  const outer = new Uint8Array(BLOCK + OUTPUT);
  for (let i = 0; i < BLOCK; i++) {
    inner[i] = (k[i] ?? 0) ^ 0x36;
    outer[i] = (k[i] ?? 0) ^ 0x5c;
  }
  pads = { inner, outer };
  padsByKey.set(key, pads);
  return pads;
}

export const nodeHmacSha256: HmacSha256 = (key, data) => {
  const pads = padsFor(key);
  if (pads.inner.length < BLOCK + data.length) {
    const grown = new Uint8Array(BLOCK + data.length);
    grown.set(pads.inner.subarray(0, BLOCK));
    pads.inner = grown;
  }
  pads.inner.set(data, BLOCK);
  pads.outer.set(hash('sha256', pads.inner.subarray(0, BLOCK + data.length), 'buffer'), BLOCK);
  return new Uint8Array(hash('sha256', pads.outer, 'buffer'));
};

export const nodeDigestCrypto: DigestCrypto = {
  hash: (name, data) => hash(OPENSSL_NAMES[name], data, 'hex'),
  hmacSha256: nodeHmacSha256,
};
