// Change notifications (migrations 0006 and 0010): every insert, update and delete of a watched
// table — the directory's and the trunks' — reaches subscribeChanges on both backends, with the
// key the PBX looks rows up by; the
// embedded database's share socket carries them both ways; a PostgreSQL listener that loses
// its connection comes back and tells its listeners to resync.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  LISTENER_APPLICATION_NAME,
  migrate,
  openDatabase,
  type ChangeListener,
  type DataChange,
  type Database,
} from '@switchboard/db';
import { BACKENDS, useDatabase } from './backends.ts';
import { repos, uniqueDomain } from './fixtures.ts';

class Collector implements ChangeListener {
  readonly changes: DataChange[] = [];
  resyncs = 0;
  change(change: DataChange): void {
    this.changes.push(change);
  }
  resync(): void {
    this.resyncs++;
  }
  clear(): void {
    this.changes.length = 0;
  }
  /** Waits (bounded) until a change matching `expected` has arrived. */
  async waitFor(expected: Partial<DataChange>, timeoutMs = 10_000): Promise<DataChange> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.changes.find((c) =>
        Object.entries(expected).every(([k, v]) => c[k as keyof DataChange] === v),
      );
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`no change ${JSON.stringify(expected)}; got ${JSON.stringify(this.changes)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  async waitUntil(test: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!test()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

async function seed(db: Database): Promise<{ tenantId: string; domain: string; accountId: string }> {
  const r = repos(db.sql);
  const domain = uniqueDomain('chg');
  const tenant = await r.tenants.create({ name: 'Changes', sipDomain: domain });
  const account = await r.sipAccounts.create({
    tenantId: tenant.id,
    username: '2001',
    password: 'Secret-pass-2001',
  });
  return { tenantId: tenant.id, domain, accountId: account.id };
}

describe.each(BACKENDS)('change notifications (%s)', (backend) => {
  const t = useDatabase(backend);

  it('tenants: insert, update (a new domain names the old one too) and delete, keyed by SIP domain', async () => {
    const seen = new Collector();
    const sub = await t.db.subscribeChanges(seen);
    const r = repos(t.db.sql);
    const domain = uniqueDomain('ten');
    const tenant = await r.tenants.create({ name: 'T', sipDomain: domain });
    await seen.waitFor({ table: 'tenants', op: 'insert', tenantId: tenant.id, key: domain });
    const renamed = uniqueDomain('ten2');
    await t.db.sql.query('UPDATE tenants SET sip_domain = $2 WHERE id = $1', [tenant.id, renamed]);
    await seen.waitFor({ table: 'tenants', op: 'update', key: renamed });
    await seen.waitFor({ table: 'tenants', op: 'update', key: domain });
    await r.tenants.remove(tenant.id, { force: true });
    await seen.waitFor({ table: 'tenants', op: 'delete', tenantId: tenant.id, key: renamed });
    await sub.close();
  });

  it('sip_accounts: create, password change, disable, rename and delete, keyed by username', async () => {
    const { tenantId, accountId } = await seed(t.db);
    const seen = new Collector();
    const sub = await t.db.subscribeChanges(seen);
    const r = repos(t.db.sql);
    await r.sipAccounts.create({ tenantId, username: '2002', password: 'Secret-pass-2002' });
    await seen.waitFor({ table: 'sip_accounts', op: 'insert', tenantId, key: '2002' });
    await r.sipAccounts.update(tenantId, accountId, { password: 'Another-pass-2001' });
    await seen.waitFor({ table: 'sip_accounts', op: 'update', tenantId, key: '2001' });
    seen.clear();
    await r.sipAccounts.update(tenantId, accountId, { enabled: false });
    await seen.waitFor({ table: 'sip_accounts', op: 'update', tenantId, key: '2001' });
    await t.db.sql.query('UPDATE sip_accounts SET username = $2 WHERE id = $1', [accountId, '2003']);
    await seen.waitFor({ table: 'sip_accounts', op: 'update', key: '2003' });
    await seen.waitFor({ table: 'sip_accounts', op: 'update', key: '2001' });
    await r.sipAccounts.removeExtension(tenantId, '2002');
    await seen.waitFor({ table: 'sip_accounts', op: 'delete', tenantId, key: '2002' });
    await sub.close();
  });

  it('extension_call_settings and voicemail_boxes name the extension; feature codes the feature', async () => {
    const { tenantId } = await seed(t.db);
    const seen = new Collector();
    const sub = await t.db.subscribeChanges(seen);
    const r = repos(t.db.sql);
    await r.callSettings.updateForExtension(tenantId, '2001', { dnd: true });
    await seen.waitFor({ table: 'extension_call_settings', op: 'insert', tenantId, key: '2001' });
    await r.callSettings.updateForExtension(tenantId, '2001', { dnd: false });
    await seen.waitFor({ table: 'extension_call_settings', op: 'update', tenantId, key: '2001' });
    await r.voicemail.update(tenantId, '2001', { enabled: true });
    await seen.waitFor({ table: 'voicemail_boxes', tenantId, key: '2001' });
    await r.featureCodes.replace(tenantId, { 'dnd-on': '*55' });
    await seen.waitFor({ table: 'tenant_feature_codes', op: 'insert', tenantId, key: 'dnd-on' });
    await r.featureCodes.replace(tenantId, {});
    await seen.waitFor({ table: 'tenant_feature_codes', op: 'delete', tenantId, key: 'dnd-on' });
    await r.recordings.updateSettings(tenantId, { channels: 2 });
    await seen.waitFor({ table: 'tenant_recording_settings', tenantId, key: null });
    await r.recordings.setPolicy(tenantId, '2001', 'all');
    await seen.waitFor({ table: 'sip_accounts', op: 'update', tenantId, key: '2001' });
    // Deleting the account takes its settings and mailbox along: every row says so.
    seen.clear();
    await r.sipAccounts.removeExtension(tenantId, '2001');
    await seen.waitFor({ table: 'sip_accounts', op: 'delete', tenantId, key: '2001' });
    await seen.waitFor({ table: 'extension_call_settings', op: 'delete', tenantId });
    await seen.waitFor({ table: 'voicemail_boxes', op: 'delete', tenantId });
    await sub.close();
  });

  it('trunk tables: trunks by id, DIDs by number, routes and the policy by tenant; truncate', async () => {
    const { tenantId } = await seed(t.db);
    const seen = new Collector();
    const sub = await t.db.subscribeChanges(seen);
    const r = repos(t.db.sql);
    const sql = t.db.sql;
    const trunk = await r.trunks.create({ tenantId, name: 'carrier', host: 'sip.carrier.example' });
    await seen.waitFor({ table: 'trunks', op: 'insert', tenantId, key: trunk.id });
    await r.trunks.update(tenantId, trunk.id, { password: 'Trunk-pass-1', authUsername: 'acct-1' });
    await seen.waitFor({ table: 'trunks', op: 'update', tenantId, key: trunk.id });

    const route = await r.trunks.addRoute(tenantId, { trunkId: trunk.id, pattern: '0X.' });
    await seen.waitFor({ table: 'trunk_outbound_routes', op: 'insert', tenantId, key: null });
    await sql.query('UPDATE trunk_outbound_routes SET strip = 1 WHERE id = $1', [route.id]);
    await seen.waitFor({ table: 'trunk_outbound_routes', op: 'update', tenantId, key: null });
    await r.trunks.removeRoute(tenantId, route.id);
    await seen.waitFor({ table: 'trunk_outbound_routes', op: 'delete', tenantId, key: null });

    await r.trunks.addDid(tenantId, { number: '+442079460001', extension: '2001' });
    await seen.waitFor({ table: 'trunk_dids', op: 'insert', tenantId, key: '+442079460001' });
    await sql.query('UPDATE trunk_dids SET number = $2 WHERE tenant_id = $1', [tenantId, '+442079460002']);
    await seen.waitFor({ table: 'trunk_dids', op: 'update', tenantId, key: '+442079460002' });
    await seen.waitFor({ table: 'trunk_dids', op: 'update', tenantId, key: '+442079460001' });
    await r.trunks.removeDid(tenantId, '+442079460002');
    await seen.waitFor({ table: 'trunk_dids', op: 'delete', tenantId, key: '+442079460002' });

    await r.trunks.setPolicy(tenantId, { externalCalls: true });
    await seen.waitFor({ table: 'tenant_trunk_policy', op: 'insert', tenantId, key: null });
    await r.trunks.setPolicy(tenantId, { allowedExtensions: ['2001'] });
    await seen.waitFor({ table: 'tenant_trunk_policy', op: 'update', tenantId, key: null });
    await sql.query('DELETE FROM tenant_trunk_policy WHERE tenant_id = $1', [tenantId]);
    await seen.waitFor({ table: 'tenant_trunk_policy', op: 'delete', tenantId, key: null });

    // Removing a trunk takes its routes and DIDs along: every row says so.
    await r.trunks.addRoute(tenantId, { trunkId: trunk.id, pattern: '00X.' });
    await r.trunks.addDid(tenantId, { number: '+442079460003', extension: '2001', trunkId: trunk.id });
    await seen.waitFor({ table: 'trunk_dids', op: 'insert', key: '+442079460003' });
    seen.clear();
    await r.trunks.remove(tenantId, trunk.id);
    await seen.waitFor({ table: 'trunks', op: 'delete', tenantId, key: trunk.id });
    await seen.waitFor({ table: 'trunk_outbound_routes', op: 'delete', tenantId });
    await seen.waitFor({ table: 'trunk_dids', op: 'delete', tenantId, key: '+442079460003' });

    await sql.query('TRUNCATE trunk_dids');
    await seen.waitFor({ table: 'trunk_dids', op: 'truncate', tenantId: null, key: null });
    await sub.close();
  });

  it('a rolled-back change notifies nobody; a closed subscription hears nothing more', async () => {
    const { tenantId } = await seed(t.db);
    const seen = new Collector();
    const sub = await t.db.subscribeChanges(seen);
    const r = repos(t.db.sql);
    await expect(
      t.db.sql.transaction(async (tx) => {
        await repos(tx).sipAccounts.create({ tenantId, username: '2009', password: 'Secret-pass-2009' });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await r.sipAccounts.create({ tenantId, username: '2010', password: 'Secret-pass-2010' });
    await seen.waitFor({ key: '2010' });
    expect(seen.changes.some((c) => c.key === '2009')).toBe(false);
    await sub.close();
    const after = new Collector();
    const other = await t.db.subscribeChanges(after);
    seen.clear();
    await r.sipAccounts.create({ tenantId, username: '2011', password: 'Secret-pass-2011' });
    await after.waitFor({ key: '2011' });
    expect(seen.changes).toEqual([]);
    await other.close();
  });
});

describe('change notifications through the embedded database share socket', () => {
  it('a write by another process reaches the owner, and the owner’s write reaches a listening client', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-share-chg-'));
    const owner = await openDatabase({ dataDir: dir });
    try {
      await migrate(owner.sql);
      const { tenantId } = await seed(owner);
      const ownerSeen = new Collector();
      await owner.subscribeChanges(ownerSeen);
      // A second handle on the same directory goes through the owner's socket (like the CLI).
      const client = await openDatabase({ dataDir: dir });
      expect(client.location).toContain('shared by process');
      try {
        const clientSeen = new Collector();
        await client.subscribeChanges(clientSeen);
        await repos(client.sql).sipAccounts.create({
          tenantId,
          username: '3001',
          password: 'Secret-pass-3001',
        });
        // Delivered before the client's write returned: the owner heard it in the same exchange.
        expect(ownerSeen.changes).toContainEqual({
          table: 'sip_accounts',
          op: 'insert',
          tenantId,
          key: '3001',
        });
        await clientSeen.waitFor({ table: 'sip_accounts', op: 'insert', key: '3001' });
        await repos(owner.sql).callSettings.updateForExtension(tenantId, '3001', { dnd: true });
        await clientSeen.waitFor({ table: 'extension_call_settings', key: '3001' });
        // The client's own replies carry no stray notifications: each arrives once.
        expect(clientSeen.changes.filter((c) => c.key === '3001' && c.table === 'sip_accounts')).toHaveLength(
          1,
        );
      } finally {
        await client.close();
      }
    } finally {
      await owner.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('change notifications from PostgreSQL after the listening connection drops', () => {
  const t = useDatabase('postgres');

  it('reconnects, tells listeners to resync, and delivers changes again', async () => {
    const { tenantId } = await seed(t.db);
    const seen = new Collector();
    const sub = await t.db.subscribeChanges(seen);
    const r = repos(t.db.sql);
    await r.sipAccounts.create({ tenantId, username: '4001', password: 'Secret-pass-4001' });
    await seen.waitFor({ key: '4001' });
    expect(seen.resyncs).toBe(0);
    const { rows } = await t.db.sql.query<{ killed: boolean }>(
      'SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
      [LISTENER_APPLICATION_NAME],
    );
    expect(rows.map((row) => row.killed)).toEqual([true]);
    await seen.waitUntil(() => seen.resyncs === 1, 'a resync after the reconnect');
    await r.sipAccounts.create({ tenantId, username: '4002', password: 'Secret-pass-4002' });
    await seen.waitFor({ key: '4002' });
    await sub.close();
  });
});
