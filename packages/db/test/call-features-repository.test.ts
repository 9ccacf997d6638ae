import { describe, expect, it } from 'vitest';
import { DEFAULT_CALL_SETTINGS, NotFoundError, ValidationError } from '@switchboard/db';
import { BACKENDS, useDatabase } from './backends.ts';
import { repos, uniqueDomain } from './fixtures.ts';

describe.each(BACKENDS)('call features repositories on %s', (backend) => {
  const t = useDatabase(backend);

  it('call settings: defaults, changes by account or extension number, validation, isolation', async () => {
    const { tenants, sipAccounts, callSettings } = repos(t.db.sql);
    const tenant = await tenants.create({ name: 'CF', sipDomain: uniqueDomain() });
    const other = await tenants.create({ name: 'CF2', sipDomain: uniqueDomain() });
    const alice = await sipAccounts.create({ tenantId: tenant.id, username: '1001', password: 'pw-1001' });
    await sipAccounts.create({ tenantId: other.id, username: '1001', password: 'pw-1001' });

    expect(await callSettings.get(tenant.id, alice.id)).toEqual(DEFAULT_CALL_SETTINGS);
    expect(await callSettings.findForExtension(tenant.id, '1001')).toEqual(DEFAULT_CALL_SETTINGS);
    expect(await callSettings.findForExtension(tenant.id, '9999')).toBeUndefined();

    const changed = await callSettings.update(tenant.id, alice.id, { dnd: true, forwardBusy: '1002' });
    expect(changed).toEqual({ ...DEFAULT_CALL_SETTINGS, dnd: true, forwardBusy: '1002' });
    // A second change keeps the first one's fields.
    await callSettings.updateForExtension(tenant.id, '1001', {
      forwardNoAnswer: '1003',
      noAnswerSeconds: 15,
    });
    expect(await callSettings.findForExtension(tenant.id, '1001')).toEqual({
      ...DEFAULT_CALL_SETTINGS,
      dnd: true,
      forwardBusy: '1002',
      forwardNoAnswer: '1003',
      noAnswerSeconds: 15,
    });
    await callSettings.update(tenant.id, alice.id, { forwardBusy: null });
    expect((await callSettings.get(tenant.id, alice.id)).forwardBusy).toBeNull();
    // The other tenant's 1001 is untouched, and cannot be reached through this tenant.
    expect(await callSettings.findForExtension(other.id, '1001')).toEqual(DEFAULT_CALL_SETTINGS);
    await expect(callSettings.get(other.id, alice.id)).rejects.toBeInstanceOf(NotFoundError);

    const bad = await callSettings
      .update(tenant.id, alice.id, { forwardAlways: 'sip:x@y', noAnswerSeconds: 1 })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ValidationError);
    expect((bad as ValidationError).details.map((d) => d.field).sort()).toEqual([
      'forwardAlways',
      'noAnswerSeconds',
    ]);
    // Deleting the account deletes its settings.
    await sipAccounts.remove(tenant.id, alice.id);
    const { rows } = await t.db.sql.query(
      'SELECT count(*)::int AS n FROM extension_call_settings WHERE account_id = $1',
      [alice.id],
    );
    expect(rows[0]).toEqual({ n: 0 });
  });

  it('feature codes: overrides replaced as a whole, codes unique per tenant, shape checked', async () => {
    const { tenants, featureCodes } = repos(t.db.sql);
    const tenant = await tenants.create({ name: 'FC', sipDomain: uniqueDomain() });
    expect(await featureCodes.list(tenant.id)).toEqual({});
    await featureCodes.replace(tenant.id, { 'dnd-on': '*55', 'dnd-off': '*56' });
    expect(await featureCodes.list(tenant.id)).toEqual({ 'dnd-off': '*56', 'dnd-on': '*55' });
    await featureCodes.replace(tenant.id, { 'dnd-on': '*57' });
    expect(await featureCodes.list(tenant.id)).toEqual({ 'dnd-on': '*57' });
    await expect(featureCodes.replace(tenant.id, { 'dnd-on': '78' })).rejects.toBeInstanceOf(ValidationError);
    // The same code for two features: refused by the database, nothing changed.
    await expect(featureCodes.replace(tenant.id, { 'dnd-on': '*1', 'dnd-off': '*1' })).rejects.toThrow();
    expect(await featureCodes.list(tenant.id)).toEqual({ 'dnd-on': '*57' });
  });

  it("CDRs of a set of numbers (a user's history across lines)", async () => {
    const { tenants, cdrs } = repos(t.db.sql);
    const tenant = await tenants.create({ name: 'H', sipDomain: uniqueDomain() });
    const at = (s: number): Date => new Date(s * 1000);
    const base = {
      tenantId: tenant.id,
      direction: 'internal' as const,
      answeredAt: null,
      disposition: 'no_answer' as const,
      hangupCause: '480',
      hangupSide: 'system' as const,
      sipCallIds: [],
    };
    await cdrs.insert({ ...base, caller: '1001', callee: '1002', startedAt: at(1), endedAt: at(2) });
    await cdrs.insert({ ...base, caller: '1003', callee: '1001', startedAt: at(3), endedAt: at(4) });
    await cdrs.insert({ ...base, caller: '1003', callee: '1002', startedAt: at(5), endedAt: at(6) });
    const mine = await cdrs.list({ tenantId: tenant.id, parties: ['1001'] });
    expect(mine.map((c) => [c.caller, c.callee])).toEqual([
      ['1003', '1001'],
      ['1001', '1002'],
    ]);
    expect(await cdrs.list({ tenantId: tenant.id, parties: ['1001', '1002'] })).toHaveLength(3);
    expect(await cdrs.list({ tenantId: tenant.id, parties: [] })).toHaveLength(0);
  });
});
