// Embedded PostgreSQL (PGlite, PostgreSQL compiled to WebAssembly) stored in a directory.
// One process owns the directory (see data-dir-lock.ts); inside it PGlite serialises queries,
// and `transaction` holds PGlite's transaction mutex so no other query interleaves. The owner
// shares the database over a unix socket in the directory (pglite-share.ts): a second process
// that finds the directory locked connects there instead of failing.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import { CHANGES_CHANNEL, ChangeFanout } from '../changes/data-change.ts';
import { sessionSql, type Database, type QueryResult, type Session, type Sql } from '../sql.ts';
import { acquireDataDirLock, DataDirLockedError } from './data-dir-lock.ts';
import { SHARE_PORT, SHARE_SOCKET, sharePglite, type PgliteShare } from './pglite-share.ts';
import { openPostgresPool } from './postgres.ts';

interface Queryable {
  query<T>(
    text: string,
    params?: unknown[],
  ): Promise<{ rows: T[]; affectedRows?: number; rowCount?: number }>;
  exec(text: string): Promise<unknown>;
}

/** How long a second process waits for a starting owner's socket before giving up. */
const SOCKET_WAIT_MS = 10_000;
const SOCKET_POLL_MS = 100;

/** int8 (counts, sums) as a JS number, as the `pg` backend is configured too. */
const parsers = { [types.INT8]: (value: string) => Number(value) };

function session(db: Queryable): Session {
  return {
    async query(text, params): Promise<QueryResult> {
      const result = await db.query<Record<string, unknown>>(text, params ? [...params] : undefined);
      return { rows: result.rows, rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length };
    },
    async exec(script) {
      await db.exec(script);
    },
  };
}

/**
 * Notifications of this process's PGlite. PGlite is one session, so it sees every commit: its
 * own, and those of clients on the share socket (pglite-share.ts runs their messages through
 * the same session, whose LISTEN therefore hears them).
 */
function pgliteChanges(pg: PGlite): ChangeFanout {
  let unlisten: (() => Promise<void>) | undefined;
  const fanout: ChangeFanout = new ChangeFanout(
    async () => {
      unlisten = await pg.listen(CHANGES_CHANNEL, (payload) => fanout.notify(payload));
    },
    async () => {
      const stop = unlisten;
      unlisten = undefined;
      if (stop && !pg.closed) await stop();
    },
  );
  return fanout;
}

/** Connects to the process that owns `dir` over its socket; rethrows `locked` if there is none. */
async function openShared(dir: string, locked: DataDirLockedError): Promise<Database> {
  // An owner that is starting up opens its socket once PGlite is ready: wait for it, briefly.
  for (let waited = 0; !existsSync(join(dir, SHARE_SOCKET)); waited += SOCKET_POLL_MS) {
    if (waited >= SOCKET_WAIT_MS) throw locked;
    await new Promise((resolve) => setTimeout(resolve, SOCKET_POLL_MS));
  }
  try {
    const db = await openPostgresPool(
      // One connection: the owner serves one session anyway. No password: the socket is 0600.
      { host: dir, port: SHARE_PORT, user: 'postgres', database: 'postgres', max: 1 },
      `${join(dir, 'pglite')} (shared by process ${locked.pid})`,
    );
    return { ...db, backend: 'pglite' };
  } catch {
    throw locked;
  }
}

export async function openPglite(dataDir: string): Promise<Database> {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let lock: ReturnType<typeof acquireDataDirLock>;
  try {
    lock = acquireDataDirLock(join(dir, 'pglite.lock'));
  } catch (err) {
    if (err instanceof DataDirLockedError) return openShared(dir, err);
    throw err;
  }
  let pg: PGlite;
  try {
    pg = await PGlite.create(join(dir, 'pglite'), { parsers });
  } catch (err) {
    lock.release();
    throw err;
  }
  // Sharing is a convenience: without it (say, the path is too long for a unix socket) the
  // database still works, and other processes get DataDirLockedError.
  const share: PgliteShare | undefined = await sharePglite(pg, dir).catch(() => undefined);
  const base = session(pg);
  const sql: Sql = {
    query: base.query as Sql['query'],
    exec: base.exec,
    transaction: (fn) => pg.transaction((tx) => fn(sessionSql(session(tx)))),
  };
  const changes = pgliteChanges(pg);
  return {
    sql,
    backend: 'pglite',
    location: join(dir, 'pglite'),
    subscribeChanges: (listener) => changes.subscribe(listener),
    async close() {
      try {
        await changes.close().catch(() => undefined);
        await share?.close();
        if (!pg.closed) await pg.close();
      } finally {
        lock.release();
      }
    },
  };
}

/** A throwaway in-memory PGlite (unit tests, tools): nothing touches the disk. */
export async function openMemoryPglite(): Promise<Database> {
  const pg = await PGlite.create({ parsers });
  const base = session(pg);
  const changes = pgliteChanges(pg);
  return {
    sql: {
      query: base.query as Sql['query'],
      exec: base.exec,
      transaction: (fn) => pg.transaction((tx) => fn(sessionSql(session(tx)))),
    },
    backend: 'pglite',
    location: 'memory',
    subscribeChanges: (listener) => changes.subscribe(listener),
    async close() {
      await changes.close().catch(() => undefined);
      await pg.close();
    },
  };
}
