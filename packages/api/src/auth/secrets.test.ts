import { describe, expect, it } from 'vitest';
import {
  formatActivationCode,
  newActivationCode,
  newToken,
  normaliseActivationCode,
  sha256,
} from './secrets.ts';

describe('activation codes and tokens', () => {
  it('makes 16-symbol Crockford base32 codes, all different', () => {
    const codes = new Set(Array.from({ length: 1000 }, () => newActivationCode()));
    expect(codes.size).toBe(1000);
    for (const c of codes) expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{16}$/);
  });

  it('reads codes as people type them', () => {
    expect(formatActivationCode('ABCD0123EFGH4567')).toBe('ABCD-0123-EFGH-4567');
    expect(normaliseActivationCode(' abcd-0123 efgh-4567 ')).toBe('ABCD0123EFGH4567');
    expect(normaliseActivationCode('ABCD-O123-EFGH-4567')).toBe('ABCD0123EFGH4567'); // O read as 0
    expect(normaliseActivationCode('ABCD-I123-EFGL-4567')).toBe('ABCD1123EFG14567'); // I, L read as 1
    expect(normaliseActivationCode('ABCD-0123-EFGH-456')).toBeUndefined();
    expect(normaliseActivationCode('ABCD-0123-EFGH-456U')).toBeUndefined(); // U is not in the alphabet
  });

  it('makes 256-bit tokens and hex SHA-256 hashes', () => {
    const t = newToken('sbt_');
    expect(t).toMatch(/^sbt_[A-Za-z0-9_-]{43}$/);
    expect(newToken('sbt_')).not.toBe(t);
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
