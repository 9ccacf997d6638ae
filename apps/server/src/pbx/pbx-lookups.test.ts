// The PBX's lookup cache over a real database, on both backends: repeated lookups run no
// queries (counted at the Sql the repositories use), a change made elsewhere is seen on the next
// lookup, the PBX's own writes are seen at once, not-found answers are cached but bounded,
// concurrent misses share one query, the TTL expires entries, and a PostgreSQL listener that
// reconnects flushes the cache.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LISTENER_APPLICATION_NAME,
  createRepositories,
  migrate,
  openDatabase,
  SecretBox,
  type Backend,
  type Database,
  type Repositories,
  type Sql,
} from '@switchboard/db';
import { startPostgres, waitUntil, type PostgresServer } from '@switchboard/testkit';
import { startPbxLookups, type PbxLookups } from './pbx-lookups.ts';

const KEY = new Uint8Array(32).map((_, i) => i + 7);
const SLOW = 120_000;

/** The Sql with every statement counted (inside transactions too). */
function counting(sql: Sql): { sql: Sql; queries: () => number } {
  let n = 0;
  const wrap = (inner: Sql): Sql => ({
    query: ((text: string, params?: readonly unknown[]) => {
      n++;
      return inner.query(text, params);
    }) as Sql['query'],
    exec: (script) => {
      n++;
      return inner.exec(script);
    },
    transaction: (fn) => inner.transaction((tx) => fn(wrap(tx))),
  });
  return { sql: wrap(sql), queries: () => n };
}

