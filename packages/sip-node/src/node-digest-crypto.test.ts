import { createHmac } from 'node:crypto';
import { digestHash, hmacSha256, type DigestHashName } from '@switchboard/sip';
import { describe, expect, it } from 'vitest';
import { nodeDigestCrypto, nodeHmacSha256 } from './node-digest-crypto.ts';

describe('nodeDigestCrypto', () => {
  it('computes the same H() as the pure-JS default, for strings (UTF-8) and bytes', () => {
    const inputs = [
      '',
      'alice:acme.test:secret',
      'REGISTER:sip:127.0.0.1:5060',
      'Jörg:réalm:pässwörd ✓',
      new Uint8Array([0, 1, 2, 255, 254]),
    ];
    for (const name of ['MD5', 'SHA-256', 'SHA-512-256'] as DigestHashName[])
      for (const input of inputs) expect(nodeDigestCrypto.hash!(name, input)).toBe(digestHash(name, input));
  });
});

describe('nodeHmacSha256', () => {
  it('computes the same HMAC-SHA-256 as the pure-JS default and as OpenSSL, for short, long and reused keys', () => {
    const keys = [new Uint8Array(0), new Uint8Array(32).fill(7), new Uint8Array(100).fill(9)];
    const messages = [
      new Uint8Array(0),
      new Uint8Array(60).fill(3),
      new Uint8Array(700).fill(200),
      new Uint8Array(5),
    ];
    for (const key of keys)
      for (const message of [...messages, ...messages]) {
        const native = nodeHmacSha256(key, message);
        expect(Buffer.from(native).toString('hex')).toBe(
          Buffer.from(hmacSha256(key, message)).toString('hex'),
        );
        expect(Buffer.from(native).toString('hex')).toBe(
          createHmac('sha256', key).update(message).digest('hex'),
        );
      }
  });
});
