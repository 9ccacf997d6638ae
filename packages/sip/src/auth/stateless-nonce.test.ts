import { describe, expect, it } from 'vitest';
import { deriveOpaque, issueNonce, readNonce } from './stateless-nonce.ts';

const secret = new TextEncoder().encode('0123456789abcdef0123456789abcdef');
const otherSecret = new TextEncoder().encode('fedcba9876543210fedcba9876543210');
const random = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
const T = 1_763_000_000_123;

describe('stateless nonces', () => {
  it('carry their issue time and verify under the same secret and realm', () => {
    const nonce = issueNonce(secret, 'example.com', T, random);
    expect(nonce).toMatch(/^[0-9a-f]{64}$/);
    expect(readNonce(nonce, 'example.com', [secret])).toEqual({ ok: true, issuedAt: T });
  });

  it('differ with the random part, so two challenges in the same millisecond differ', () => {
    const a = issueNonce(secret, 'r', T, random);
    const b = issueNonce(secret, 'r', T, Uint8Array.from([9, 2, 3, 4, 5, 6, 7, 8]));
    expect(a).not.toBe(b);
  });

  it('are refused for another realm or another secret', () => {
    const nonce = issueNonce(secret, 'a.example.com', T, random);
    expect(readNonce(nonce, 'b.example.com', [secret])).toEqual({ ok: false, reason: 'forged' });
    expect(readNonce(nonce, 'a.example.com', [otherSecret])).toEqual({ ok: false, reason: 'forged' });
  });

  it('still verify under a previous secret during rotation', () => {
    const nonce = issueNonce(otherSecret, 'r', T, random);
    expect(readNonce(nonce, 'r', [secret, otherSecret])).toEqual({ ok: true, issuedAt: T });
  });

  it('detect any flipped digit, including in the timestamp', () => {
    const nonce = issueNonce(secret, 'r', T, random);
    for (const i of [0, 15, 16, 31, 32, 63]) {
      const c = nonce[i] === '0' ? '1' : '0';
      const tampered = nonce.slice(0, i) + c + nonce.slice(i + 1);
      expect(readNonce(tampered, 'r', [secret]).ok).toBe(false);
    }
  });

  it.each(['', 'abc', 'z'.repeat(64), 'A'.repeat(64), '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v'])(
    'call %j malformed',
    (nonce) => {
      expect(readNonce(nonce, 'r', [secret])).toEqual({ ok: false, reason: 'malformed' });
    },
  );

  it('derive one opaque per realm and secret', () => {
    expect(deriveOpaque(secret, 'a')).toMatch(/^[0-9a-f]{32}$/);
    expect(deriveOpaque(secret, 'a')).toBe(deriveOpaque(secret, 'a'));
    expect(deriveOpaque(secret, 'a')).not.toBe(deriveOpaque(secret, 'b'));
    expect(deriveOpaque(secret, 'a')).not.toBe(deriveOpaque(otherSecret, 'a'));
  });
});
