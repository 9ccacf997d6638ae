// Drives SIPp (Debian package `sip-tester`) as a SIP client in interop tests: runs an XML
// scenario against a target a bounded number of times (-m) within a bounded time (-timeout),
// on a free local port, and reports SIPp's exit code and its call statistics.
//
// SIPp exit codes: 0 every call succeeded; 1 at least one call failed; 97 exit on internal
// command; 99 normal exit without calls processed; 255 / -1 fatal error.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

export interface SippOptions {
  /** Path of the XML scenario (`-sf`). */
  readonly scenario: string;
  readonly target: { readonly host: string; readonly port: number };
  /** `UDP` (`-t u1`, default) or `TCP` (`-t t1`: one connection for all calls). */
  readonly transport?: 'UDP' | 'TCP';
  /** Calls to run before exiting (`-m`); default 1. */
  readonly calls?: number;
  /** New calls per second (`-r`); default SIPp's 10. */
  readonly rate?: number;
  /** Calls in progress at once (`-l`). */
  readonly limit?: number;
  /** The user part SIPp writes as [service] (`-s`); default `uas`. */
  readonly service?: string;
  /** Whole-run limit in seconds (`-timeout`, failing the run when hit); default 30. */
  readonly timeoutSeconds?: number;
  /** Local address (`-i`); default 127.0.0.1. */
  readonly localIp?: string;
  readonly extraArgs?: readonly string[];
}

export interface SippResult {
  readonly exitCode: number | null;
  /** From SIPp's statistics file (`-trace_stat`), cumulative counters of the last dump. */
  readonly created: number;
  readonly successful: number;
  readonly failed: number;
  /** SIPp's error log (`-trace_err`): unexpected messages and failures, for diagnostics. */
  readonly errors: string;
  readonly output: string;
  /** The full command line, for a failing test's message. */
  readonly command: string;
}

/** Runs SIPp to completion. Throws only when SIPp cannot be started. */
export async function runSipp(options: SippOptions): Promise<SippResult> {
  const dir = await mkdtemp(join(tmpdir(), 'sipp-'));
  try {
    const timeout = options.timeoutSeconds ?? 30;
    const statFile = join(dir, 'stat.csv');
    const errorFile = join(dir, 'errors.log');
    const args = [
      `${options.target.host}:${options.target.port}`,
      '-sf',
      options.scenario,
      '-i',
      options.localIp ?? '127.0.0.1',
      '-p',
      String(await freePort(options.localIp ?? '127.0.0.1')),
      '-t',
      options.transport === 'TCP' ? 't1' : 'u1',
      '-m',
      String(options.calls ?? 1),
      '-s',
      options.service ?? 'uas',
      '-timeout',
      `${timeout}s`,
      '-timeout_error',
      '-nostdin',
      '-trace_stat',
      '-stf',
      statFile,
      '-fd',
      '1',
      '-trace_err',
      '-error_file',
      errorFile,
      ...(options.rate !== undefined ? ['-r', String(options.rate)] : []),
      ...(options.limit !== undefined ? ['-l', String(options.limit)] : []),
      ...(options.extraArgs ?? []),
    ];
    const command = `sipp ${args.join(' ')}`;
    const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
    child.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      // A safety net above SIPp's own -timeout, so a wedged SIPp cannot hang the suite.
      const guard = setTimeout(() => child.kill('SIGKILL'), (timeout + 15) * 1000);
      child.once('error', (error) => {
        clearTimeout(guard);
        reject(new Error(`SIPp did not start (is Debian's sip-tester installed?): ${error.message}`));
      });
      child.once('close', (code) => {
        clearTimeout(guard);
        resolve(code);
      });
    });
    const stats = parseStats(await readFile(statFile, 'utf8').catch(() => ''));
    const errors = await readFile(errorFile, 'utf8').catch(() => '');
    return { exitCode, ...stats, errors, output, command };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The cumulative call counters of the last line of a `-trace_stat` CSV (`;`-separated). */
export function parseStats(csv: string): { created: number; successful: number; failed: number } {
  const lines = csv.split('\n').filter((l) => l.trim() !== '');
  const header = lines[0]?.split(';') ?? [];
  const last = lines[lines.length - 1]?.split(';') ?? [];
  const column = (name: string): number => {
    const i = header.indexOf(name);
    return i === -1 || lines.length < 2 ? 0 : Number(last[i] ?? 0);
  };
  return {
    created: column('TotalCallCreated'),
    successful: column('SuccessfulCall(C)'),
    failed: column('FailedCall(C)'),
  };
}
