// Service providers and SIP accounts: CRUD, the built-in PBX rules, write-only passwords,
// dialing rules validation, live SIP status and the cascade rules.
import { describe, expect, it } from 'vitest';
import {
  BACKENDS,
  binding,
  call,
  expectError,
  signUp,
  useApi,
  type Harness,
  type Session,
} from './harness.ts';

async function builtIn(h: Harness, s: Session): Promise<string> {
  return (await call(h, s, 'GET', '/api/v1/providers')).body.items.find(
    (p: { builtIn: boolean }) => p.builtIn,
  ).id;
}

async function contactWithDevice(h: Harness, s: Session, accountIds: string[]) {
  const contact = await call(h, s, 'POST', '/api/v1/contacts', {
    firstName: 'Bob',
    lastName: 'Builder',
    emails: [{ address: 'bob@example.com', label: 'work' }],
  });
  const device = await call(h, s, 'POST', `/api/v1/contacts/${contact.body.id}/devices`, {
    name: "Bob's laptop",
    accountIds,
  });
  expect(device.status, device.raw).toBe(201);
  return { contactId: contact.body.id as string, deviceId: device.body.id as string };
}

describe.each(BACKENDS)('providers and SIP accounts on %s', (backend) => {
  const h = useApi(backend);

  it('creates, reads, lists, updates and deletes an external provider', async () => {
    const s = await signUp(h);
    const created = await call(h, s, 'POST', '/api/v1/providers', {
      name: 'Carrier',
      host: 'SIP.Carrier.Example',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Carrier',
      host: 'sip.carrier.example',
      port: 5060,
      proxy: null,
      transport: 'udp',
      builtIn: false,
      accountCount: 0,
    });
    const id = created.body.id;
    expect((await call(h, s, 'GET', `/api/v1/providers/${id}`)).body.name).toBe('Carrier');
    const list = await call(h, s, 'GET', '/api/v1/providers');
    expect(list.body.total).toBe(2);
    expect(list.body.items[0].builtIn).toBe(true);
    const patched = await call(h, s, 'PATCH', `/api/v1/providers/${id}`, {
      port: 5080,
      proxy: 'proxy.carrier.example:5060',
      transport: 'tcp',
    });
    expect(patched.body).toMatchObject({
      port: 5080,
      proxy: 'proxy.carrier.example:5060',
      transport: 'tcp',
      name: 'Carrier',
    });
    expect((await call(h, s, 'PATCH', `/api/v1/providers/${id}`, { proxy: null })).body.proxy).toBeNull();
    expect((await call(h, s, 'DELETE', `/api/v1/providers/${id}`)).status).toBe(204);
    expectError(await call(h, s, 'GET', `/api/v1/providers/${id}`), 404, 'not_found');
    expectError(await call(h, s, 'DELETE', `/api/v1/providers/${id}`), 404, 'not_found');
    // Another organisation cannot see it.
    const other = await signUp(h);
    const mine = await call(h, s, 'POST', '/api/v1/providers', { name: 'Mine', host: 'mine.example' });
    expectError(await call(h, other, 'GET', `/api/v1/providers/${mine.body.id}`), 404, 'not_found');
    const audit = await call(h, s, 'GET', '/api/v1/audit?targetType=provider');
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
      'provider.create',
      'provider.delete',
      'provider.update',
      'provider.update',
      'provider.create',
    ]);
  });

  it('lists every bad provider field', async () => {
    const s = await signUp(h);
    const r = await call(h, s, 'POST', '/api/v1/providers', {
      name: '  ',
      host: 'bad host!',
      port: 70000,
      transport: 'sctp',
      color: 'red',
    });
    expectError(r, 400, 'validation_failed', ['name', 'host', 'port', 'transport', 'color']);
    expectError(await call(h, s, 'GET', '/api/v1/providers/not-a-uuid'), 400, 'validation_failed', ['id']);
  });

  it('keeps the built-in PBX provider: never deleted, only its name changes', async () => {
    const s = await signUp(h);
    const id = await builtIn(h, s);
    expectError(await call(h, s, 'DELETE', `/api/v1/providers/${id}`), 403, 'forbidden');
    expectError(
      await call(h, s, 'PATCH', `/api/v1/providers/${id}`, { host: 'elsewhere.example', port: 5070 }),
      400,
      'validation_failed',
      ['host', 'port'],
    );
    expect((await call(h, s, 'PATCH', `/api/v1/providers/${id}`, { name: 'Our PBX' })).body).toMatchObject({
      name: 'Our PBX',
      builtIn: true,
    });
  });

  it('manages SIP accounts; the password is write-only everywhere', async () => {
    const s = await signUp(h);
    const pbx = await builtIn(h, s);
    const secret = 'Sup3r-Secret-Passw0rd';
    const created = await call(h, s, 'POST', `/api/v1/providers/${pbx}/accounts`, {
      name: 'Reception',
      username: '1001',
      password: secret,
      displayName: 'Reception desk',
      protocol: 'tcp',
      pushProxy: true,
      dialingRules: '00|X. => +\n9|X. =>',
    });
    expect(created.status, created.raw).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Reception',
      username: '1001',
      protocol: 'tcp',
      pushProxy: true,
      pushStatus: 'enabled',
      manualPassword: false,
      authUsername: null,
      hasPassword: true,
      sipStatus: 'not_in_use',
      assignedTo: [],
    });
    expect(created.raw).not.toContain(secret);
    const id = created.body.id;
    const got = await call(h, s, 'GET', `/api/v1/providers/${pbx}/accounts/${id}`);
    expect(got.body.displayName).toBe('Reception desk');
    const patched = await call(h, s, 'PATCH', `/api/v1/providers/${pbx}/accounts/${id}`, {
      password: 'An0ther-Secret',
      pushProxy: false,
    });
    expect(patched.body.pushStatus).toBe('disabled');
    const all = [
      await call(h, s, 'GET', `/api/v1/providers/${pbx}/accounts`),
      await call(h, s, 'GET', '/api/v1/accounts'),
      await call(h, s, 'GET', '/api/v1/audit'),
      patched,
    ];
    for (const r of all) {
      expect(r.raw).not.toContain(secret);
      expect(r.raw).not.toContain('An0ther-Secret');
    }
    expect(all[0]!.body.total).toBe(1);
    const auditUpdate = all[2]!.body.items.find((e: { action: string }) => e.action === 'account.update');
    expect(auditUpdate.details).toEqual({ changed: ['pushProxy'], passwordChanged: true });
    // The account is the PBX extension: the registrar's credentials see the new password.
    const creds = await h.repos.sipAccounts.findCredentials(s.tenantId, '1001');
    expect(creds?.revealPassword()).toBe('An0ther-Secret');
    expectError(
      await call(h, s, 'POST', `/api/v1/providers/${pbx}/accounts`, { username: '1001', password: 'x' }),
      409,
      'conflict',
      ['username'],
    );
    expectError(
      await call(h, s, 'PATCH', `/api/v1/providers/${pbx}/accounts/${id}`, { username: '1002' }),
      400,
      'validation_failed',
      ['username'],
    );
    expect((await call(h, s, 'DELETE', `/api/v1/providers/${pbx}/accounts/${id}`)).status).toBe(204);
    expectError(await call(h, s, 'GET', `/api/v1/providers/${pbx}/accounts/${id}`), 404, 'not_found');
  });

  it('validates accounts: every bad field, passwords required unless manual, dialing rules with line and column', async () => {
    const s = await signUp(h);
    const pbx = await builtIn(h, s);
    const ext = await call(h, s, 'POST', '/api/v1/providers', { name: 'Ext', host: 'sip.ext.example' });
    expectError(
      await call(h, s, 'POST', `/api/v1/providers/${pbx}/accounts`, {
        username: 'bad user',
        protocol: 'sctp',
        authUsername: '',
      }),
      400,
      'validation_failed',
      ['username', 'protocol', 'authUsername'],
    );
    expectError(
      await call(h, s, 'POST', `/api/v1/providers/${pbx}/accounts`, { username: '2001' }),
      400,
      'validation_failed',
      ['password'],
    );
    expectError(
      await call(h, s, 'POST', `/api/v1/providers/${ext.body.id}/accounts`, { username: 'alice' }),
      400,
      'validation_failed',
      ['password'],
    );
    const manual = await call(h, s, 'POST', `/api/v1/providers/${ext.body.id}/accounts`, {
      username: 'alice',
      manualPassword: true,
    });
    expect(manual.status).toBe(201);
    expect(manual.body).toMatchObject({ manualPassword: true, hasPassword: false });
    const rules = await call(h, s, 'POST', `/api/v1/providers/${ext.body.id}/accounts`, {
      username: 'bob',
      password: 'pw',
      dialingRules: '00|X. => +\nabc => 1\n0|X => +4a',
    });
    expectError(rules, 400, 'validation_failed', ['dialingRules', 'dialingRules']);
    expect(rules.body.error.details[0].message).toBe(
      'line 2, column 1: unexpected "a": use digits, X, Z, N, [..], ".", "!", "|", "*", "#", "+"',
    );
    expect(rules.body.error.details[1].message).toMatch(/^line 3, column 8: /);
    expectError(
      await call(h, s, 'GET', `/api/v1/providers/${pbx}/accounts/${manual.body.id}`),
      404,
      'not_found',
    );
  });

  it('shows live SIP status: built-in accounts from the registrar, external ones from device reports', async () => {
    const s = await signUp(h);
    const pbx = await builtIn(h, s);
    const ext = await call(h, s, 'POST', '/api/v1/providers', { name: 'Ext', host: 'sip.ext.example' });
    const a1 = await call(h, s, 'POST', `/api/v1/providers/${pbx}/accounts`, {
      username: '3001',
      password: 'pw-3001',
    });
    const a2 = await call(h, s, 'POST', `/api/v1/providers/${ext.body.id}/accounts`, {
      username: 'line2',
      password: 'pw-line2',
    });
    const status = async (provider: string, id: string): Promise<string> =>
      (await call(h, s, 'GET', `/api/v1/providers/${provider}/accounts/${id}`)).body.sipStatus;
    await h.locations.replace(s.tenantId, '3001', [binding(s.tenantId, '3001', h.clock.now + 3600_000)]);
    expect(await status(pbx, a1.body.id)).toBe('not_in_use'); // registered, but no device uses it
    const { deviceId } = await contactWithDevice(h, s, [a1.body.id, a2.body.id]);
    const account = await call(h, s, 'GET', `/api/v1/providers/${pbx}/accounts/${a1.body.id}`);
    expect(account.body.sipStatus).toBe('online');
    expect(account.body.assignedTo).toEqual([
      { deviceId, deviceName: "Bob's laptop", contactId: expect.any(String), contactName: 'Bob Builder' },
    ]);
    await h.locations.replace(s.tenantId, '3001', []);
    expect(await status(pbx, a1.body.id)).toBe('offline');
    expect(await status(ext.body.id, a2.body.id)).toBe('offline');
    // The device activates and reports line 2 registered: the external account is online.
    const activation = await call(h, s, 'GET', `/api/v1/devices/${deviceId}/activation`);
    const activated = await call(h, undefined, 'POST', '/api/v1/provisioning/activate', {
      code: activation.body.code,
      os: 'Linux',
      appVersion: '1.0.0',
    });
    const device = { headers: { authorization: `Bearer ${activated.body.deviceToken}` } };
    expect(
      (
        await call(h, device, 'POST', '/api/v1/provisioning/lines', {
          lines: [{ accountId: a2.body.id, state: 'registered' }],
        })
      ).status,
    ).toBe(204);
    expect(await status(ext.body.id, a2.body.id)).toBe('online');
    h.clock.now += 120_000; // no heartbeat for longer than the offline timeout
    expect(await status(ext.body.id, a2.body.id)).toBe('offline');
    expectError(
      await call(h, device, 'POST', '/api/v1/provisioning/lines', {
        lines: [{ accountId: ext.body.id, state: 'registered' }],
      }),
      400,
      'validation_failed',
      ['lines[0].accountId'],
    );
  });

  it('refuses to delete a provider or account used by devices unless cascaded', async () => {
    const s = await signUp(h);
    const ext = await call(h, s, 'POST', '/api/v1/providers', { name: 'Ext', host: 'sip.ext.example' });
    const a1 = await call(h, s, 'POST', `/api/v1/providers/${ext.body.id}/accounts`, {
      username: 'u1',
      password: 'p1',
    });
    const a2 = await call(h, s, 'POST', `/api/v1/providers/${ext.body.id}/accounts`, {
      username: 'u2',
      password: 'p2',
    });
    const pbx = await builtIn(h, s);
    const a3 = await call(h, s, 'POST', `/api/v1/providers/${pbx}/accounts`, {
      username: '4001',
      password: 'p3',
    });
    const { deviceId } = await contactWithDevice(h, s, [a1.body.id, a3.body.id]);
    expect((await call(h, s, 'GET', `/api/v1/providers/${ext.body.id}`)).body.accountCount).toBe(2);
    const refused = await call(h, s, 'DELETE', `/api/v1/providers/${ext.body.id}`);
    expectError(refused, 409, 'provider_in_use', ['devices']);
    expect(refused.body.error.details[0].message).toContain(deviceId);
    expectError(
      await call(h, s, 'DELETE', `/api/v1/providers/${ext.body.id}/accounts/${a1.body.id}`),
      409,
      'account_in_use',
      ['devices'],
    );
    expect(
      (await call(h, s, 'DELETE', `/api/v1/providers/${ext.body.id}/accounts/${a2.body.id}`)).status,
    ).toBe(204);
    const before = (await call(h, s, 'GET', `/api/v1/devices/${deviceId}`)).body.configVersion;
    expect((await call(h, s, 'DELETE', `/api/v1/providers/${ext.body.id}?cascade=true`)).status).toBe(204);
    const device = await call(h, s, 'GET', `/api/v1/devices/${deviceId}`);
    expect(device.body.accountIds).toEqual([a3.body.id]);
    expect(device.body.configVersion).toBeGreaterThan(before);
    expect(
      (await call(h, s, 'DELETE', `/api/v1/providers/${pbx}/accounts/${a3.body.id}?cascade=true`)).status,
    ).toBe(204);
    expect((await call(h, s, 'GET', `/api/v1/devices/${deviceId}`)).body.accountIds).toEqual([]);
  });
});
