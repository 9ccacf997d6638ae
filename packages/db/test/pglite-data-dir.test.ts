// The embedded database persists in DATA_DIR; its owner shares it with other processes (the
// CLI while the server runs) over a unix socket, one transaction at a time.
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DataDirLockedError, migrate, openDatabase } from '@switchboard/db';
import { repos } from './fixtures.ts';

const tenantCount = async (sql: { query: (q: string) => Promise<{ rows: Record<string, unknown>[] }> }) =>
  (await sql.query('SELECT count(*)::int AS n FROM tenants')).rows[0]!.n;

vi.setConfig({ testTimeout: 120_000 }); // PGlite starts in seconds on a busy machine

describe('PGlite in DATA_DIR', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-datadir-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps data across restarts', async () => {
    const first = await openDatabase({ dataDir: dir });
    await migrate(first.sql);
    await repos(first.sql).tenants.create({ name: 'Persisted', sipDomain: 'persisted.example' });
    await first.close();
    const again = await openDatabase({ dataDir: dir });
    expect((await migrate(again.sql)).applied).toEqual([]);
    expect((await repos(again.sql).tenants.list()).map((x) => x.name)).toEqual(['Persisted']);
    await again.close();
  });

  it('shares the open database with a second opener, which sees and writes the same data', async () => {
    const owner = await openDatabase({ dataDir: dir });
    const guest = await openDatabase({ dataDir: dir });
    try {
      expect(guest.location).toMatch(/shared by process \d+/);
      expect((await migrate(guest.sql)).applied).toEqual([]);
      await repos(guest.sql).tenants.create({ name: 'From guest', sipDomain: 'guest.example' });
      expect((await repos(owner.sql).tenants.findBySipDomain('guest.example'))?.name).toBe('From guest');
      await expect(
        guest.sql.transaction(async (tx) => {
          await repos(tx).tenants.create({ name: 'Rolled back', sipDomain: 'rollback.example' });
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await repos(owner.sql).tenants.findBySipDomain('rollback.example')).toBeUndefined();
    } finally {
      await guest.close();
      await owner.close();
    }
  });

  it("never runs a guest's query inside the owner's transaction (one session, taking turns)", async () => {
    const owner = await openDatabase({ dataDir: dir });
    const guest = await openDatabase({ dataDir: dir });
    try {
      const before = await tenantCount(owner.sql);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let ownerInside!: () => void;
      const inside = new Promise<void>((resolve) => (ownerInside = resolve));
      const ownerTx = owner.sql
        .transaction(async (tx) => {
          await repos(tx).tenants.create({ name: 'Uncommitted', sipDomain: 'uncommitted.example' });
          ownerInside();
          await gate;
          throw new Error('owner rolls back');
        })
        .catch((e: unknown) => e);
      await inside;
      // Interleaved into the owner's session, this count would include the uncommitted row.
      const guestCount = tenantCount(guest.sql);
      await new Promise((resolve) => setTimeout(resolve, 200)); // give a wrong interleaving its chance
      release();
      expect(await ownerTx).toBeInstanceOf(Error);
      expect(await guestCount).toBe(before);
    } finally {
      await guest.close();
      await owner.close();
    }
  });

  it('rolls back a guest that disappears inside a transaction, and goes on serving', async () => {
    const owner = await openDatabase({ dataDir: dir });
    try {
      const client = new pg.Client({ host: dir, port: 5432, user: 'postgres', database: 'postgres' });
      await client.connect();
      await client.query('BEGIN');
      await client.query("INSERT INTO app_settings (key, value) VALUES ('ghost', 'x')");
      const closed = new Promise((resolve) => client.once('end', resolve));
      client.on('error', () => undefined);
      (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
      await closed;
      const { rows } = await owner.sql.query(
        "SELECT count(*)::int AS n FROM app_settings WHERE key = 'ghost'",
      );
      expect(rows[0]).toEqual({ n: 0 });
    } finally {
      await owner.close();
    }
  });

  it('says which process holds the directory when it cannot share', async () => {
    const owner = await openDatabase({ dataDir: dir });
    try {
      unlinkSync(join(dir, '.s.PGSQL.5432')); // an owner that does not share (or a broken socket)
      await expect(openDatabase({ dataDir: dir })).rejects.toThrow(DataDirLockedError);
    } finally {
      await owner.close();
    }
  });

  it('takes over a lock left by a process that died', async () => {
    // pid 2^22+1 is above Linux's default pid_max: no live process has it.
    writeFileSync(join(dir, 'pglite.lock'), `${2 ** 22 + 1}\n`);
    const db = await openDatabase({ dataDir: dir });
    expect(db.location).not.toMatch(/shared/);
    expect(await tenantCount(db.sql)).toBeGreaterThan(0);
    await db.close();
  });
});
