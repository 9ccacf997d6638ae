// `openDatabase`: the embedded database in DATA_DIR by default, a PostgreSQL server when a URL
// is given. Callers then run `migrate(db.sql)` and build repositories on `db.sql`.
import type { PostgresOptions } from './backends/postgres.ts';
import type { Database } from './sql.ts';

export type OpenDatabaseOptions =
  | {
      readonly dataDir: string;
      readonly url?: undefined;
      /**
       * Where PGlite runs: 'main' (the calling thread, the default: short-lived processes such as
       * the CLI) or 'worker' (a worker thread, so queries do not block this thread's event loop:
       * the server). See docs/decisions/0004-embedded-database-on-a-worker-thread.md.
       */
      readonly thread?: 'main' | 'worker';
    }
  | ({ readonly url: string; readonly dataDir?: undefined } & PostgresOptions)
  | { readonly memory: true; readonly url?: undefined; readonly dataDir?: undefined };

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  // Each backend loads only when used: PGlite's WebAssembly is large, and `pg` is not needed
  // by an embedded install.
  if (options.url !== undefined)
    return (await import('./backends/postgres.ts')).openPostgres(options.url, options);
  if (!('memory' in options) && options.thread === 'worker')
    return (await import('./backends/pglite-worker.ts')).openPgliteWorker(options.dataDir);
  const pglite = await import('./backends/pglite.ts');
  if ('memory' in options) return pglite.openMemoryPglite();
  return pglite.openPglite(options.dataDir);
}
