import { describe, expect, it } from 'vitest';
import { ValidationError, type NewCdr } from '@switchboard/db';
import { BACKENDS, useDatabase } from './backends.ts';
import { repos, uniqueDomain } from './fixtures.ts';

const call = (tenantId: string, startSec: number, over: Partial<NewCdr> = {}): NewCdr => ({
  tenantId,
  direction: 'internal',
  caller: '1001',
  callee: '1002',
  startedAt: new Date(startSec * 1000),
  answeredAt: new Date(startSec * 1000 + 2000),
  endedAt: new Date(startSec * 1000 + 62_500),
  disposition: 'answered',
  hangupCause: 'normal_clearing',
  hangupSide: 'caller',
  sipCallIds: ['leg-a@host', 'leg-b@host'],
  ...over,
});

describe.each(BACKENDS)('CdrRepository on %s', (backend) => {
  const t = useDatabase(backend);

  it('stores a call with derived duration and billable seconds (rounded up)', async () => {
    const { tenants, cdrs } = repos(t.db.sql);
    const tenant = await tenants.create({ name: 'C', sipDomain: uniqueDomain() });
    const cdr = await cdrs.insert(call(tenant.id, 1000));
    expect(cdr).toMatchObject({
      durationMs: 62_500,
      billableSeconds: 61,
      disposition: 'answered',
      sipCallIds: ['leg-a@host', 'leg-b@host'],
      answeredAt: new Date(1_002_000),
    });
    const busy = await cdrs.insert(
      call(tenant.id, 1100, {
        answeredAt: null,
        disposition: 'busy',
        sipStatus: 486,
        hangupSide: 'callee',
        hangupCause: 'busy',
      }),
    );
    expect(busy).toMatchObject({ billableSeconds: 0, sipStatus: 486, answeredAt: null });
  });

  it('stores a record written twice under the same id once', async () => {
    const { tenants, cdrs } = repos(t.db.sql);
    const tenant = await tenants.create({ name: 'C', sipDomain: uniqueDomain() });
    const id = '6f1b0a7e-0000-4000-8000-000000000001';
    await cdrs.insert(call(tenant.id, 10, { id }));
    await cdrs.insert(call(tenant.id, 10, { id }));
    expect(await cdrs.insertMany([call(tenant.id, 10, { id }), call(tenant.id, 20)])).toBe(1);
    expect(await cdrs.count(tenant.id)).toBe(2);
  });

  it('lists newest first per tenant, with keyset paging', async () => {
    const { tenants, cdrs } = repos(t.db.sql);
    const a = await tenants.create({ name: 'A', sipDomain: uniqueDomain() });
    const b = await tenants.create({ name: 'B', sipDomain: uniqueDomain() });
    await cdrs.insertMany([1, 2, 3, 4, 5].map((s) => call(a.id, s * 100, { caller: `a${s}` })));
    await cdrs.insert(call(b.id, 250, { caller: 'b' }));
    const page1 = await cdrs.list({ tenantId: a.id, limit: 2 });
    expect(page1.map((c) => c.caller)).toEqual(['a5', 'a4']);
    const last = page1[1]!;
    const page2 = await cdrs.list({
      tenantId: a.id,
      limit: 10,
      before: { startedAt: last.startedAt, id: last.id },
    });
    expect(page2.map((c) => c.caller)).toEqual(['a3', 'a2', 'a1']);
    expect((await cdrs.list({ tenantId: b.id })).map((c) => c.caller)).toEqual(['b']);
  });

  it('rejects inconsistent records', async () => {
    const { tenants, cdrs } = repos(t.db.sql);
    const tenant = await tenants.create({ name: 'C', sipDomain: uniqueDomain() });
    const err = await cdrs
      .insert(call(tenant.id, 10, { disposition: 'no_answer', endedAt: new Date(0) }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).details.map((d) => d.field)).toEqual([
      'endedAt',
      'answeredAt',
      'answeredAt',
    ]);
    expect(await cdrs.count(tenant.id)).toBe(0);
  });

  it('stores the dialled number and the diversion chain, and lists the call for the diverters', async () => {
    const { tenants, cdrs } = repos(t.db.sql);
    const tenant = await tenants.create({ name: 'C', sipDomain: uniqueDomain() });
    // 1001 dials 1002, forwarded to 1003, which answers.
    const forwarded = await cdrs.insert(
      call(tenant.id, 500, { callee: '1003', dialled: '1002', divertedFrom: ['1002'] }),
    );
    expect(forwarded).toMatchObject({ callee: '1003', dialled: '1002', divertedFrom: ['1002'] });
    // Older records (and direct calls) carry no chain.
    const direct = await cdrs.insert(call(tenant.id, 400, { caller: '1004', callee: '1005' }));
    expect(direct).toMatchObject({ dialled: null, divertedFrom: [] });
    const [listed] = await cdrs.list({ tenantId: tenant.id, parties: ['1002'] });
    expect(listed).toMatchObject({ id: forwarded.id, divertedFrom: ['1002'] });
    expect(await cdrs.list({ tenantId: tenant.id, parties: ['1002'] })).toHaveLength(1);
    expect(await cdrs.list({ tenantId: tenant.id, parties: ['1003'] })).toHaveLength(1);
    expect(await cdrs.list({ tenantId: tenant.id, parties: ['1005', '1002'] })).toHaveLength(2);
    expect(await cdrs.list({ tenantId: tenant.id, parties: ['1009'] })).toHaveLength(0);
    await expect(cdrs.insert(call(tenant.id, 600, { divertedFrom: [''] }))).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});
