// `openDatabase`: the embedded database in DATA_DIR by default, a PostgreSQL server when a URL
// is given. Callers then run `migrate(db.sql)` and build repositories on `db.sql`.
import { openMemoryPglite, openPglite } from './backends/pglite.ts';
import { openPostgres, type PostgresOptions } from './backends/postgres.ts';
import type { Database } from './sql.ts';

export type OpenDatabaseOptions =
  | { readonly dataDir: string; readonly url?: undefined }
  | ({ readonly url: string; readonly dataDir?: undefined } & PostgresOptions)
  | { readonly memory: true; readonly url?: undefined; readonly dataDir?: undefined };

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url !== undefined) return openPostgres(options.url, options);
  if ('memory' in options) return openMemoryPglite();
  return openPglite(options.dataDir);
}
