// Random identifiers for tags, branches and Call-IDs (RFC 3261 §19.3: "at least 32 bits of
// randomness"; §8.1.1.7 branch magic cookie). Uses the Web Crypto API that Node ≥ 20 and
// every browser expose on globalThis; tests may pass their own source for repeatable runs.
import { BRANCH_MAGIC_COOKIE } from '../header/via.ts';

/** Returns `bytes` random bytes. */
export type RandomSource = (bytes: number) => Uint8Array;

interface WebCrypto {
  getRandomValues<T extends Uint8Array>(array: T): T;
}

// Small requests (tags, branches, Call-IDs: a few per SIP message) are served from a pool filled
// 4 KiB at a time: one getRandomValues call per few hundred identifiers instead of one each.
const POOL_BYTES = 4096;
let pool = new Uint8Array(0);
let poolOffset = 0;

function webCrypto(): WebCrypto {
  const crypto = (globalThis as { crypto?: WebCrypto }).crypto;
  if (!crypto) throw new Error('no Web Crypto API on globalThis; pass a RandomSource');
  return crypto;
}

export const cryptoRandom: RandomSource = (bytes) => {
  if (bytes > 256) return webCrypto().getRandomValues(new Uint8Array(bytes));
  if (poolOffset + bytes > pool.length) {
    pool = webCrypto().getRandomValues(new Uint8Array(POOL_BYTES));
    poolOffset = 0;
  }
  const out = pool.slice(poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return out;
};

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A token-safe random string of `length` characters (62 symbols: ~5.95 bits each). */
export function randomToken(length: number, random: RandomSource = cryptoRandom): string {
  const bytes = random(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[(bytes[i] as number) % ALPHABET.length];
  return out;
}

/** A new RFC 3261 branch: the magic cookie plus 80+ random bits. */
export function newBranch(random?: RandomSource): string {
  return BRANCH_MAGIC_COOKIE + randomToken(16, random);
}

/** A From/To tag (§19.3). */
export function newTag(random?: RandomSource): string {
  return randomToken(12, random);
}

/** A Call-ID (§8.1.1.4): random, globally unique; `host` is appended when given. */
export function newCallId(host?: string, random?: RandomSource): string {
  const id = randomToken(22, random);
  return host ? `${id}@${host}` : id;
}

/** A deterministic RandomSource for tests (xorshift32 from `seed`). */
export function seededRandom(seed: number): RandomSource {
  let x = seed >>> 0 || 0x9e3779b9;
  return (bytes) => {
    const out = new Uint8Array(bytes);
    for (let i = 0; i < bytes; i++) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      out[i] = x & 0xff;
    }
    return out;
  };
}
