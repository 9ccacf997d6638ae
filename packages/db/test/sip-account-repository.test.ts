import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  DecryptionError,
  SecretBox,
  SecretKeyMismatchError,
  ValidationError,
  createRepositories,
  digestHa1,
} from '@switchboard/db';
import { BACKENDS, useDatabase } from './backends.ts';
import { repos, uniqueDomain } from './fixtures.ts';

describe.each(BACKENDS)('SipAccountRepository on %s', (backend) => {
  const t = useDatabase(backend);
  const newTenant = async () => repos(t.db.sql).tenants.create({ name: 'T', sipDomain: uniqueDomain() });

  it('creates an extension on the built-in PBX, its password encrypted at rest and never returned', async () => {
    const { sipAccounts, providers } = repos(t.db.sql);
    const tenant = await newTenant();
    const account = await sipAccounts.create({
      tenantId: tenant.id,
      username: '1001',
      password: 'hunter2-secret',
      displayName: 'Alice',
    });
    expect(account).toMatchObject({
      username: '1001',
      displayName: 'Alice',
      name: 'Alice',
      enabled: true,
      hasPassword: true,
      providerId: (await providers.getBuiltIn(tenant.id)).id,
    });
    expect(JSON.stringify(account)).not.toContain('hunter2');
    const { rows } = await t.db.sql.query('SELECT * FROM sip_accounts WHERE id = $1', [account.id]);
    const raw = JSON.stringify(rows[0]);
    expect(raw).not.toContain('hunter2');
    expect(String(rows[0]!.password_enc)).toMatch(/^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+$/);
    expect(await sipAccounts.revealPassword(tenant.id, account.id)).toBe('hunter2-secret');
  });

  it('gives the registrar HA1s for the tenant realm and the password only on request', async () => {
    const { sipAccounts } = repos(t.db.sql);
    const tenant = await newTenant();
    await sipAccounts.create({ tenantId: tenant.id, username: '2001', password: 'pw2001' });
    const creds = await sipAccounts.findCredentials(tenant.id, '2001');
    const expected = digestHa1('2001', tenant.sipDomain, 'pw2001');
    expect(creds?.digest).toEqual({
      realm: tenant.sipDomain,
      ha1Md5: expected.md5,
      ha1Sha256: expected.sha256,
    });
    expect(creds?.revealPassword()).toBe('pw2001');
    expect(JSON.stringify(creds)).not.toContain('pw2001');
    expect(await sipAccounts.findCredentials(tenant.id, '9999')).toBeUndefined();

    // When the tenant's domain (the realm) changes, stale HA1s are withheld; the password remains.
    await t.db.sql.query("UPDATE tenants SET sip_domain = 'renamed-' || sip_domain WHERE id = $1", [
      tenant.id,
    ]);
    const after = await sipAccounts.findCredentials(tenant.id, '2001');
    expect(after?.digest).toBeNull();
    expect(after?.revealPassword()).toBe('pw2001');
  });

  it('keeps tenants apart: the same number in two tenants, invisible across them', async () => {
    const { sipAccounts } = repos(t.db.sql);
    const a = await newTenant();
    const b = await newTenant();
    const inA = await sipAccounts.create({ tenantId: a.id, username: '100', password: 'a' });
    const inB = await sipAccounts.create({ tenantId: b.id, username: '100', password: 'b' });
    expect((await sipAccounts.findCredentials(a.id, '100'))?.revealPassword()).toBe('a');
    expect((await sipAccounts.findCredentials(b.id, '100'))?.revealPassword()).toBe('b');
    expect(await sipAccounts.findById(b.id, inA.id)).toBeUndefined();
    await expect(sipAccounts.remove(b.id, inA.id)).rejects.toThrow(/not found/);
    expect((await sipAccounts.list({ tenantId: b.id })).map((x) => x.id)).toEqual([inB.id]);
    await expect(sipAccounts.create({ tenantId: a.id, username: '100', password: 'again' })).rejects.toThrow(
      ConflictError,
    );
  });

  it('rejects bad input with every problem listed (CR/LF cannot reach a SIP header)', async () => {
    const { sipAccounts } = repos(t.db.sql);
    const tenant = await newTenant();
    const err = await sipAccounts
      .create({ tenantId: tenant.id, username: '10 01', password: '', displayName: 'Eve\r\nVia: evil' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).details.map((d) => d.field).sort()).toEqual([
      'displayName',
      'password',
      'username',
    ]);
  });

  it('imports many extensions in one go, or none when a row is bad (inside a transaction)', async () => {
    const tenant = await newTenant();
    const rows = Array.from({ length: 2500 }, (_, i) => ({
      username: String(30000 + i),
      password: `p${i}`,
      displayName: `User ${i}`,
    }));
    const added = await t.db.sql.transaction((tx) => repos(tx).sipAccounts.createExtensions(tenant.id, rows));
    expect(added).toBe(2500);
    const { sipAccounts } = repos(t.db.sql);
    expect(await sipAccounts.count({ tenantId: tenant.id })).toBe(2500);
    expect((await sipAccounts.findCredentials(tenant.id, '31234'))?.revealPassword()).toBe('p1234');

    const bad = [
      { username: '40000', password: 'ok' },
      { username: '40001', password: '' },
      { username: '40000', password: 'dup' },
    ];
    const err = await t.db.sql
      .transaction((tx) => repos(tx).sipAccounts.createExtensions(tenant.id, bad))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).details.map((d) => [d.index, d.field])).toEqual([
      [1, 'password'],
      [2, 'number'],
    ]);
    const clash = [
      { username: '50000', password: 'new' },
      { username: '30007', password: 'exists' },
    ];
    const conflict = await t.db.sql
      .transaction((tx) => repos(tx).sipAccounts.createExtensions(tenant.id, clash))
      .catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(ConflictError);
    expect((conflict as ConflictError).details).toEqual([
      { field: 'number', index: 1, message: '30007 already exists' },
    ]);
    expect(await sipAccounts.count({ tenantId: tenant.id })).toBe(2500);
  });

  it('re-encrypts and recomputes HA1s when the password changes; disables and removes', async () => {
    const { sipAccounts } = repos(t.db.sql);
    const tenant = await newTenant();
    const account = await sipAccounts.create({ tenantId: tenant.id, username: '300', password: 'old' });
    const updated = await sipAccounts.update(tenant.id, account.id, {
      password: 'new',
      enabled: false,
      displayName: 'Bob',
    });
    expect(updated).toMatchObject({ enabled: false, displayName: 'Bob' });
    const creds = await sipAccounts.findCredentials(tenant.id, '300');
    expect(creds?.enabled).toBe(false);
    expect(creds?.revealPassword()).toBe('new');
    expect(creds?.digest?.ha1Md5).toBe(digestHa1('300', tenant.sipDomain, 'new').md5);
    await sipAccounts.removeExtension(tenant.id, '300');
    expect(await sipAccounts.findExtension(tenant.id, '300')).toBeUndefined();
  });

  it('binds each ciphertext to its row and to its key', async () => {
    const { sipAccounts } = repos(t.db.sql);
    const tenant = await newTenant();
    const a = await sipAccounts.create({ tenantId: tenant.id, username: '401', password: 'pa' });
    const b = await sipAccounts.create({ tenantId: tenant.id, username: '402', password: 'pb' });
    await t.db.sql.query(
      'UPDATE sip_accounts SET password_enc = (SELECT password_enc FROM sip_accounts WHERE id = $1) WHERE id = $2',
      [a.id, b.id],
    );
    await expect(sipAccounts.revealPassword(tenant.id, b.id)).rejects.toThrow(DecryptionError);
    const otherKey = createRepositories(t.db.sql, new SecretBox(new Uint8Array(32).fill(9)));
    await expect(otherKey.sipAccounts.revealPassword(tenant.id, a.id)).rejects.toThrow(
      SecretKeyMismatchError,
    );
  });

  it('holds accounts of external providers: no HA1, password optional when typed on the device', async () => {
    const { sipAccounts, providers } = repos(t.db.sql);
    const tenant = await newTenant();
    const carrier = await providers.create({
      tenantId: tenant.id,
      name: 'Carrier',
      host: 'sip.carrier.example',
      transport: 'tls',
    });
    const manual = await sipAccounts.create({
      tenantId: tenant.id,
      providerId: carrier.id,
      username: 'alice',
      authUsername: 'alice-auth',
      manualPassword: true,
      protocol: 'tls',
    });
    expect(manual).toMatchObject({
      hasPassword: false,
      manualPassword: true,
      authUsername: 'alice-auth',
      protocol: 'tls',
    });
    // An external account is not a PBX extension: the registrar does not see it.
    expect(await sipAccounts.findCredentials(tenant.id, 'alice')).toBeUndefined();
    await expect(
      sipAccounts.create({ tenantId: tenant.id, providerId: carrier.id, username: 'bob' }),
    ).rejects.toThrow(ValidationError);
    const withPw = await sipAccounts.create({
      tenantId: tenant.id,
      providerId: carrier.id,
      username: 'bob',
      password: 'x',
    });
    const { rows } = await t.db.sql.query('SELECT digest_realm, ha1_md5 FROM sip_accounts WHERE id = $1', [
      withPw.id,
    ]);
    expect(rows[0]).toEqual({ digest_realm: null, ha1_md5: null });
  });
});
