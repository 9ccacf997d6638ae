// Server-wide settings. Today: the id of the key that encrypts SIP passwords, recorded by the
// first process that opens the database, so a process started with another key fails at once
// instead of writing passwords nobody can read back together.
import { SecretKeyMismatchError } from '../crypto/secret-box.ts';
import type { Sql } from '../sql.ts';

const SECRET_KEY_ID = 'secret_key_id';

export class SettingsRepository {
  constructor(private readonly sql: Sql) {}

  async get(key: string): Promise<string | undefined> {
    const { rows } = await this.sql.query<{ value: string }>(
      'SELECT value FROM app_settings WHERE key = $1',
      [key],
    );
    return rows[0]?.value;
  }

  /** Records `keyId` as the database's key if none is recorded; throws if another one is. */
  async claimSecretKeyId(keyId: string): Promise<void> {
    await this.sql.query(
      'INSERT INTO app_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING',
      [SECRET_KEY_ID, keyId],
    );
    const stored = await this.get(SECRET_KEY_ID);
    if (stored !== keyId) throw new SecretKeyMismatchError(stored ?? '(none)', keyId);
  }
}
