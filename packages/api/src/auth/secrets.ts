// Random tokens and their hashes. Tokens are 256-bit random, base64url; only SHA-256 hashes are
// stored, so a database leak gives no usable session, API token or device credential.
import { createHash, randomBytes, randomInt } from 'node:crypto';

export const newToken = (prefix: string): string => `${prefix}${randomBytes(32).toString('base64url')}`;

export const sha256 = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

/** Crockford base32 (no I, L, O, U): easy to read aloud and to type. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ACTIVATION_CODE_LENGTH = 16;

/** 16 symbols × 5 bits = 80 random bits, shown as XXXX-XXXX-XXXX-XXXX. */
export function newActivationCode(): string {
  let code = '';
  for (let i = 0; i < ACTIVATION_CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

export const formatActivationCode = (code: string): string => code.match(/.{1,4}/g)!.join('-');

/** What people type or paste: any case, with or without dashes/spaces; I/L read as 1, O as 0. */
export function normaliseActivationCode(input: string): string | undefined {
  const code = input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (code.length !== ACTIVATION_CODE_LENGTH) return undefined;
  for (const c of code) if (!CODE_ALPHABET.includes(c)) return undefined;
  return code;
}
