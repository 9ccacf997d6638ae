// Runs a suite on every backend: `describe.each(BACKENDS)('… (%s)', (backend) => { const db =
// useDatabase(backend); … })`. PGlite gets a fresh temp directory (in this thread, or on a
// worker thread: 'pglite-worker'), PostgreSQL a fresh database in a throwaway server (started
// on first use, stopped when no suite uses it any more).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, vi } from 'vitest';
import { migrate, openDatabase, type Backend, type Database } from '@switchboard/db';
import { startPostgres, type PostgresServer } from '@switchboard/testkit';

/** A Database backend, and where PGlite runs ('pglite-worker': openDatabase's thread: 'worker'). */
export type TestBackend = Backend | 'pglite-worker';

export const BACKENDS: readonly TestBackend[] = ['pglite', 'pglite-worker', 'postgres'];

// Starting PGlite (WebAssembly) or a PostgreSQL cluster takes seconds on a busy 2-core machine:
// bound these files generously rather than flakily.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let server: Promise<PostgresServer> | undefined;
let users = 0;

/** A throwaway PostgreSQL server shared by the suites that run at once; call release() after. */
export async function acquirePostgres(): Promise<PostgresServer> {
  users++;
  server ??= startPostgres();
  return server;
}

export async function releasePostgres(): Promise<void> {
  users--;
  if (users === 0 && server) {
    const stopping = server;
    server = undefined;
    await stopping.then((s) => s.stop()).catch(() => undefined); // a failed start was already reported
  }
}

export interface TestDatabase {
  /** The open, migrated database (valid inside tests). */
  readonly db: Database;
  /** Opens another handle on the same data (PostgreSQL only: PGlite allows one process). */
  readonly url: string | undefined;
}

/** Registers hooks that open a fresh migrated database on `backend` for the enclosing describe. */
export function useDatabase(backend: TestBackend, options: { migrate?: boolean } = {}): TestDatabase {
  let db: Database | undefined;
  let url: string | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    if (backend === 'postgres') {
      url = await (await acquirePostgres()).createDatabase();
      db = await openDatabase({ url });
    } else {
      dir = mkdtempSync(join(tmpdir(), 'sb-pglite-'));
      db = await openDatabase({ dataDir: dir, thread: backend === 'pglite-worker' ? 'worker' : 'main' });
    }
    if (options.migrate !== false) await migrate(db.sql);
  });
  afterAll(async () => {
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (backend === 'postgres') await releasePostgres();
  });
  return {
    get db() {
      if (!db) throw new Error('database not open yet (use it inside a test)');
      return db;
    },
    get url() {
      return url;
    },
  };
}
