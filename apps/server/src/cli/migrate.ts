// `switchboard migrate`: brings the database to the newest schema (the server also does it at
// start). Safe to run while other processes start: migrations take an advisory lock.
import { MIGRATIONS, migrate, openDatabase } from '@switchboard/db';
import { parseCommandArgs } from './args.ts';
import type { Io } from './io.ts';

export const MIGRATE_USAGE = `usage:
  switchboard migrate [--data-dir DIR | --database-url URL]
`;

export async function runMigrate(argv: readonly string[], io: Io): Promise<number> {
  if (argv[0] === 'help' || argv[0] === '--help') {
    io.out(MIGRATE_USAGE);
    return 0;
  }
  const { config } = parseCommandArgs(argv, {}, 0);
  const db = await openDatabase(
    config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir },
  );
  try {
    const result = await migrate(db.sql);
    const names = result.applied.map((v) => `${v} (${MIGRATIONS[v - 1]?.name})`).join(', ');
    io.out(
      result.applied.length === 0
        ? `${db.location}: schema already at version ${result.version}\n`
        : `${db.location}: applied ${names}; schema at version ${result.version}\n`,
    );
    return 0;
  } finally {
    await db.close();
  }
}
