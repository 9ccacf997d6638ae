// Several SIPp processes run in parallel as one load generator: one SIPp process tops out near
// 1,000–1,250 scenarios per second here, so a load is split over a fleet, each member with its
// own local port and its own users (an -inf CSV file), all started together and awaited.
// Every member is bounded: -m calls, -timeout for the whole run, -recv_timeout per message.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cpuSeconds } from './proc-stats.ts';

export interface SippMember {
  /** Where this member sends (default: the fleet's target). */
  readonly target?: { readonly host: string; readonly port: number };
  /** Local SIP port (-p): fixed for the whole benchmark, so a user's Contact never changes. */
  readonly localPort: number;
  /** Injection file (-inf), or none. */
  readonly csv?: string;
  /** Scenarios per second for this member (-r). */
  readonly rate: number;
  /** Scenarios to run (-m). */
  readonly calls: number;
  /** Arguments specific to this member (keys, media port…). */
  readonly extraArgs?: readonly string[];
}

export interface FleetOptions {
  readonly target: { readonly host: string; readonly port: number };
  readonly scenario: string;
  readonly members: readonly SippMember[];
  /** Most scenarios in progress per member (-l): a server that falls behind slows the fleet. */
  readonly limit: number;
  /** Whole-run limit in seconds (-timeout); a member that hits it fails. */
  readonly timeoutS: number;
  /** A message not received within this many ms fails the scenario (-recv_timeout). */
  readonly recvTimeoutMs?: number;
  readonly extraArgs?: readonly string[];
}

export interface FleetResult {
  readonly created: number;
  readonly successful: number;
  /** Scenarios of ours that failed. */
  readonly failed: number;
  /**
   * "Calls" SIPp counted as failed that were not ours: requests the server started (its
   * keep-alive OPTIONS to a registered SIPp port), auto-answered with -aa and then aborted.
   */
  readonly foreignFailed: number;
  /**
   * Requests from the server that SIPp answered by itself (-aa), each of which it counts as a
   * call made, taking it out of the -m budget: so many fewer of our scenarios ran.
   */
  readonly foreignCalls: number;
  readonly retransmissions: number;
  /** Wall-clock seconds from the first start to the last exit. */
  readonly elapsedS: number;
  /** Mean of the scenario's response-time measure (rtd 1), ms, weighted by calls; NaN if none. */
  readonly meanResponseMs: number;
  readonly exitCodes: readonly (number | null)[];
  /** CPU seconds the fleet's SIPp processes used (sampled, so slightly low). */
  readonly cpuSeconds: number;
  /** The start of the first non-empty SIPp error log, for diagnostics. */
  readonly firstError: string;
  /** One member's command line, as an example for the docs. */
  readonly command: string;
}

interface MemberResult {
  readonly exitCode: number | null;
  /** CPU seconds the SIPp process used (sampled every 250 ms until it exited). */
  readonly cpuSeconds: number;
  readonly stats: Map<string, string>;
  readonly errors: string;
  readonly command: string;
}

/** The last line of a -trace_stat CSV as column → value. */
function lastStats(csv: string): Map<string, string> {
  const lines = csv.split('\n').filter((l) => l.trim() !== '');
  const header = lines[0]?.split(';') ?? [];
  const last = lines.length > 1 ? (lines[lines.length - 1]?.split(';') ?? []) : [];
  return new Map(header.map((name, i) => [name, last[i] ?? '']));
}

/** SIPp's own Call-IDs ([call_id], default format `%u-%p@%s`): anything else came from the server. */
const OWN_CALL_ID = /^\d+-\d+@/;

/** The Call-ID an entry of SIPp's error log is about, if it names one. */
function entryCallId(entry: string): string | undefined {
  return /(?:Call-I[Dd]:? '?|for call: )([^',\s]+)/.exec(entry)?.[1];
}

const logEntries = (log: string): string[] =>
  log.split(/(?=\d{4}-\d{2}-\d{2}\t\d{2}:\d{2}:\d{2}\.\d+\t)/).filter((e) => /^\d{4}-/.test(e));

/**
 * Calls in an error log that our scenario did not start (their Call-ID is not SIPp's): all of
 * them (answered by -aa), and those SIPp then counted as failed (aborted, timed out).
 */
