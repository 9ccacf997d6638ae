// The embedded database persists in DATA_DIR and belongs to one process at a time.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirLockedError, migrate, openDatabase } from '@switchboard/db';
import { repos } from './fixtures.ts';

describe('PGlite in DATA_DIR', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-datadir-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps data across restarts and refuses a second opener while open', async () => {
    const first = await openDatabase({ dataDir: dir });
    await migrate(first.sql);
    await repos(first.sql).tenants.create({ name: 'Persisted', sipDomain: 'persisted.example' });
    await expect(openDatabase({ dataDir: dir })).rejects.toThrow(DataDirLockedError);
    await first.close();

    const again = await openDatabase({ dataDir: dir });
    expect((await migrate(again.sql)).applied).toEqual([]);
    expect((await repos(again.sql).tenants.list()).map((x) => x.name)).toEqual(['Persisted']);
    await again.close();
  });

  it('takes over a lock left by a process that died', async () => {
    // pid 2^22+1 is above Linux's default pid_max: no live process has it.
    writeFileSync(join(dir, 'pglite.lock'), `${2 ** 22 + 1}\n`);
    const db = await openDatabase({ dataDir: dir });
    expect((await repos(db.sql).tenants.list()).length).toBe(1);
    await db.close();
  });
});
