// The embedded database on a worker thread (openDatabase({ dataDir, thread: 'worker' })): what
// crosses the thread boundary (types, errors), transactions held open in the worker, the share
// socket and change notifications it serves, and close() with work in flight. The rest of the
// Sql/repository behaviour runs on this backend through BACKENDS ('pglite-worker').
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messages } from '@electric-sql/pglite';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { ConflictError, migrate, openDatabase, type DataChange, type Database } from '@switchboard/db';
import { repos, uniqueDomain } from './fixtures.ts';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 }); // PGlite starts in seconds on a busy machine

describe('PGlite on a worker thread', () => {
  const dirs: string[] = [];
  const open: Database[] = [];
  const fresh = async (): Promise<{ db: Database; dir: string }> => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-pglite-worker-'));
    dirs.push(dir);
    const db = await openDatabase({ dataDir: dir, thread: 'worker' });
    open.push(db);
    await migrate(db.sql);
    return { db, dir };
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((db) => db.close()));
  });
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips bytea, timestamptz, int8, bigint parameters, json and arrays unchanged', async () => {
    const { db } = await fresh();
    const at = new Date('2026-11-22T04:05:06.789Z');
    const bytes = new Uint8Array([0, 1, 2, 253, 254, 255]);
    const { rows } = await db.sql.query(
      `SELECT $1::bytea AS b, $2::timestamptz AS at, $3::int8 AS big, 42::int8 AS n,
              $4::jsonb AS j, $5::text[] AS list, $6::timestamptz[] AS ats`,
      [bytes, at, 9007199254740991n, { a: [1, 'x', null], b: { c: true } }, ['p', 'q'], [at]],
    );
    const row = rows[0]!;
    expect(row.b).toBeInstanceOf(Uint8Array);
    expect([...(row.b as Uint8Array)]).toEqual([...bytes]);
    expect(row.at).toBeInstanceOf(Date);
    expect((row.at as Date).toISOString()).toBe(at.toISOString());
    expect(row.big).toBe(9007199254740991);
    expect(row.n).toBe(42);
    expect(row.j).toEqual({ a: [1, 'x', null], b: { c: true } });
    expect(row.list).toEqual(['p', 'q']);
    expect(row.ats).toEqual([at]);
  });

  it('keeps the class, SQLSTATE and constraint of errors, so repositories still map them', async () => {
    const { db } = await fresh();
    await db.sql.exec('CREATE TABLE uniq (v int CONSTRAINT uniq_v PRIMARY KEY)');
    const err = (await db.sql.query('INSERT INTO uniq VALUES (1), (1)').catch((e: unknown) => e)) as Error &
      Record<string, unknown>;
    expect(err).toBeInstanceOf(messages.DatabaseError);
    expect(err).toMatchObject({ code: '23505', constraint: 'uniq_v', table: 'uniq' });
    expect(err.message).toContain('duplicate key');
    await expect(db.sql.query('SELECT * FROM no_such_table')).rejects.toMatchObject({ code: '42P01' });
    // Through a repository: a taken SIP domain is a ConflictError, in and out of a transaction.
    const r = repos(db.sql);
    const domain = uniqueDomain('w');
    await r.tenants.create({ name: 'First', sipDomain: domain });
    await expect(r.tenants.create({ name: 'Second', sipDomain: domain })).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(
      db.sql.transaction((tx) => repos(tx).tenants.create({ name: 'Third', sipDomain: domain })),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('rolls back a transaction that throws (the caller gets its own error), and a savepoint inside one', async () => {
    const { db } = await fresh();
    await db.sql.exec('CREATE TABLE tx_w (v int)');
    const mine = new Error('mine');
    await expect(
      db.sql.transaction(async (tx) => {
        await tx.query('INSERT INTO tx_w VALUES (1)');
        throw mine;
      }),
    ).rejects.toBe(mine);
    await db.sql.transaction(async (tx) => {
      await tx.query('INSERT INTO tx_w VALUES (2)');
      await expect(
        tx.transaction(async (inner) => {
          await inner.query('INSERT INTO tx_w VALUES (3)');
          await inner.query('SELECT 1/0');
        }),
      ).rejects.toMatchObject({ code: '22012' });
      await tx.exec('INSERT INTO tx_w VALUES (4)');
    });
    expect((await db.sql.query('SELECT v FROM tx_w ORDER BY v')).rows).toEqual([{ v: 2 }, { v: 4 }]);
  });

  it('makes a query sent during a transaction wait for its end (never runs inside it)', async () => {
    const { db } = await fresh();
    await db.sql.exec('CREATE TABLE waits (who text)');
    const order: string[] = [];
    let outside: Promise<unknown> | undefined;
    await expect(
      db.sql.transaction(async (tx) => {
        await tx.query(`INSERT INTO waits VALUES ('tx')`);
        // Sent while the worker holds the transaction open: had it run inside, the rollback
        // below would undo it too.
        outside = db.sql.query(`INSERT INTO waits VALUES ('outside')`).then(() => order.push('outside'));
        for (let i = 0; i < 5; i++) await tx.query('SELECT pg_sleep(0.01)');
        order.push('transaction body done');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    order.push('transaction rolled back');
    await outside;
    expect(order).toEqual(['transaction body done', 'transaction rolled back', 'outside']);
    expect((await db.sql.query('SELECT who FROM waits')).rows).toEqual([{ who: 'outside' }]);
  });

  it('serves the share socket: a second opener writes, and the change reaches listeners on this thread', async () => {
    const { db, dir } = await fresh();
    const heard: DataChange[] = [];
    const subscription = await db.subscribeChanges({ change: (c) => heard.push(c), resync: () => undefined });
    const guest = await openDatabase({ dataDir: dir }); // the directory is the worker's: a socket client
    try {
      expect(guest.location).toMatch(/shared by process \d+/);
      const domain = uniqueDomain('share');
      await repos(guest.sql).tenants.create({ name: 'From the CLI', sipDomain: domain });
      const deadline = Date.now() + 10_000;
      while (!heard.some((c) => c.key === domain) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(heard).toContainEqual(expect.objectContaining({ table: 'tenants', op: 'insert', key: domain }));
      // And this thread's own writes are heard before the write resolves, as in-thread.
      const own = uniqueDomain('own');
      await repos(db.sql).tenants.create({ name: 'Own', sipDomain: own });
      expect(heard).toContainEqual(expect.objectContaining({ table: 'tenants', op: 'insert', key: own }));
      await subscription.close();
      await repos(db.sql).tenants.create({ name: 'Unheard', sipDomain: uniqueDomain('after') });
      expect(heard.filter((c) => c.op === 'insert')).toHaveLength(2);
    } finally {
      await guest.close();
    }
  });

  it('close() lets queries and transactions in flight finish, refuses new ones, and frees DATA_DIR', async () => {
    const { db, dir } = await fresh();
    await db.sql.exec('CREATE TABLE flight (n int)');
    const inserts = Array.from({ length: 50 }, (_, n) => db.sql.query('INSERT INTO flight VALUES ($1)', [n]));
    const transaction = db.sql.transaction(async (tx) => {
      await tx.query('INSERT INTO flight VALUES (1000)');
      await tx.query('INSERT INTO flight VALUES (1001)');
      return 'committed';
    });
    const closing = db.close();
    await expect(db.sql.query('SELECT 1')).rejects.toThrow(/closed/);
    await Promise.all(inserts);
    await expect(transaction).resolves.toBe('committed');
    await closing;
    open.splice(open.indexOf(db), 1);
    // The worker released the lock: this thread can own the directory now, and sees every row.
    const again = await openDatabase({ dataDir: dir });
    try {
      expect(again.location).not.toMatch(/shared/);
      expect((await again.sql.query('SELECT count(*) AS n FROM flight')).rows[0]!.n).toBe(52);
    } finally {
      await again.close();
    }
  });
});
