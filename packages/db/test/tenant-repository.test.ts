import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@switchboard/db';
import { BACKENDS, useDatabase } from './backends.ts';
import { repos, uniqueDomain } from './fixtures.ts';

describe.each(BACKENDS)('TenantRepository on %s', (backend) => {
  const t = useDatabase(backend);

  it('makes the first tenant the default, later ones not; normalises the SIP domain', async () => {
    const { tenants } = repos(t.db.sql);
    const first = await tenants.create({ name: ' Acme ', sipDomain: 'PBX.Acme.Example.' });
    expect(first).toMatchObject({ name: 'Acme', sipDomain: 'pbx.acme.example', isDefault: true });
    const second = await tenants.create({ name: 'Beta', sipDomain: uniqueDomain() });
    expect(second.isDefault).toBe(false);
    expect((await tenants.getDefault())?.id).toBe(first.id);
    expect((await tenants.findBySipDomain('pbx.ACME.example'))?.id).toBe(first.id);
    expect(await tenants.findBySipDomain('nobody.example')).toBeUndefined();
    expect((await tenants.list())[0]?.id).toBe(first.id);
  });

  it('creates the built-in PBX provider with every tenant, and never deletes it alone', async () => {
    const { tenants, providers } = repos(t.db.sql);
    const tenant = await tenants.create({ name: 'Gamma', sipDomain: uniqueDomain() });
    const builtIn = await providers.getBuiltIn(tenant.id);
    expect(builtIn).toMatchObject({
      tenantId: tenant.id,
      builtIn: true,
      host: null,
      name: 'Switchboard PBX',
    });
    await expect(providers.remove(tenant.id, builtIn.id)).rejects.toThrow(ForbiddenError);
    // The trigger holds even for SQL that bypasses the repository.
    await expect(t.db.sql.query('DELETE FROM providers WHERE id = $1', [builtIn.id])).rejects.toMatchObject({
      code: '23001',
    });
    const external = await providers.create({
      tenantId: tenant.id,
      name: 'Carrier',
      host: 'sip.carrier.example',
    });
    expect((await providers.list(tenant.id)).map((p) => p.builtIn)).toEqual([true, false]);
    await providers.remove(tenant.id, external.id);
    expect(await providers.findById(tenant.id, external.id)).toBeUndefined();
  });

  it('rejects a taken SIP domain and lists every invalid field', async () => {
    const { tenants } = repos(t.db.sql);
    const domain = uniqueDomain();
    await tenants.create({ name: 'One', sipDomain: domain });
    await expect(tenants.create({ name: 'Two', sipDomain: domain.toUpperCase() })).rejects.toThrow(
      ConflictError,
    );
    const err = await tenants.create({ name: '', sipDomain: 'not a domain' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).details.map((d) => d.field)).toEqual(['name', 'sipDomain']);
  });

  it('moves the default flag and guards removal of the default and of tenants with accounts', async () => {
    const { tenants, sipAccounts, cdrs } = repos(t.db.sql);
    const oldDefault = (await tenants.getDefault())!;
    const next = await tenants.create({ name: 'Next', sipDomain: uniqueDomain(), isDefault: true });
    expect(next.isDefault).toBe(true);
    expect((await tenants.findById(oldDefault.id))?.isDefault).toBe(false);
    await expect(tenants.remove(next.id)).rejects.toThrow(ForbiddenError);
    await tenants.setDefault(oldDefault.id);
    expect((await tenants.getDefault())?.id).toBe(oldDefault.id);

    const account = await sipAccounts.create({ tenantId: next.id, username: '100', password: 'secret' });
    await cdrs.insert({
      tenantId: next.id,
      direction: 'internal',
      caller: '100',
      callee: '101',
      callerAccountId: account.id,
      startedAt: new Date(0),
      endedAt: new Date(1000),
      disposition: 'failed',
      hangupCause: 'sip_404',
      hangupSide: 'system',
      sipStatus: 404,
      sipCallIds: ['x'],
    });
    await expect(tenants.remove(next.id)).rejects.toThrow(ConflictError);
    await tenants.remove(next.id, { force: true });
    expect(await tenants.findById(next.id)).toBeUndefined();
    expect(await sipAccounts.count({ tenantId: next.id })).toBe(0);
    expect(await cdrs.count(next.id)).toBe(0);
    await expect(tenants.remove(next.id)).rejects.toThrow(NotFoundError);
  });
});
