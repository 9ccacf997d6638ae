// The key that encrypts SIP passwords at rest (AES-256-GCM, see @switchboard/db SecretBox).
// From SECRET_KEY when set (64 hex digits, or base64 of 32 bytes); otherwise from
// DATA_DIR/secret.key, generated (mode 0600) on first use. The key is never printed: only its
// id (8 hex digits derived from it) appears in messages.
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SECRET_KEY_BYTES, SecretBox } from '@switchboard/db';
import { ConfigError, type Config } from './config.ts';

export const KEY_FILE_NAME = 'secret.key';

export interface LoadedSecretKey {
  readonly box: SecretBox;
  /** Where the key came from: the SECRET_KEY variable, an existing key file, or a new one. */
  readonly source: 'env' | 'file' | 'generated';
  /** The key file, when one was read or written. */
  readonly file?: string;
}

/** Parses 64 hex digits or base64/base64url of exactly 32 bytes; undefined when neither. */
export function parseSecretKey(text: string): Uint8Array | undefined {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const bytes = Buffer.from(value, value.includes('-') || value.includes('_') ? 'base64url' : 'base64');
    if (bytes.length === SECRET_KEY_BYTES) return bytes;
  }
  return undefined;
}

const FORMAT_HINT = `expected ${SECRET_KEY_BYTES} bytes as 64 hex digits or base64 (generate one with: openssl rand -hex 32)`;

function readKeyFile(file: string): Uint8Array {
  const key = parseSecretKey(readFileSync(file, 'utf8'));
  if (!key) throw new ConfigError([`${file}: not a valid secret key file; ${FORMAT_HINT}`]);
  return key;
}

export function loadSecretKey(config: Pick<Config, 'secretKey' | 'dataDir'>): LoadedSecretKey {
  if (config.secretKey !== undefined) {
    const key = parseSecretKey(config.secretKey);
    if (!key) throw new ConfigError([`SECRET_KEY: ${FORMAT_HINT}`]);
    return { box: new SecretBox(key), source: 'env' };
  }
  const dir = resolve(config.dataDir);
  const file = join(dir, KEY_FILE_NAME);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (existsSync(file)) return { box: new SecretBox(readKeyFile(file)), source: 'file', file };
  // Write a complete key to a private temp file, then link it into place: link() fails when the
  // file exists, so two processes starting at once agree on one key and nobody reads half a file.
  const key = randomBytes(SECRET_KEY_BYTES);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${key.toString('hex')}\n`, { mode: 0o600 });
  try {
    linkSync(temp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { box: new SecretBox(readKeyFile(file)), source: 'file', file };
  } finally {
    unlinkSync(temp);
  }
  return { box: new SecretBox(key), source: 'generated', file };
}
