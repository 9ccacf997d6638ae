// Opens the data layer for a command: the database (PostgreSQL when DATABASE_URL is set, else
// the embedded one in DATA_DIR), brought to the newest schema, with the repositories. The
// server's `start` uses the same function.
import {
  createRepositories,
  migrate,
  openDatabase,
  type Database,
  type Repositories,
  type SecretBox,
} from '@switchboard/db';
import type { Config } from './config.ts';
import { loadSecretKey } from './secrets.ts';

export interface OpenData {
  readonly db: Database;
  readonly repos: Repositories;
  /** For repositories built on a transaction: createRepositories(tx, secrets). */
  readonly secrets: SecretBox;
  close(): Promise<void>;
}

/** The settings the data layer needs. */
export type DataConfig = Pick<Config, 'databaseUrl' | 'dataDir' | 'secretKey'>;

/** Former name of OpenData. */
export type OpenedData = OpenData;

export async function openData(config: DataConfig): Promise<OpenData> {
  // Load the key first: a bad SECRET_KEY should fail before anything touches the database.
  const { box } = loadSecretKey(config);
  const db = await openDatabase(
    config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir },
  );
  try {
    await migrate(db.sql);
    const repos = createRepositories(db.sql, box);
    await repos.settings.claimSecretKeyId(box.keyId);
    return { db, repos, secrets: box, close: () => db.close() };
  } catch (err) {
    await db.close();
    throw err;
  }
}

/** Runs `fn` with the data layer open, and closes it afterwards whatever happens. */
export async function withData<T>(config: DataConfig, fn: (data: OpenData) => Promise<T>): Promise<T> {
  const data = await openData(config);
  try {
    return await fn(data);
  } finally {
    await data.close();
  }
}
