// The trunks runtime over a real database, on both backends: it keeps the enabled trunks in
// memory (repeated lookups read nothing), and a trunk written elsewhere — another connection,
// as the API, the CLI or another node would — is seen by calls and registrations once the
// change notification arrives, not after the 5-minute safety re-read; a PostgreSQL listener
// that reconnects makes it read everything again. Registrations go out on a fake network (the
// real provider exchange is in test/trunks.test.ts and test/trunk-changes.test.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LISTENER_APPLICATION_NAME,
  SecretBox,
  TrunkRepository,
  createRepositories,
  migrate,
  openDatabase,
  type Backend,
  type Database,
  type Repositories,
  type Trunk,
} from '@switchboard/db';
import { PbxEventBus } from '@switchboard/pbx';
import { UserAgent, seededRandom } from '@switchboard/sip';
import { FakeClock, FakeNetwork, startPostgres, waitUntil, type PostgresServer } from '@switchboard/testkit';
import { serialSync, startTrunks, type TrunksRuntime } from './trunks-runtime.ts';

const KEY = new Uint8Array(32).map((_, i) => i + 11);
const SLOW = 120_000;

/** The trunk repository the runtime reads, counting its reads of every enabled trunk. */
class CountingTrunks extends TrunkRepository {
  reads = 0;
  override listEnabled(): Promise<Trunk[]> {
    this.reads++;
    return super.listEnabled();
  }
}

describe.each<Backend>(['pglite', 'postgres'])('trunks runtime (%s)', (backend) => {
  let pg: PostgresServer | undefined;
  let dir: string | undefined;
  let db: Database;
  /** Writes from elsewhere. */
  let admin: Repositories;
  let counted: CountingTrunks;
  let runtime: TrunksRuntime;
  let network: FakeNetwork;
  let tenantId = '';

  beforeAll(async () => {
    if (backend === 'postgres') {
      pg = await startPostgres();
      db = await openDatabase({ url: await pg.createDatabase() });
    } else {
      dir = await mkdtemp(join(tmpdir(), 'trunks-runtime-'));
      db = await openDatabase({ dataDir: dir });
    }
    await migrate(db.sql);
    admin = createRepositories(db.sql, new SecretBox(KEY));
    tenantId = (await admin.tenants.create({ name: 'Acme', sipDomain: 'acme.test', isDefault: true })).id;
    counted = new CountingTrunks(db.sql, new SecretBox(KEY));
    const clock = new FakeClock();
    network = new FakeNetwork({ clock });
    const endpoint = network.endpoint('192.0.2.1', 5060);
    runtime = await startTrunks({
      repos: { trunks: counted, tenants: admin.tenants },
      db,
      ua: new UserAgent({ clock, transport: endpoint, random: seededRandom(1) }),
      clock,
      events: new PbxEventBus(),
      logger: pino({ level: 'silent' }),
    });
  }, SLOW);
  afterAll(async () => {
    await runtime?.close();
    await db?.close();
    await pg?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const names = async (): Promise<string[]> => (await runtime.trunks.trunks()).map((t) => t.name).sort();

  it('keeps the trunks in memory and follows changes written elsewhere', { timeout: SLOW }, async () => {
    expect(runtime.notified).toBe(true);
    expect(await names()).toEqual([]);
    await waitUntil(() => counted.reads === 2, 'the first reads (calls, registrations)');
    for (let i = 0; i < 20; i++) await names();
    expect(counted.reads).toBe(2);

    const carrier = await admin.trunks.create({ tenantId, name: 'carrier', host: '198.51.100.7' });
    await waitUntil(async () => (await names()).includes('carrier'), 'the new trunk');
    const backup = await admin.trunks.create({
      tenantId,
      name: 'backup',
      host: '198.51.100.8',
      authUsername: 'acct-8',
      password: 'Trunk-pass-8',
      register: true,
    });
    // Registrations follow: a REGISTER goes out to the new trunk's provider.
    await waitUntil(() => runtime.registrations.status(backup.id) !== undefined, 'a registration');
    expect(network.packets({ cseqMethod: 'REGISTER', to: { host: '198.51.100.8', port: 5060 } })).not.toEqual(
      [],
    );
    await admin.trunks.update(tenantId, carrier.id, { enabled: false });
    await waitUntil(async () => !(await names()).includes('carrier'), 'the disabled trunk gone');
    await admin.trunks.remove(tenantId, backup.id);
    await waitUntil(() => runtime.registrations.status(backup.id) === undefined, 'the registration gone');
    expect(await names()).toEqual([]);

    // Other changes (an extension; routes, DIDs and the policy, which calls read afresh) leave
    // the trunks cached. A listener of its own tells when their notifications have arrived.
    const settled = counted.reads;
    const heard: string[] = [];
    const probe = await db.subscribeChanges({ change: (c) => heard.push(c.table), resync: () => undefined });
    try {
      await admin.sipAccounts.create({ tenantId, username: '1001', password: 'Secret-pass-1001' });
      await admin.trunks.addRoute(tenantId, { trunkId: carrier.id, pattern: '0X.' });
      await admin.trunks.addDid(tenantId, { number: '+442079460001', extension: '1001' });
      await admin.trunks.setPolicy(tenantId, { externalCalls: true });
      await waitUntil(() => heard.includes('tenant_trunk_policy'), 'the notifications');
    } finally {
      await probe.close();
    }
    for (let i = 0; i < 20; i++) await names();
    expect(counted.reads).toBe(settled);
  });

  it.runIf(backend === 'postgres')(
    'reads everything again when the LISTEN connection comes back',
    { timeout: SLOW },
    async () => {
      await names();
      const before = counted.reads;
      await db.sql.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
        [LISTENER_APPLICATION_NAME],
      );
      await waitUntil(() => counted.reads > before, 'a re-read after reconnecting');
      await names();
      const after = counted.reads;
      // And notifications flow again on the new connection.
      await admin.trunks.create({ tenantId, name: 'late', host: '198.51.100.9' });
      await waitUntil(async () => (await names()).includes('late'), 'a trunk after the reconnect');
      expect(counted.reads).toBeGreaterThan(after);
    },
  );
});

describe('serialSync', () => {
  it('runs one at a time; calls meanwhile make one more run after it', async () => {
    let running = 0;
    let most = 0;
    let runs = 0;
    const release: (() => void)[] = [];
    const sync = serialSync(async () => {
      runs++;
      most = Math.max(most, ++running);
      await new Promise<void>((resolve) => release.push(resolve));
      running--;
    });
    sync();
    sync();
    sync();
    expect(runs).toBe(1);
    release.shift()!();
    await waitUntil(() => runs === 2, 'the second run');
    sync();
    release.shift()!();
    await waitUntil(() => runs === 3, 'the third run');
    release.shift()!();
    await new Promise((r) => setTimeout(r, 20));
    expect([runs, most]).toEqual([3, 1]);
  });
});