function foreignCalls(log: string): { all: number; failed: number } {
  const all = new Set<string>();
  const failed = new Set<string>();
  for (const entry of logEntries(log)) {
    const id = entryCallId(entry);
    if (id === undefined || OWN_CALL_ID.test(id)) continue;
    all.add(id);
    if (/Aborted call|Aborting call|receive timeout/.test(entry)) failed.add(id);
  }
  return { all: all.size, failed: failed.size };
}

/**
 * The first entry of SIPp's error logs that says why a scenario failed, skipping the harmless
 * ones: late retransmitted responses to finished scenarios ("Dead call") and -aa answers to a
 * registrar's keep-alive OPTIONS ("Automatic response mode").
 */
function firstFailure(logs: readonly string[]): string {
  for (const log of logs) {
    const entries = log.split(/(?=\d{4}-\d{2}-\d{2}\t\d{2}:\d{2}:\d{2}\.\d+\t)/);
    const telling = entries.find((e) => {
      if (!/^\d{4}-/.test(e) || e.includes('Dead call') || e.includes('Automatic response mode'))
        return false;
      const id = entryCallId(e);
      return id === undefined || OWN_CALL_ID.test(id);
    });
    if (telling) return telling.slice(0, 1500);
  }
  return '';
}

/** SIPp writes times as HH:MM:SS:mmm (or with microseconds); returns milliseconds. */
function durationMs(text: string | undefined): number {
  if (!text) return NaN;
  const parts = text.split(':').map(Number);
  if (parts.length < 3 || parts.some((p) => !Number.isFinite(p))) return NaN;
  const [h, m, s, frac = 0] = parts as [number, number, number, number?];
  const fracDigits = text.split(':')[3]?.length ?? 3;
  return ((h * 60 + m) * 60 + s) * 1000 + frac / 10 ** (fracDigits - 3);
}

interface RunningMember {
  readonly done: Promise<MemberResult>;
  /** CPU seconds so far. */
  cpuSeconds(): number;
  /** Ends a member early (SIGTERM, then SIGKILL): for the long-running UAS of the calls bench. */
  stop(): void;
}

function startMember(options: FleetOptions, member: SippMember, dir: string, i: number): RunningMember {
  const statFile = join(dir, `stat-${i}.csv`);
  const errorFile = join(dir, `errors-${i}.log`);
  const args = [
    `${(member.target ?? options.target).host}:${(member.target ?? options.target).port}`,
    '-sf',
    options.scenario,
    ...(member.csv ? ['-inf', member.csv] : []),
    '-i',
    '127.0.0.1',
    '-p',
    String(member.localPort),
    '-t',
    'u1',
    '-r',
    String(member.rate),
    '-m',
    String(member.calls),
    '-l',
    String(options.limit),
    '-timeout',
    `${options.timeoutS}s`,
    '-timeout_error',
    '-recv_timeout',
    String(options.recvTimeoutMs ?? 10_000),
    '-nostdin',
    '-trace_stat',
    '-stf',
    statFile,
    '-fd',
    '1',
    '-trace_err',
    '-error_file',
    errorFile,
    ...(options.extraArgs ?? []),
    ...(member.extraArgs ?? []),
  ];
  const command = `sipp ${args.join(' ')}`;
  const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  let cpu = 0;
  const sampler = setInterval(() => {
    if (child.pid !== undefined) cpu = Math.max(cpu, cpuSeconds([child.pid]));
  }, 250);
  const done = (async (): Promise<MemberResult> => {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      // A safety net above SIPp's own -timeout: a wedged SIPp cannot hang the benchmark.
      const guard = setTimeout(() => child.kill('SIGKILL'), (options.timeoutS + 15) * 1000);
      child.once('error', (error) => {
        clearTimeout(guard);
        reject(new Error(`SIPp did not start (is Debian's sip-tester installed?): ${error.message}`));
      });
      child.once('close', (code) => {
        clearTimeout(guard);
        resolve(code);
      });
    });
    clearInterval(sampler);
    const stats = lastStats(await readFile(statFile, 'utf8').catch(() => ''));
    const errors = (await readFile(errorFile, 'utf8').catch(() => '')) + stderr;
    return { exitCode, cpuSeconds: cpu, stats, errors, command };
  })();
  return {
    done,
    cpuSeconds: () => cpu,
    stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3_000).unref();
    },
  };
}

