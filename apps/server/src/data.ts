// Opens the configured database (PGlite in DATA_DIR, or PostgreSQL at DATABASE_URL), runs the
// migrations and builds the repositories. Shared by the server and the CLI.
import { createRepositories, migrate, openDatabase, type Database, type Repositories } from '@switchboard/db';
import type { Config } from './config.ts';
import { loadSecretKey } from './secrets.ts';

export interface OpenedData {
  readonly db: Database;
  readonly repos: Repositories;
}

export async function openData(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'secretKey'>,
): Promise<OpenedData> {
  const secrets = loadSecretKey(config);
  const db = await openDatabase(
    config.databaseUrl !== undefined ? { url: config.databaseUrl } : { dataDir: config.dataDir },
  );
  try {
    await migrate(db.sql);
    const repos = createRepositories(db.sql, secrets.box);
    await repos.settings.claimSecretKeyId(secrets.box.keyId);
    return { db, repos };
  } catch (error) {
    await db.close();
    throw error;
  }
}
