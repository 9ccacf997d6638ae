// Random identifiers for tags, branches and Call-IDs (RFC 3261 §19.3: "at least 32 bits of
// randomness"; §8.1.1.7 branch magic cookie). Uses the Web Crypto API that Node ≥ 20 and
// every browser expose on globalThis; tests may pass their own source for repeatable runs.
import { BRANCH_MAGIC_COOKIE } from '../header/via.ts';

/** Returns `bytes` random bytes. */
export type RandomSource = (bytes: number) => Uint8Array;

interface WebCrypto {
  getRandomValues<T extends Uint8Array>(array: T): T;
}

export const cryptoRandom: RandomSource = (bytes) => {
  const webCrypto = (globalThis as { crypto?: WebCrypto }).crypto;
  if (!webCrypto) throw new Error('no Web Crypto API on globalThis; pass a RandomSource');
  return webCrypto.getRandomValues(new Uint8Array(bytes));
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