/** Runs every member to completion, in parallel, and adds their counters up. */
export async function runFleet(options: FleetOptions): Promise<FleetResult> {
  const dir = await mkdtemp(join(tmpdir(), 'sipp-fleet-'));
  try {
    const started = performance.now();
    const results = await Promise.all(options.members.map((m, i) => startMember(options, m, dir, i).done));
    const elapsedS = (performance.now() - started) / 1000;
    const sum = (column: string): number =>
      results.reduce((s, r) => s + (Number(r.stats.get(column)) || 0), 0);
    const successful = sum('SuccessfulCall(C)');
    let weighted = 0;
    let weight = 0;
    for (const r of results) {
      const ms = durationMs(r.stats.get('ResponseTime1(C)'));
      const n = Number(r.stats.get('SuccessfulCall(C)')) || 0;
      if (Number.isFinite(ms) && n > 0) {
        weighted += ms * n;
        weight += n;
      }
    }
    // Requests from the server that no scenario of ours started (keep-alive OPTIONS, answered by
    // -aa) can be counted by SIPp as failed calls and make it exit 1: leave them out.
    const foreign = results.map((r) => foreignCalls(r.errors));
    const failedOf = (r: MemberResult): number => Number(r.stats.get('FailedCall(C)')) || 0;
    const own = results.map((r, i) => Math.max(0, failedOf(r) - foreign[i]!.failed));
    return {
      created: sum('TotalCallCreated'),
      successful,
      failed: own.reduce((a, b) => a + b, 0),
      foreignFailed: results.reduce((sum, r, i) => sum + failedOf(r) - own[i]!, 0),
      foreignCalls: foreign.reduce((sum, f) => sum + f.all, 0),
      retransmissions: sum('Retransmissions(C)'),
      elapsedS,
      meanResponseMs: weight > 0 ? weighted / weight : NaN,
      cpuSeconds: results.reduce((sum, r) => sum + r.cpuSeconds, 0),
      exitCodes: results.map((r, i) => (r.exitCode === 1 && own[i] === 0 ? 0 : r.exitCode)),
      firstError: firstFailure(results.map((r) => r.errors)),
      command: results[0]?.command ?? '',
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface BackgroundSipp {
  readonly command: string;
  /**
   * The members' cumulative counters so far, from the statistics SIPp writes every second
   * (-fd 1): take them before and after a step, the difference is the step's.
   */
  counters(): Promise<{ successful: number; failed: number; cpuSeconds: number }>;
  /** Stops every member and returns their cumulative counters. */
  stop(): Promise<{ successful: number; failed: number; firstError: string }>;
}

/**
 * Starts members that run until stopped (a UAS answering every call of a benchmark), bounded by
 * -timeout all the same. Each member's -m is its most calls; its -r is ignored by a UAS.
 */
export async function startBackground(options: FleetOptions): Promise<BackgroundSipp> {
  const dir = await mkdtemp(join(tmpdir(), 'sipp-uas-'));
  const running = options.members.map((m, i) => startMember(options, m, dir, i));
  return {
    command: `sipp … -sf ${options.scenario} …`,
    async counters() {
      const stats = await Promise.all(
        running.map((_, i) => readFile(join(dir, `stat-${i}.csv`), 'utf8').then(lastStats, () => new Map())),
      );
      const sum = (column: string): number => stats.reduce((s, m) => s + (Number(m.get(column)) || 0), 0);
      return {
        successful: sum('SuccessfulCall(C)'),
        failed: sum('FailedCall(C)'),
        cpuSeconds: running.reduce((total, r) => total + r.cpuSeconds(), 0),
      };
    },
    async stop() {
      for (const r of running) r.stop();
      const results = await Promise.all(running.map((r) => r.done));
      await rm(dir, { recursive: true, force: true });
      const sum = (column: string): number =>
        results.reduce((s, r) => s + (Number(r.stats.get(column)) || 0), 0);
      return {
        successful: sum('SuccessfulCall(C)'),
        failed: sum('FailedCall(C)'),
        firstError: firstFailure(results.map((r) => r.errors)),
      };
    },
  };
}
