import { describe, expect, it } from 'vitest';
import { DecryptionError, SecretBox, SecretKeyMismatchError, digestHa1 } from '@switchboard/db';
import { BACKENDS, useDatabase } from './backends.ts';
import { TEST_KEY, repos } from './fixtures.ts';

describe('SecretBox (AES-256-GCM)', () => {
  const box = new SecretBox(TEST_KEY);

  it('round-trips, with a fresh IV each time', () => {
    const a = box.encrypt('pässwörd', 'row:1');
    const b = box.encrypt('pässwörd', 'row:1');
    expect(a).not.toBe(b);
    expect(box.decrypt(a, 'row:1')).toBe('pässwörd');
    expect(a.startsWith(`v1.${box.keyId}.`)).toBe(true);
  });

  it('fails on another row (AAD), on tampering, and names a different key', () => {
    const sealed = box.encrypt('secret', 'row:1');
    expect(() => box.decrypt(sealed, 'row:2')).toThrow(DecryptionError);
    const body = sealed.split('.')[2]!;
    const flipped = `${body.slice(0, 20)}${body[20] === 'A' ? 'B' : 'A'}${body.slice(21)}`;
    expect(() => box.decrypt(`v1.${box.keyId}.${flipped}`, 'row:1')).toThrow(DecryptionError);
    const other = new SecretBox(new Uint8Array(32).fill(7));
    expect(() => other.decrypt(sealed, 'row:1')).toThrow(SecretKeyMismatchError);
  });

  it('refuses a key of the wrong size and never serialises the key', () => {
    expect(() => new SecretBox(new Uint8Array(16))).toThrow(RangeError);
    expect(JSON.stringify({ box })).toBe(`{"box":"[SecretBox ${box.keyId}]"}`);
  });

  it('computes digest HA1 as RFC 2617 §3.5 does', () => {
    // RFC 2617's worked example: Mufasa / testrealm@host.com / Circle Of Life.
    expect(digestHa1('Mufasa', 'testrealm@host.com', 'Circle Of Life').md5).toBe(
      '939e7578ed9e3c518a452acee763bce9',
    );
  });
});

describe.each(BACKENDS)('the database remembers its key on %s', (backend) => {
  const t = useDatabase(backend);

  it('accepts the same key again and refuses another', async () => {
    const { settings } = repos(t.db.sql);
    await settings.claimSecretKeyId(new SecretBox(TEST_KEY).keyId);
    await settings.claimSecretKeyId(new SecretBox(TEST_KEY).keyId);
    await expect(settings.claimSecretKeyId(new SecretBox(new Uint8Array(32)).keyId)).rejects.toThrow(
      SecretKeyMismatchError,
    );
  });
});