describe.each<Backend>(['pglite', 'postgres'])('PBX lookup cache (%s)', (backend) => {
  let pg: PostgresServer | undefined;
  let dir: string | undefined;
  let db: Database;
  /** Writes from "elsewhere" (API, CLI): not through the cache. */
  let admin: Repositories;
  let counted: ReturnType<typeof counting>;
  let lookups: PbxLookups;
  let now = 1_000_000;
  let tenantId = '';

  beforeAll(async () => {
    if (backend === 'postgres') {
      pg = await startPostgres();
      db = await openDatabase({ url: await pg.createDatabase() });
    } else {
      dir = await mkdtemp(join(tmpdir(), 'pbx-lookups-'));
      db = await openDatabase({ dataDir: dir });
    }
    await migrate(db.sql);
    admin = createRepositories(db.sql, new SecretBox(KEY));
    const tenant = await admin.tenants.create({ name: 'Acme', sipDomain: 'acme.test', isDefault: true });
    tenantId = tenant.id;
    for (const n of ['1001', '1002'])
      await admin.sipAccounts.create({ tenantId, username: n, password: `Secret-pass-${n}` });
    counted = counting(db.sql);
    lookups = await startPbxLookups(db, createRepositories(counted.sql, new SecretBox(KEY)), {
      maxMisses: 50,
      ttlMs: 60_000,
      now: () => now,
    });
  }, SLOW);
  afterAll(async () => {
    await lookups?.close();
    await db?.close();
    await pg?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Everything the PBX reads per REGISTER and per call. */
  async function everyLookup(): Promise<unknown[]> {
    const d = lookups.directory;
    const r = lookups.repositories;
    return Promise.all([
      d.tenantByDomain('acme.test'),
      d.tenantByDomain('127.0.0.1'),
      d.defaultTenant(),
      d.findExtension(tenantId, '1001'),
      d.credentials(tenantId, '1001'),
      d.callSettings!(tenantId, '1002'),
      d.featureCodes!(tenantId),
      r.recordings.policy(tenantId, '1001'),
      r.recordings.settings(tenantId),
      r.voicemail.mailbox(tenantId, '1002'),
    ]);
  }

  it('answers repeated lookups without a query', { timeout: SLOW }, async () => {
    expect(lookups.cache).toBeDefined();
    const before = counted.queries();
    const first = await everyLookup();
    expect(counted.queries() - before).toBeGreaterThanOrEqual(10);
    const middle = counted.queries();
    for (let i = 0; i < 20; i++) expect(await everyLookup()).toEqual(first);
    expect(counted.queries()).toBe(middle);
    expect(first[4]).toMatchObject({ ha1Md5: expect.stringMatching(/^[0-9a-f]{32}$/) });
  });

  it(
    'sees a change made elsewhere on the next lookup, and only that key is loaded again',
    { timeout: SLOW },
    async () => {
      await everyLookup();
      await lookups.directory.findExtension(tenantId, '1002');
      await lookups.directory.credentials(tenantId, '1002');
      const old = await lookups.directory.credentials(tenantId, '1001');
      const account = (await admin.sipAccounts.list({ tenantId })).find((a) => a.username === '1001')!;
      await admin.sipAccounts.update(tenantId, account.id, { password: 'Changed-pass-1001' });
      await waitUntil(
        async () =>
          JSON.stringify(await lookups.directory.credentials(tenantId, '1001')) !== JSON.stringify(old),
        'new credentials',
      );
      await admin.callSettings.updateForExtension(tenantId, '1002', { dnd: true });
      await waitUntil(
        async () => (await lookups.directory.callSettings!(tenantId, '1002'))?.dnd === true,
        'DND',
      );
      await admin.featureCodes.replace(tenantId, { 'dnd-on': '*55' });
      await waitUntil(
        async () => (await lookups.directory.featureCodes!(tenantId))['dnd-on'] === '*55',
        'codes',
      );
      await admin.recordings.setPolicy(tenantId, '1001', 'all');
      await waitUntil(
        async () => (await lookups.repositories.recordings.policy(tenantId, '1001')) === 'all',
        'policy',
      );
      await admin.voicemail.update(tenantId, '1002', { enabled: true });
      await waitUntil(
        async () => (await lookups.repositories.voicemail.mailbox(tenantId, '1002'))?.enabled === true,
        'box',
      );
      await admin.sipAccounts.update(tenantId, account.id, { enabled: false });
      await waitUntil(
        async () => (await lookups.directory.credentials(tenantId, '1001')) === undefined,
        'disabled',
      );
      await admin.sipAccounts.update(tenantId, account.id, { enabled: true });
      await waitUntil(
        async () => (await lookups.directory.credentials(tenantId, '1001')) !== undefined,
        'enabled',
      );
      // Keys nobody changed stayed cached all along.
      const settled = counted.queries();
      await lookups.directory.findExtension(tenantId, '1002');
      await lookups.directory.credentials(tenantId, '1002');
      await lookups.directory.tenantByDomain('acme.test');
      await lookups.directory.defaultTenant();
      expect(counted.queries()).toBe(settled);
    },
  );

  it(
    'a new tenant domain and a new extension replace cached not-found answers',
    { timeout: SLOW },
    async () => {
      expect(await lookups.directory.tenantByDomain('beta.test')).toBeUndefined();
      expect(await lookups.directory.findExtension(tenantId, '1003')).toBeUndefined();
      const beta = await admin.tenants.create({ name: 'Beta', sipDomain: 'beta.test' });
      await admin.sipAccounts.create({ tenantId, username: '1003', password: 'Secret-pass-1003' });
      await waitUntil(
        async () => (await lookups.directory.tenantByDomain('beta.test'))?.id === beta.id,
        'tenant',
      );
      await waitUntil(
        async () => (await lookups.directory.findExtension(tenantId, '1003')) !== undefined,
        'ext',
      );
    },
  );

  it(
    'the PBX’s own write (DND by feature code) is seen by the very next lookup',
    { timeout: SLOW },
    async () => {
      const d = lookups.directory;
      await d.callSettings!(tenantId, '1001');
      await d.updateCallSettings!(tenantId, '1001', { dnd: true });
      expect((await d.callSettings!(tenantId, '1001'))?.dnd).toBe(true);
      await d.updateCallSettings!(tenantId, '1001', { dnd: false });
      expect((await d.callSettings!(tenantId, '1001'))?.dnd).toBe(false);
    },
  );

  it(
    'caches not-found answers, bounded: an unknown-user flood neither grows memory nor evicts real users',
    { timeout: SLOW },
    async () => {
      const d = lookups.directory;
      await d.credentials(tenantId, '1002');
      const before = counted.queries();
      for (let round = 0; round < 2; round++)
        await Promise.all(
          Array.from({ length: 500 }, (_, i) => d.credentials(tenantId, `9${String(i).padStart(5, '0')}`)),
        );
      const stats = lookups.cache!.credentials.stats();
      expect(stats.misses).toBeLessThanOrEqual(50);
      // The same unknown user again and again: one query.
      const flood = counted.queries();
      await Promise.all(Array.from({ length: 200 }, () => d.credentials(tenantId, 'nobody')));
      for (let i = 0; i < 20; i++) await d.credentials(tenantId, 'nobody');
      expect(counted.queries() - flood).toBe(1);
      expect(counted.queries() - before).toBeGreaterThan(500);
      const settled = counted.queries();
      expect(await d.credentials(tenantId, '1002')).toBeDefined();
      expect(counted.queries()).toBe(settled);
    },
  );

  it('loads again after the safety TTL', { timeout: SLOW }, async () => {
    await lookups.directory.defaultTenant();
    const before = counted.queries();
    await lookups.directory.defaultTenant();
    expect(counted.queries()).toBe(before);
    now += 60_001;
    await lookups.directory.defaultTenant();
    expect(counted.queries()).toBe(before + 1);
  });

  it.runIf(backend === 'postgres')(
    'flushes everything when the LISTEN connection comes back',
    { timeout: SLOW },
    async () => {
      await everyLookup();
      const flushes = lookups.cache!.stats().flushes;
      await db.sql.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
        [LISTENER_APPLICATION_NAME],
      );
      await waitUntil(() => lookups.cache!.stats().flushes === flushes + 1, 'a flush after reconnecting');
      const before = counted.queries();
      await everyLookup();
      expect(counted.queries() - before).toBeGreaterThanOrEqual(10);
      // And notifications flow again on the new connection.
      await admin.callSettings.updateForExtension(tenantId, '1002', { dnd: false });
      await waitUntil(
        async () => (await lookups.directory.callSettings!(tenantId, '1002'))?.dnd === false,
        'DND off',
      );
    },
  );
});
