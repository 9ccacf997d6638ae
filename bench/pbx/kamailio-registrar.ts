// The peer of bench/pbx-register.ts: Debian's Kamailio as a registrar (kamailio/registrar.cfg),
// credentials in a db_text `subscriber` table holding the same users and passwords as
// Switchboard's extensions, bindings in memory. Started in the foreground on a free loopback
// port, in a temporary directory, and stopped with SIGTERM.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@switchboard/testkit';
import { cpuSeconds, processTree, memoryMiB } from './proc-stats.ts';
import type { BenchUser } from './users.ts';

const BINARY = '/usr/sbin/kamailio';
const CONFIG_TEMPLATE = new URL('./kamailio/registrar.cfg', import.meta.url);

export const kamailioAvailable = (): boolean => existsSync(BINARY);

export function kamailioVersion(): string {
  try {
    const out = execFileSync(BINARY, ['-v'], { encoding: 'utf8' });
    return /version: kamailio (\S+)/.exec(out)?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export interface KamailioOptions {
  readonly domain: string;
  readonly users: readonly BenchUser[];
  /** SIP worker processes for the UDP socket (`children`). */
  readonly children: number;
}

export interface KamailioProcess {
  readonly pid: number;
  readonly sipPort: number;
  readonly version: string;
  readonly command: string;
  /** CPU seconds of every Kamailio process (main, SIP workers, timers). */
  cpuSeconds(): number;
  memoryMiB(): number;
  stop(): Promise<void>;
}

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

/** db_text tables: `version` (auth_db checks the subscriber table's version) and `subscriber`. */
async function writeDbText(dir: string, domain: string, users: readonly BenchUser[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'version'), 'table_name(string) table_version(int)\nsubscriber:7\n');
  const rows = users.map(
    (u, i) =>
      `${i + 1}:${u.username}:${domain}:${u.password}:${md5(`${u.username}:${domain}:${u.password}`)}:` +
      md5(`${u.username}@${domain}:${domain}:${u.password}`),
  );
  await writeFile(
    join(dir, 'subscriber'),
    ['id(int,auto) username(string) domain(string) password(string) ha1(string) ha1b(string)', ...rows].join(
      '\n',
    ) + '\n',
  );
}

export async function startKamailio(options: KamailioOptions): Promise<KamailioProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'kamailio-bench-'));
  const dbDir = join(dir, 'db');
  const runDir = join(dir, 'run');
  await mkdir(runDir);
  await writeDbText(dbDir, options.domain, options.users);
  const sipPort = await freePort();
  const config = (await readFile(CONFIG_TEMPLATE, 'utf8'))
    .replaceAll('{{PORT}}', String(sipPort))
    .replaceAll('{{DOMAIN}}', options.domain)
    .replaceAll('{{CHILDREN}}', String(options.children))
    .replaceAll('{{SECRET}}', randomBytes(16).toString('hex'))
    .replaceAll('{{DB_DIR}}', dbDir);
  const configFile = join(dir, 'kamailio.cfg');
  await writeFile(configFile, config);
  const args = ['-DD', '-E', '-f', configFile, '-Y', runDir, '-P', join(runDir, 'kamailio.pid'), '-m', '256'];
  let log = '';
  const child: ChildProcess = spawn(BINARY, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-8000)));
  child.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-8000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Ready when every SIP worker exists; a bad config makes it exit instead.
  const deadline = Date.now() + 20_000;
  while (processTree(child.pid!).length < options.children + 1) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      await rm(dir, { recursive: true, force: true });
      throw new Error(`kamailio did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 500));
  const pid = child.pid!;
  return {
    pid,
    sipPort,
    version: kamailioVersion(),
    command: `kamailio ${args.join(' ')}`.replaceAll(dir, '$DIR'),
    cpuSeconds: () => cpuSeconds(processTree(pid)),
    memoryMiB: () => memoryMiB(processTree(pid)),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const guard = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(guard);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
