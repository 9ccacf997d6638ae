// DbCdrSink against the embedded database: records written together are all stored (in
// batches), a bad record is reported alone without losing the others, flush waits for all.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CdrRepository, NewCdr, Tenant } from '@switchboard/db';
import type { CallRecord } from '@switchboard/pbx';
import { openData, type OpenData } from '../data.ts';
import { DbCdrSink } from './db-cdr-sink.ts';

let dir: string;
let data: OpenData;
let tenant: Tenant;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cdr-sink-'));
  data = await openData({ dataDir: dir, databaseUrl: undefined, secretKey: undefined });
  tenant = await data.repos.tenants.create({ name: 'Acme', sipDomain: 'cdr-sink.test', isDefault: true });
}, 60_000);

afterAll(async () => {
  await data?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function record(over: Partial<CallRecord> = {}): CallRecord {
  const startedAt = new Date(1_700_000_000_000);
  return {
    id: randomUUID(),
    tenantId: tenant.id,
    caller: '1001',
    callee: '1002',
    direction: 'internal',
    startedAt,
    answeredAt: new Date(startedAt.getTime() + 1000),
    endedAt: new Date(startedAt.getTime() + 5000),
    durationSeconds: 5,
    billableSeconds: 4,
    disposition: 'answered',
    hangupCause: 'bye',
    hangupSide: 'caller',
    sipCallIds: [`a-${randomUUID()}`, `b-${randomUUID()}`],
    ...over,
  };
}

describe('DbCdrSink', () => {
  it('stores every record written at once, in fewer transactions than records', async () => {
    let batches = 0;
    const repo: Pick<CdrRepository, 'insert' | 'insertMany'> = {
      insert: (cdr: NewCdr) => data.repos.cdrs.insert(cdr),
      insertMany: (cdrs: readonly NewCdr[]) => {
        batches++;
        return data.repos.cdrs.insertMany(cdrs);
      },
    };
    const errors: unknown[] = [];
    const sink = new DbCdrSink(repo, (error) => errors.push(error));
    const records = Array.from({ length: 250 }, (_, i) => record({ caller: `c${i}` }));
    const writes = records.map((r) => sink.write(r));
    await sink.flush();
    await Promise.all(writes);
    expect(errors).toEqual([]);
    for (const r of records) expect((await data.repos.cdrs.findById(r.id))?.caller).toBe(r.caller);
    // The first record goes alone; the rest queue behind it and go in batches of at most 100.
    expect(batches).toBeGreaterThanOrEqual(3);
    expect(batches).toBeLessThan(records.length);
  });

  it('reports a bad record alone and still stores the others of its batch', async () => {
    const failed: CallRecord[] = [];
    const sink = new DbCdrSink(data.repos.cdrs, (_error, r) => failed.push(r));
    const good = Array.from({ length: 20 }, () => record());
    // No hangup cause: the repository refuses it (and with it, the whole batch's transaction).
    const bad = record({ answeredAt: undefined, disposition: 'busy', hangupCause: '' });
    const all = [good[0]!, ...good.slice(1, 10), bad, ...good.slice(10)];
    await Promise.all(all.map((r) => sink.write(r)));
    await sink.flush();
    expect(failed.map((r) => r.id)).toEqual([bad.id]);
    for (const r of good) expect(await data.repos.cdrs.findById(r.id)).toBeDefined();
    expect(await data.repos.cdrs.findById(bad.id)).toBeUndefined();
  });

  it('writes the same record twice once (a retry at shutdown)', async () => {
    const sink = new DbCdrSink(data.repos.cdrs, () => undefined);
    const r = record({ caller: 'twice' });
    await Promise.all([sink.write(r), sink.write(r), sink.write(r)]);
    await sink.flush();
    const list = await data.repos.cdrs.list({ tenantId: tenant.id, parties: ['twice'] });
    expect(list).toHaveLength(1);
  });
});
