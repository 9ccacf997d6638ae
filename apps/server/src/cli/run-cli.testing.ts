// Test helper: runs the real `switchboard` binary in a child process with a clean environment
// (only what the test passes: no DATABASE_URL or SECRET_KEY leaking in from the shell); and the
// workspace the CLI tests share (a temp DATA_DIR, on PGlite or a real PostgreSQL).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import type { Backend } from '@switchboard/db';
import { startPostgres, type PostgresServer } from '@switchboard/testkit';
import { loadConfig } from '../config.ts';
import { withData } from '../data.ts';

const BIN = fileURLToPath(new URL('../../bin/switchboard.mjs', import.meta.url));

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runSwitchboard(args: readonly string[], env: Record<string, string>): Promise<CliRun> {
  const base: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG']) {
    // eslint-disable-next-line no-restricted-properties -- test harness: builds the child's environment
    const value = process.env[name];
    if (value !== undefined) base[name] = value;
  }
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...base, ...env }, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        if (err && code === -1) reject(err);
        else resolve({ code, stdout, stderr });
      },
    );
  });
}

export interface CliWorkspace {
  /** The temp folder (set in beforeAll); DATA_DIR is its `data` subfolder. */
  readonly dir: string;
  /** The environment every run gets: DATA_DIR, and DATABASE_URL on PostgreSQL. */
  readonly env: Record<string, string>;
  /** Runs `switchboard ...args` with `env`. */
  cli(...args: string[]): Promise<CliRun>;
  /** The data layer as the CLI opens it (only while no CLI process holds an embedded database). */
  data<T>(fn: Parameters<typeof withData<T>>[1]): Promise<T>;
}

/**
 * Registers beforeAll/afterAll in the calling describe: a temp folder named `prefix…`, and on
 * `postgres` a server with a fresh database; both are removed afterwards.
 */
export function useCliWorkspace(prefix: string, backend: Backend): CliWorkspace {
  let dir = '';
  let server: PostgresServer | undefined;
  const env: Record<string, string> = {};
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    env.DATA_DIR = join(dir, 'data');
    if (backend === 'postgres') {
      server = await startPostgres();
      env.DATABASE_URL = await server.createDatabase();
    }
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    env,
    cli: (...args) => runSwitchboard(args, env),
    data: (fn) =>
      withData(loadConfig({ DATA_DIR: env.DATA_DIR!, DATABASE_URL: env.DATABASE_URL ?? '' }, {}), fn),
  };
}
