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

export interface OpenDataOptions {
  /**
   * Where the embedded database (no DATABASE_URL) runs: 'main' (this thread, the default: CLI
   * commands, test seeding) or 'worker' (a worker thread, so its queries never block the SIP
   * event loop: what the server asks for). See
   * docs/decisions/0004-embedded-database-on-a-worker-thread.md. Ignored with DATABASE_URL.
   */
  readonly embeddedThread?: 'worker' | 'main';
}

export async function openData(config: DataConfig, options: OpenDataOptions = {}): Promise<OpenData> {
  // Load the key first: a bad SECRET_KEY should fail before anything touches the database.
  const { box } = loadSecretKey(config);
  const db = await openDatabase(
    config.databaseUrl
      ? { url: config.databaseUrl }
      : { dataDir: config.dataDir, thread: options.embeddedThread ?? 'main' },
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

/** Runs `fn` with the data layer open (in this thread), and closes it afterwards whatever happens. */
export async function withData<T>(config: DataConfig, fn: (data: OpenData) => Promise<T>): Promise<T> {
  // A CLI command: a few queries, then exit. PGlite in this thread (a client of the server's
  // share socket when the server runs), whatever the server's default becomes.
  const data = await openData(config, { embeddedThread: 'main' });
  try {
    return await fn(data);
  } finally {
    await data.close();
  }
}
