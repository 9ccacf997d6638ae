// Switchboard as the benchmarks run it: the real server process (`switchboard start`, exactly
// what `npm start` runs) in a temporary DATA_DIR, on free loopback ports, with extensions created
// beforehand by the operator's CLI (`switchboard tenant add`, `switchboard extension import`).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@switchboard/testkit';
import { cpuSeconds, memoryMiB, threadCpuSeconds } from './proc-stats.ts';
import type { BenchUser } from './users.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'apps/server/bin/switchboard.mjs');

export interface SwitchboardOptions {
  readonly domain: string;
  readonly users: readonly BenchUser[];
  /** RTP_PORTS for the media relay: every call is anchored, so give it room. */
  readonly rtpPorts: string;
  /** Write a V8 CPU profile of the server to this directory when it stops (--cpu-prof). */
  readonly cpuProfileDir?: string;
  readonly logLevel?: string;
  /**
   * Experiments only: a script to run instead of apps/server/bin/switchboard.mjs, as
   * `FILE [ARGS…]`; it gets ARGS, then the CLI's (`start --sip-port …`). A .ts file runs through
   * tsx. See what-if-server.ts.
   */
  readonly serverEntry?: string;
}

export interface SwitchboardProcess {
  readonly pid: number;
  readonly sipPort: number;
  readonly httpPort: number;
  readonly dataDir: string;
  /** The command line that started it, for the docs. */
  readonly command: string;
  /** Seconds the import of the extensions took (the CLI's own wall-clock time). */
  readonly importSeconds: number;
  /** CPU seconds of the whole process: main thread, media workers, V8 and libuv threads. */
  cpuSeconds(): number;
  /** CPU seconds of the main thread (the event loop: SIP, PBX, database). */
  mainThreadCpuSeconds(): number;
  memoryMiB(): number;
  /** GET /metrics, as text. */
  metrics(): Promise<string>;
  stop(): Promise<void>;
}

/** Runs the CLI to completion; throws with its output on a non-zero exit. */
async function cli(args: readonly string[]): Promise<string> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    const guard = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.once('error', reject);
    child.once('close', (c) => {
      clearTimeout(guard);
      resolve(c);
    });
  });
  if (code !== 0) throw new Error(`switchboard ${args.join(' ')} exited ${code}:\n${output}`);
  return output;
}

async function waitHealthy(
  port: number,
  child: ChildProcess,
  logFile: string,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(
        `switchboard exited (${child.exitCode}) while starting:\n${await readFile(logFile, 'utf8')}`,
      );
    const status = await fetch(`http://127.0.0.1:${port}/healthz`, {
      signal: AbortSignal.timeout(2_000),
    }).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`switchboard not healthy after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function startSwitchboard(options: SwitchboardOptions): Promise<SwitchboardProcess> {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-bench-'));
  const csv = join(dataDir, 'extensions.csv');
  await writeFile(
    csv,
    [
      'number,password,name',
      ...options.users.map((u) => `${u.username},${u.password},Bench ${u.username}`),
    ].join('\n') + '\n',
  );
  await cli(['tenant', 'add', 'Bench', '--domain', options.domain, '--data-dir', dataDir]);
  const importStarted = Date.now();
  await cli(['extension', 'import', csv, '--domain', options.domain, '--data-dir', dataDir]);
  const importSeconds = (Date.now() - importStarted) / 1000;

  const sipPort = await freePort();
  const httpPort = await freePort();
  const flags = [
    '--host',
    '127.0.0.1',
    '--sip-port',
    String(sipPort),
    '--http-port',
    String(httpPort),
    '--rtp-ports',
    options.rtpPorts,
    '--data-dir',
    dataDir,
    '--log-level',
    options.logLevel ?? 'warn',
  ];
  // `FILE [ARGS…]`: arguments for an experiment's script go before `start`.
  const [entry = BIN, ...entryArgs] = options.serverEntry?.trim().split(/\s+/) ?? [];
  const nodeArgs = [
    ...(options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []),
    ...(entry.endsWith('.ts') ? ['--import', 'tsx'] : []),
  ];
  const logFile = join(dataDir, 'server.log');
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, [...nodeArgs, entry, ...entryArgs, 'start', ...flags], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitHealthy(httpPort, child, logFile);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const pid = child.pid!;
  return {
    pid,
    sipPort,
    httpPort,
    dataDir,
    command:
      `node ${nodeArgs.join(' ')} ${entry === BIN ? 'apps/server/bin/switchboard.mjs' : [entry, ...entryArgs].join(' ')} start ${flags.join(' ')}`
        .replace(/ +/g, ' ')
        .replace(dataDir, '$DATA_DIR'),
    importSeconds,
    cpuSeconds: () => cpuSeconds([pid]),
    mainThreadCpuSeconds: () => threadCpuSeconds(pid, pid),
    memoryMiB: () => memoryMiB([pid]),
    metrics: () =>
      fetch(`http://127.0.0.1:${httpPort}/metrics`, { signal: AbortSignal.timeout(5_000) }).then((r) =>
        r.text(),
      ),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(guard);
      }
      log.end();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
