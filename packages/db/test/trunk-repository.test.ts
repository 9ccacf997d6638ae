import { describe, expect, it } from 'vitest';
import { ConflictError, DEFAULT_TRUNK_POLICY, NotFoundError, ValidationError } from '@switchboard/db';
import { BACKENDS, useDatabase } from './backends.ts';
import { repos, uniqueDomain } from './fixtures.ts';

describe.each(BACKENDS)('trunk repository on %s', (backend) => {
  const t = useDatabase(backend);

  it('creates trunks with an encrypted password, lists, updates, removes; tenants are isolated', async () => {
    const { tenants, trunks } = repos(t.db.sql);
    const tenant = await tenants.create({ name: 'T', sipDomain: uniqueDomain() });
    const other = await tenants.create({ name: 'O', sipDomain: uniqueDomain() });
    const trunk = await trunks.create({
      tenantId: tenant.id,
      name: 'Provider',
      host: 'SIP.Provider.example',
      authUsername: 'acct-1',
      password: 'trunk-secret',
      callerId: '+442079460000',
      register: true,
    });
    expect(trunk).toMatchObject({
      host: 'sip.provider.example',
      port: 5060,
      transport: 'udp',
      hasPassword: true,
      register: true,
      codecs: ['PCMU', 'PCMA'],
      enabled: true,
    });
    expect(JSON.stringify(trunk)).not.toContain('trunk-secret');
    const { rows } = await t.db.sql.query('SELECT password_enc FROM trunks WHERE id = $1', [trunk.id]);
    expect(String(rows[0]?.password_enc)).toMatch(/^v1\./);
    expect(await trunks.revealPassword(tenant.id, trunk.id)).toBe('trunk-secret');
    expect(await trunks.revealPassword(other.id, trunk.id)).toBeUndefined();
    expect(await trunks.findById(other.id, trunk.id)).toBeUndefined();
    expect((await trunks.listEnabled()).map((x) => x.id)).toContain(trunk.id);

    const changed = await trunks.update(tenant.id, trunk.id, {
      port: 5080,
      password: null,
      codecs: ['PCMA'],
    });
    expect(changed).toMatchObject({ port: 5080, hasPassword: false, codecs: ['PCMA'] });
    await expect(
      trunks.create({ tenantId: tenant.id, name: 'Provider', host: 'x.example' }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(trunks.remove(other.id, trunk.id)).rejects.toBeInstanceOf(NotFoundError);
    await trunks.remove(tenant.id, trunk.id);
    expect(await trunks.list(tenant.id)).toEqual([]);
  });

  it('reports every bad field of a trunk, a route and a DID', async () => {
    const { tenants, trunks } = repos(t.db.sql);
    const tenant = await tenants.create({ name: 'V', sipDomain: uniqueDomain() });
    const bad = await trunks
      .create({
        tenantId: tenant.id,
        name: '',
        host: 'not a host',
        port: 70000,
        transport: 'sctp' as never,
        callerId: 'abc',
        codecs: ['G729' as never],
        inboundAddresses: ['300.1.1.1'],
      })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ValidationError);
    expect((bad as ValidationError).details.map((d) => d.field).sort()).toEqual([
      'callerId',
      'codecs',
      'host',
      'inboundAddresses[0]',
      'name',
      'port',
      'transport',
    ]);
    const trunk = await trunks.create({ tenantId: tenant.id, name: 'P', host: '192.0.2.1' });
    const route = await trunks.addRoute(tenant.id, {
      trunkId: trunk.id,
      pattern: '0X.',
      strip: 1,
      prepend: '+44',
    });
    expect(route).toMatchObject({ pattern: '0X.', strip: 1, prepend: '+44' });
    const badRoute = await trunks
      .addRoute(tenant.id, { trunkId: trunk.id, pattern: 'abc', strip: -1, prepend: 'x' })
      .catch((e: unknown) => e);
    expect((badRoute as ValidationError).details.map((d) => d.field).sort()).toEqual([
      'pattern',
      'prepend',
      'strip',
    ]);
    const second = await trunks.addRoute(tenant.id, {
      trunkId: trunk.id,
      pattern: '00X.',
      strip: 2,
      prepend: '+',
    });
    expect((await trunks.listRoutes(tenant.id)).map((r) => r.id)).toEqual([route.id, second.id]);
    await expect(trunks.addDid(tenant.id, { number: 'x1', extension: '' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await trunks.addDid(tenant.id, { number: '+442079460001', extension: '1001' });
    await expect(
      trunks.addDid(tenant.id, { number: '+442079460001', extension: '1002' }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await trunks.findDid(tenant.id, '+442079460001')).toMatchObject({
      extension: '1001',
      trunkId: null,
    });
    // Deleting the trunk deletes its routes.
    await trunks.remove(tenant.id, trunk.id);
    expect(await trunks.listRoutes(tenant.id)).toEqual([]);
    await trunks.removeDid(tenant.id, '+442079460001');
    await expect(trunks.removeDid(tenant.id, '+442079460001')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('external-call policy: off by default, per-extension list', async () => {
    const { tenants, trunks } = repos(t.db.sql);
    const tenant = await tenants.create({ name: 'P', sipDomain: uniqueDomain() });
    expect(await trunks.policy(tenant.id)).toEqual(DEFAULT_TRUNK_POLICY);
    expect(await trunks.setPolicy(tenant.id, { externalCalls: true })).toEqual({
      externalCalls: true,
      allowedExtensions: null,
    });
    await trunks.setPolicy(tenant.id, { allowedExtensions: ['1001'] });
    expect(await trunks.policy(tenant.id)).toEqual({ externalCalls: true, allowedExtensions: ['1001'] });
    await expect(trunks.setPolicy(tenant.id, { allowedExtensions: ['bad one'] })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});
