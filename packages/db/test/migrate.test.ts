// Migrations: applied once, in order, each in a transaction, safe when two processes start at
// once, refusing a database whose history does not match the code.
import { describe, expect, it } from 'vitest';
import {
  MIGRATIONS,
  MigrationError,
  migrate,
  openDatabase,
  schemaVersion,
  type Migration,
} from '@switchboard/db';
import { BACKENDS, acquirePostgres, releasePostgres, useDatabase } from './backends.ts';

const extra = (sql: string): Migration[] => [
  ...MIGRATIONS,
  { version: MIGRATIONS.length + 1, name: 'extra', sql },
];

describe.each(BACKENDS)('migrate on %s', (backend) => {
  const t = useDatabase(backend, { migrate: false });

  it('applies every migration on an empty database, then nothing on the next start', async () => {
    expect(await schemaVersion(t.db.sql)).toBe(0);
    const first = await migrate(t.db.sql);
    expect(first.applied).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await schemaVersion(t.db.sql)).toBe(MIGRATIONS.length);
    const second = await migrate(t.db.sql);
    expect(second.applied).toEqual([]);
    const { rows } = await t.db.sql.query('SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
  });

  it('rolls back a failing migration whole and records nothing for it', async () => {
    const broken = extra('CREATE TABLE half_done (x int); SELECT * FROM missing_table;');
    await expect(migrate(t.db.sql, broken)).rejects.toThrow(MigrationError);
    expect(await schemaVersion(t.db.sql)).toBe(MIGRATIONS.length);
    const { rows } = await t.db.sql.query("SELECT to_regclass('half_done') IS NULL AS gone");
    expect(rows[0]).toEqual({ gone: true });
  });

  it('refuses a database where an applied migration was edited afterwards', async () => {
    const edited = MIGRATIONS.map((m, i) => (i === 0 ? { ...m, sql: `${m.sql}\n-- edited` } : m));
    await expect(migrate(t.db.sql, edited)).rejects.toThrow(/was changed after it was applied/);
  });

  it('refuses a database newer than the code', async () => {
    await migrate(t.db.sql, extra('CREATE TABLE from_the_future (x int)'));
    await expect(migrate(t.db.sql)).rejects.toThrow(/newer than this Switchboard/);
    await t.db.sql.exec(
      `DROP TABLE from_the_future; DELETE FROM schema_migrations WHERE version = ${MIGRATIONS.length + 1}`,
    );
  });

  it('applies each migration once when several processes migrate an empty database at once', async () => {
    if (backend === 'postgres') {
      // Separate connection pools on a fresh database, as separate processes would have.
      const server = await acquirePostgres();
      const url = await server.createDatabase();
      const handles = await Promise.all([1, 2, 3].map(() => openDatabase({ url })));
      try {
        const results = await Promise.all(handles.map((h) => migrate(h.sql)));
        expect(results.flatMap((r) => r.applied).sort((a, b) => a - b)).toEqual(
          MIGRATIONS.map((m) => m.version),
        );
        const { rows } = await handles[0]!.sql.query('SELECT count(*) AS n FROM schema_migrations');
        expect(rows[0]).toEqual({ n: MIGRATIONS.length });
      } finally {
        await Promise.all(handles.map((h) => h.close()));
        await releasePostgres();
      }
    } else {
      // One PGlite serves one process; concurrent callers in it must still apply once.
      const next = extra('CREATE TABLE concurrent_probe (x int); INSERT INTO concurrent_probe VALUES (1);');
      const results = await Promise.all([1, 2, 3].map(() => migrate(t.db.sql, next)));
      expect(results.flatMap((r) => r.applied)).toEqual([MIGRATIONS.length + 1]);
      const { rows } = await t.db.sql.query('SELECT count(*) AS n FROM concurrent_probe');
      expect(rows[0]).toEqual({ n: 1 });
    }
  });
});
