// The worker thread that hosts the embedded database (see pglite-worker.ts for the main
// thread's side). It opens DATA_DIR exactly as the in-thread backend does — openPglite: the
// lock, PGlite, the share socket for other processes — and answers the main thread's requests.
// A transaction stays open here, in PGlite's transaction() (holding its mutex, so the main
// thread's other queries wait as in one PGlite session), from `begin` until `commit` or
// `rollback`; the queries in between name it by id.
import { parentPort, workerData } from 'node:worker_threads';
import type { ChangeSubscription } from '../changes/data-change.ts';
import type { Database, Sql } from '../sql.ts';
import { openPglite } from './pglite.ts';
import {
  serializeError,
  type PgliteWorkerInit,
  type WorkerMessage,
  type WorkerRequest,
} from './pglite-worker-protocol.ts';

interface OpenTransaction {
  readonly tx: Sql;
  /** Ends the transaction: COMMIT (true) or ROLLBACK (false); resolves once PGlite has. */
  finish(commit: boolean): Promise<void>;
}

/** Thrown inside PGlite's transaction() to make it roll back on the main thread's request. */
const ROLLBACK_REQUESTED = Symbol('rollback requested');

if (!parentPort) throw new Error('pglite-worker-main.ts runs only as a worker thread');
const port = parentPort;
const post = (message: WorkerMessage): void => port.postMessage(message);

const transactions = new Map<number, OpenTransaction>();
let nextTx = 1;
let subscription: ChangeSubscription | undefined;

function begin(db: Database): Promise<number> {
  return new Promise((opened, failed) => {
    const id = nextTx++;
    let decide!: (commit: boolean) => void;
    const decided = new Promise<boolean>((resolve) => (decide = resolve));
    const done = db.sql.transaction(async (tx) => {
      transactions.set(id, { tx, finish: (commit) => (decide(commit), ended) });
      opened(id);
      if (!(await decided)) throw ROLLBACK_REQUESTED;
    });
    const ended = done.then(
      () => undefined,
      (err: unknown) => {
        if (err !== ROLLBACK_REQUESTED) throw err;
      },
    );
    ended.finally(() => transactions.delete(id)).catch((err: unknown) => failed(err)); // BEGIN itself failed (no-op once opened)
  });
}

function sqlFor(db: Database, tx: number | undefined): Sql {
  if (tx === undefined) return db.sql;
  const open = transactions.get(tx);
  if (!open) throw new Error(`transaction ${tx} is not open`);
  return open.tx;
}

async function handle(db: Database, request: WorkerRequest): Promise<unknown> {
  switch (request.op) {
    case 'query':
      return sqlFor(db, request.tx).query(request.text, request.params);
    case 'exec':
      return sqlFor(db, request.tx).exec(request.script);
    case 'begin':
      return begin(db);
    case 'commit':
    case 'rollback': {
      const open = transactions.get(request.tx);
      if (!open) throw new Error(`transaction ${request.tx} is not open`);
      return open.finish(request.op === 'commit');
    }
    case 'listen':
      subscription ??= await db.subscribeChanges({
        change: (c) =>
          post({
            kind: 'change',
            payload: JSON.stringify({ table: c.table, op: c.op, tenant_id: c.tenantId, key: c.key }),
          }),
        resync: () => post({ kind: 'resync' }),
      });
      return undefined;
    case 'unlisten': {
      const stopping = subscription;
      subscription = undefined;
      await stopping?.close();
      return undefined;
    }
    case 'close':
      // The main thread sends this once its own work has settled; anything still open is
      // rolled back by PGlite's close.
      for (const open of transactions.values()) await open.finish(false).catch(() => undefined);
      await db.close();
      return undefined;
  }
}

async function main(): Promise<void> {
  let db: Database;
  try {
    db = await openPglite((workerData as PgliteWorkerInit).dataDir);
  } catch (err) {
    post({ kind: 'failed', error: serializeError(err) }); // the thread then ends: nothing listens
    return;
  }
  port.on('message', ({ id, request }: { id: number; request: WorkerRequest }) => {
    handle(db, request).then(
      (result) => post({ kind: 'reply', id, ok: true, result }),
      (err: unknown) => post({ kind: 'reply', id, ok: false, error: serializeError(err) }),
    );
  });
  post({ kind: 'ready', location: db.location });
}

await main();
