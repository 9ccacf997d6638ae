import { describe, expect, it } from 'vitest';
import { findPostgresBin, startPostgres } from './postgres.ts';

describe('startPostgres', () => {
  it('fails, with the install command, when PostgreSQL is not installed', () => {
    expect(() => findPostgresBin('/nonexistent/postgresql')).toThrow(/apt-get install postgresql/);
  });

  it(
    'starts a throwaway server reachable over TCP, creates databases, and removes it all on stop',
    { timeout: 120_000 },
    async () => {
      const { existsSync } = await import('node:fs');
      const pg = (await import('pg')).default;
      const server = await startPostgres();
      try {
        const url = await server.createDatabase('probe_db');
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        const { rows } = await client.query('SELECT current_database() AS db, inet_server_addr() AS addr');
        await client.end();
        expect(rows[0]).toEqual({ db: 'probe_db', addr: '127.0.0.1' });
        expect(existsSync(`${server.socketDir}/.s.PGSQL.${server.port}`)).toBe(true);
      } finally {
        await server.stop();
      }
      expect(existsSync(server.socketDir)).toBe(false);
    },
  );
});
