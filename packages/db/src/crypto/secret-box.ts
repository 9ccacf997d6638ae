// Encryption at rest for SIP passwords: AES-256-GCM (NIST SP 800-38D) with a random 96-bit IV
// per value and the row's identity as additional authenticated data, so a ciphertext copied to
// another row does not decrypt. The stored text is an envelope:
//
//   v1.<key id>.<base64url(iv ‖ ciphertext ‖ tag)>
//
// The key id (8 hex digits derived from the key) tells a wrong key apart from tampered data.
// Loading the key (SECRET_KEY or a generated key file) is the app's job: apps/server/src/secrets.ts.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SECRET_KEY_BYTES = 32;

export class SecretKeyMismatchError extends Error {
  constructor(
    readonly storedKeyId: string,
    readonly currentKeyId: string,
  ) {
    super(
      `SIP passwords in this database were encrypted with key ${storedKeyId}, but the configured key is ` +
        `${currentKeyId}: set SECRET_KEY (or restore DATA_DIR/secret.key) to the key used before`,
    );
    this.name = 'SecretKeyMismatchError';
  }
}

export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

export class SecretBox {
  readonly keyId: string;
  readonly #key: Buffer;

  constructor(key: Uint8Array) {
    if (key.byteLength !== SECRET_KEY_BYTES) {
      throw new RangeError(`the secret key must be ${SECRET_KEY_BYTES} bytes, got ${key.byteLength}`);
    }
    this.#key = Buffer.from(key);
    this.keyId = createHmac('sha256', this.#key).update('switchboard key id').digest('hex').slice(0, 8);
  }

  encrypt(plaintext: string, aad: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const packed = Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
    return `v1.${this.keyId}.${packed}`;
  }

  decrypt(envelope: string, aad: string): string {
    const [version, keyId, packed, ...rest] = envelope.split('.');
    if (version !== 'v1' || keyId === undefined || packed === undefined || rest.length > 0) {
      throw new DecryptionError('not a v1 secret envelope');
    }
    if (keyId !== this.keyId) throw new SecretKeyMismatchError(keyId, this.keyId);
    const bytes = Buffer.from(packed, 'base64url');
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new DecryptionError('secret envelope too short');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, bytes.subarray(0, IV_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    try {
      const plain = Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return plain.toString('utf8');
    } catch {
      throw new DecryptionError(
        'secret envelope failed authentication (tampered, or moved from another row)',
      );
    }
  }

  /** Never print the key: objects holding a SecretBox may end up in logs. */
  toJSON(): string {
    return `[SecretBox ${this.keyId}]`;
  }
}

/** Digest HA1 values (RFC 7616 §3.4.2: H(username ":" realm ":" password)) for MD5 and SHA-256. */
export function digestHa1(
  username: string,
  realm: string,
  password: string,
): { md5: string; sha256: string } {
  const input = `${username}:${realm}:${password}`;
  return {
    md5: createHash('md5').update(input, 'utf8').digest('hex'),
    sha256: createHash('sha256').update(input, 'utf8').digest('hex'),
  };
}
