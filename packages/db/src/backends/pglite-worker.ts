// The embedded database on a worker thread: the worker (pglite-worker-main.ts) owns PGlite,
// the DATA_DIR lock, the share socket and the LISTEN for change notifications, so queries —
// CDR inserts, portal and API reads — run beside the SIP event loop instead of on it. This
// thread gets the usual Database: each call is a message to the worker, answered with the
// result (structured clone: Dates, Uint8Array, bigint, arrays, JSON values arrive as they
// left) or the error rebuilt with its class and SQLSTATE (pglite-worker-protocol.ts).
//
// A transaction is begin → queries naming it → commit | rollback, with the worker holding
// PGlite's transaction open meanwhile; PGlite's mutex makes other queries wait, as in the
// in-thread backend. See docs/decisions/0004-embedded-database-on-a-worker-thread.md.
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ChangeFanout } from '../changes/data-change.ts';
import { sessionSql, type Database, type QueryResult, type Session, type Sql } from '../sql.ts';
import { acquireDataDirLock, DataDirLockedError } from './data-dir-lock.ts';
import { openPglite } from './pglite.ts';
import {
  deserializeError,
  type PgliteWorkerInit,
  type WorkerMessage,
  type WorkerReplies,
  type WorkerRequest,
} from './pglite-worker-protocol.ts';

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

class DatabaseClosedError extends Error {
  constructor(location: string) {
    super(`the embedded database ${location} is closed`);
    this.name = 'DatabaseClosedError';
  }
}

/**
 * Opens `dataDir` with PGlite running on a worker thread. When another process (or another
 * handle in this one) already owns the directory there is nothing to host: the database is
 * opened in this thread as a client of the owner's share socket, as `openPglite` does.
 */
export async function openPgliteWorker(dataDir: string): Promise<Database> {
  const dir = resolve(dataDir);
  // Only a probe: the worker takes the lock itself. Should another process take it in between,
  // the worker's openPglite connects to that owner's socket instead — still correct.
  try {
    acquireDataDirLock(join(dir, 'pglite.lock')).release();
  } catch (err) {
    if (err instanceof DataDirLockedError) return openPglite(dir);
    // Anything else (no such directory yet, …) is the worker's to report.
  }
  const worker = new Worker(new URL('./pglite-worker-bootstrap.mjs', import.meta.url), {
    workerData: { dataDir: dir } satisfies PgliteWorkerInit,
  });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let failure: Error | undefined;
  // One LISTEN in the worker for every subscriber here (`call` is defined below, before use).
  const changes = new ChangeFanout(
    () => call({ op: 'listen' }),
    () => call({ op: 'unlisten' }),
  );
  const failAll = (err: Error): void => {
    failure ??= err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  const location = await new Promise<string>((ready, failed) => {
    worker.on('message', (message: WorkerMessage) => {
      switch (message.kind) {
        case 'ready':
          ready(message.location);
          return;
        case 'failed':
          failed(deserializeError(message.error));
          return;
        case 'change':
          changes.notify(message.payload);
          return;
        case 'resync':
          changes.resync();
          return;
        case 'reply': {
          const p = pending.get(message.id);
          pending.delete(message.id);
          if (message.ok) p?.resolve(message.result);
          else p?.reject(deserializeError(message.error));
          return;
        }
      }
    });
    worker.on('error', (err) => {
      failAll(err);
      failed(err);
    });
    worker.once('exit', (code) => {
      const err = new Error(`the database worker thread exited (code ${code})`);
      failAll(err);
      failed(err);
    });
  }).catch(async (err: unknown) => {
    await worker.terminate();
    throw err;
  });

  const call = <K extends WorkerRequest['op']>(
    request: Extract<WorkerRequest, { op: K }>,
  ): Promise<WorkerReplies[K]> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      try {
        worker.postMessage({ id, request });
      } catch (err) {
        // A parameter the structured clone cannot copy (a function, a symbol, …).
        pending.delete(id);
        reject(err as Error);
      }
    });
  };

  // Top-level work in progress (queries and whole transactions): close() lets it finish.
  const inFlight = new Set<Promise<unknown>>();
  let closing: Promise<void> | undefined;
  const track = <T>(work: () => Promise<T>): Promise<T> => {
    if (closing) return Promise.reject(new DatabaseClosedError(location));
    const running = work();
    const settled = running.then(
      () => undefined,
      () => undefined,
    );
    inFlight.add(settled);
    void settled.then(() => inFlight.delete(settled));
    return running;
  };

  const txSession = (tx: number): Session => ({
    query: (text, params) => call({ op: 'query', text, ...(params && { params }), tx }),
    exec: (script) => call({ op: 'exec', script, tx }),
  });

  const sql: Sql = {
    query: ((text: string, params?: readonly unknown[]): Promise<QueryResult> =>
      track(() => call({ op: 'query', text, ...(params && { params }) }))) as Sql['query'],
    exec: (script) => track(() => call({ op: 'exec', script })),
    transaction: <T>(fn: (tx: Sql) => Promise<T>): Promise<T> =>
      track(async () => {
        const tx = await call({ op: 'begin' });
        let result: T;
        try {
          result = await fn(sessionSql(txSession(tx)));
        } catch (err) {
          await call({ op: 'rollback', tx }).catch(() => undefined);
          throw err;
        }
        await call({ op: 'commit', tx });
        return result;
      }),
  };

  const fanout = changes;

  return {
    sql,
    backend: 'pglite',
    location,
    subscribeChanges: (listener) => {
      if (closing) return Promise.reject(new DatabaseClosedError(location));
      return fanout.subscribe(listener);
    },
    close() {
      closing ??= (async () => {
        // Let what was asked before close() finish (a CDR batch being written, …); then the
        // worker closes PGlite, the share socket and the lock, and the thread ends.
        while (inFlight.size > 0) await Promise.all([...inFlight]);
        try {
          await fanout.close().catch(() => undefined);
          if (!failure) await call({ op: 'close' });
        } finally {
          failAll(new DatabaseClosedError(location));
          await worker.terminate();
        }
      })();
      return closing;
    },
  };
}
