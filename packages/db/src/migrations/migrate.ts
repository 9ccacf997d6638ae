// Brings a database to the newest schema. Each pending migration runs in its own transaction
// that first takes a transaction-scoped advisory lock, so two processes starting at once apply
// every migration exactly once: the second waits, then sees the version recorded and skips it.
import { createHash } from 'node:crypto';
import type { Sql } from '../sql.ts';
import { MIGRATIONS } from './index.ts';
import type { Migration } from './migration.ts';

/** Arbitrary, fixed: the advisory lock every Switchboard process takes to migrate. */
const MIGRATION_LOCK_KEY = '7469370021870120'; // bigint, sent as text

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

export interface MigrationResult {
  /** Versions applied by this call, in order (empty when the schema was current). */
  readonly applied: readonly number[];
  /** The schema version after the call. */
  readonly version: number;
}

export function checksum(migration: Migration): string {
  return createHash('sha256').update(migration.sql).digest('hex');
}

function validateList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new MigrationError(`migration list out of order: position ${i + 1} holds version ${m.version}`);
    }
  });
}

interface AppliedRow extends Record<string, unknown> {
  version: number;
  name: string;
  checksum: string;
}

async function lockAndReadApplied(tx: Sql): Promise<Map<number, AppliedRow>> {
  await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
  await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const { rows } = await tx.query<AppliedRow>('SELECT version, name, checksum FROM schema_migrations');
  return new Map(rows.map((row) => [row.version, row]));
}

function checkApplied(applied: Map<number, AppliedRow>, migrations: readonly Migration[]): void {
  for (const row of applied.values()) {
    const known = migrations[row.version - 1];
    if (!known) {
      throw new MigrationError(
        `the database schema is at version ${Math.max(...applied.keys())}, newer than this Switchboard ` +
          `(it knows versions up to ${migrations.length}); upgrade Switchboard`,
      );
    }
    if (row.checksum !== checksum(known)) {
      throw new MigrationError(
        `migration ${row.version} (${row.name}) was changed after it was applied; ` +
          'add a new migration instead of editing a shipped one',
      );
    }
  }
}

/** Applies every pending migration; returns what it did. Safe to call at every start. */
export async function migrate(
  sql: Sql,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationResult> {
  validateList(migrations);
  const appliedNow: number[] = [];
  for (const migration of migrations) {
    await sql.transaction(async (tx) => {
      const applied = await lockAndReadApplied(tx);
      checkApplied(applied, migrations);
      if (applied.has(migration.version)) return;
      try {
        await tx.exec(migration.sql);
      } catch (err) {
        throw new MigrationError(
          `migration ${migration.version} (${migration.name}) failed: ${(err as Error).message}`,
        );
      }
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        checksum(migration),
      ]);
      appliedNow.push(migration.version);
    });
  }
  if (migrations.length === 0) {
    await sql.transaction(async (tx) => checkApplied(await lockAndReadApplied(tx), migrations));
  }
  return { applied: appliedNow, version: migrations.length };
}

/** The current schema version (0 for an empty database), without changing anything. */
export async function schemaVersion(sql: Sql): Promise<number> {
  const { rows } = await sql.query<{ exists: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS exists",
  );
  if (!rows[0]?.exists) return 0;
  const result = await sql.query<{ version: number | null }>(
    'SELECT max(version) AS version FROM schema_migrations',
  );
  return result.rows[0]?.version ?? 0;
}
