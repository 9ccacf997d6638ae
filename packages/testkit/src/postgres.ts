// A throwaway PostgreSQL server for the tests that must run on the real thing: Debian's
// binaries (/usr/lib/postgresql/<version>/bin), a cluster in a temp dir, TCP on a free loopback
// port plus a unix socket in the same temp dir, trust auth for the `postgres` role, stopped and
// deleted by stop() (and, as a last resort, when the test process exits).
//
// A missing PostgreSQL installation FAILS the caller with instructions: the suite must not look
// green while its PostgreSQL half silently did not run. When running as root (CI containers),
// initdb and postgres run as the `postgres` user through runuser, since they refuse root.
import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PostgresServer {
  /** `postgresql://postgres@127.0.0.1:<port>/postgres` */
  readonly url: string;
  readonly port: number;
  /** Directory holding the unix socket `.s.PGSQL.<port>`. */
  readonly socketDir: string;
  readonly version: string;
  /** Creates an empty database and returns its URL (one per test file keeps files independent). */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server and deletes its files. Safe to call twice. */
  stop(): Promise<void>;
}

const PG_ROOT = '/usr/lib/postgresql';
const INSTALL_HINT =
  'install Debian\'s PostgreSQL server ("apt-get install postgresql", as .ci/run does); ' +
  'the database tests run on PGlite AND on a real PostgreSQL and must not skip the latter';

/** The newest installed server's bin directory. Throws with instructions when there is none. */
export function findPostgresBin(root = PG_ROOT): { bin: string; version: string } {
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter(
          (v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')),
        )
        .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
    : [];
  const version = versions[0];
  if (version === undefined) {
    throw new Error(
      `PostgreSQL server binaries not found (${root}/*/bin/initdb and pg_ctl): ${INSTALL_HINT}`,
    );
  }
  return { bin: join(root, version, 'bin'), version };
}

function run(file: string, args: readonly string[], asPostgres: boolean): Promise<string> {
  const [cmd, argv] = asPostgres ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, [...args]];
  return new Promise((resolve, reject) => {
    execFile(cmd, argv, { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

async function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function postgresIds(): { uid: number; gid: number } {
  const line = spawnSync('getent', ['passwd', 'postgres'], { encoding: 'utf8' }).stdout.trim();
  const [, , uid, gid] = line.split(':');
  if (!uid || !gid)
    throw new Error(`running as root but there is no "postgres" user to run the server as: ${INSTALL_HINT}`);
  return { uid: Number(uid), gid: Number(gid) };
}

export async function startPostgres(): Promise<PostgresServer> {
  const { bin, version } = findPostgresBin();
  const asPostgres = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'sb-pg-'));
  if (asPostgres) {
    const { uid, gid } = postgresIds();
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const pgCtl = join(bin, 'pg_ctl');
  let started = false;
  const stopSync = (): void => {
    if (started) {
      const [cmd, argv] = asPostgres
        ? ['runuser', ['-u', 'postgres', '--', pgCtl, 'stop', '-D', data, '-m', 'immediate']]
        : [pgCtl, ['stop', '-D', data, '-m', 'immediate']];
      spawnSync(cmd, argv, { stdio: 'ignore', timeout: 30_000 });
      started = false;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopSync);
  try {
    await run(
      join(bin, 'initdb'),
      [
        '-D',
        data,
        '-U',
        'postgres',
        '-A',
        'trust',
        '-E',
        'UTF8',
        '--locale=C',
        '--no-sync',
        '--no-instructions',
      ],
      asPostgres,
    );
    let port = 0;
    for (let attempt = 1; !started; attempt++) {
      port = await freeTcpPort();
      const options = [
        `-p ${port}`,
        `-k ${dir}`,
        '-c listen_addresses=127.0.0.1',
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c max_connections=50',
      ].join(' ');
      try {
        await run(pgCtl, ['start', '-D', data, '-l', log, '-w', '-t', '60', '-o', options], asPostgres);
        started = true;
      } catch (err) {
        // Another process may have taken the port between our probe and the server's bind.
        if (attempt >= 3) {
          const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
          throw new Error(`${(err as Error).message}\nserver log:\n${tail}`);
        }
      }
    }
    const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
    const psql = join(bin, 'psql');
    let counter = 0;
    return {
      url,
      port,
      socketDir: dir,
      version,
      async createDatabase(name = `test_${process.pid}_${++counter}`) {
        if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name ${JSON.stringify(name)}`);
        await run(
          psql,
          [
            '-h',
            dir,
            '-p',
            String(port),
            '-U',
            'postgres',
            '-v',
            'ON_ERROR_STOP=1',
            '-c',
            `CREATE DATABASE ${name}`,
          ],
          false,
        );
        return `postgresql://postgres@127.0.0.1:${port}/${name}`;
      },
      async stop() {
        process.removeListener('exit', stopSync);
        if (started) {
          // Fast shutdown; if that fails, stopSync falls back to an immediate one.
          await run(pgCtl, ['stop', '-D', data, '-m', 'fast', '-w'], asPostgres)
            .then(() => {
              started = false;
            })
            .catch(() => undefined);
        }
        stopSync();
      },
    };
  } catch (err) {
    process.removeListener('exit', stopSync);
    stopSync();
    throw err;
  }
}
