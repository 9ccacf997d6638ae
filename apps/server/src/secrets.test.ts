import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from './config.ts';
import { loadSecretKey, parseSecretKey } from './secrets.ts';

describe('loadSecretKey', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-secrets-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('generates a private key file once, then reads the same key back', () => {
    const dataDir = join(dir, 'data');
    const first = loadSecretKey({ dataDir, secretKey: undefined });
    expect(first.source).toBe('generated');
    expect(statSync(first.file!).mode & 0o777).toBe(0o600);
    expect(readFileSync(first.file!, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    const second = loadSecretKey({ dataDir, secretKey: undefined });
    expect(second.source).toBe('file');
    expect(second.box.keyId).toBe(first.box.keyId);
  });

  it('takes SECRET_KEY as hex or base64 over the key file, and rejects anything else', () => {
    const hex = 'ab'.repeat(32);
    const fromHex = loadSecretKey({ dataDir: dir, secretKey: hex });
    const fromB64 = loadSecretKey({ dataDir: dir, secretKey: Buffer.from(hex, 'hex').toString('base64') });
    expect(fromHex.source).toBe('env');
    expect(fromB64.box.keyId).toBe(fromHex.box.keyId);
    expect(() => loadSecretKey({ dataDir: dir, secretKey: 'too-short' })).toThrow(ConfigError);
    expect(parseSecretKey('ab'.repeat(31))).toBeUndefined();
  });

  it('refuses a damaged key file instead of replacing it', () => {
    const dataDir = join(dir, 'damaged');
    loadSecretKey({ dataDir, secretKey: undefined });
    writeFileSync(join(dataDir, 'secret.key'), 'garbage\n');
    expect(() => loadSecretKey({ dataDir, secretKey: undefined })).toThrow(/not a valid secret key file/);
  });
});
