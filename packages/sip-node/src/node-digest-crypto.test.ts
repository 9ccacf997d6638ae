import { digestHash, type DigestHashName } from '@switchboard/sip';
import { describe, expect, it } from 'vitest';
import { nodeDigestCrypto } from './node-digest-crypto.ts';

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
