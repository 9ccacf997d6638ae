// Calls per second through the B2BUA (issue 3): INVITE → 407 → ACK → INVITE with credentials →
// 100/180/200 → ACK → hold → BYE → 200, no media. Goal: ≥ 500 calls per second with 0 failed
// calls.
//
// The real server process (`switchboard start`) holds 2 × N extensions. N SIPp callee
// processes (pbx/scenarios/uas-answer.xml) each register as one extension (register.xml) from
// the port they then answer on, and stay up for the whole run; N SIPp caller processes
// (uac-call.xml), each an extension of its own, call one callee each. Every call is anchored on
// the media relay (two RTP legs from RTP_PORTS) although no RTP flows. The offered rate climbs;
// the highest rate sustained with 0 failed calls is the result, with the server's CPU there.
//
//   npm run bench -- pbx-calls
//   npx tsx bench/pbx-calls.ts [--pairs 4] [--step 10] [--hold 1000] [--rates 50,100,…]
//        [--profile DIR] [--server-entry FILE]
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { freePort } from '@switchboard/testkit';
import type { BenchGoal, BenchResult, BenchTable } from './lib/bench-result.ts';
import { interleavedRamp, judge, stepLoad, type StepResult } from './pbx/ramp.ts';
import { runFleet, startBackground, type BackgroundSipp, type SippMember } from './pbx/sipp-fleet.ts';
import { startSwitchboard, type SwitchboardProcess } from './pbx/switchboard-process.ts';
import { benchUsers, writeInjectionFile } from './pbx/users.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CallsBenchOptions {
  /** Caller/callee SIPp pairs. */
  readonly pairs?: number;
  readonly stepS?: number;
  /** How long each call stays up after ACK, ms. */
  readonly holdMs?: number;
  readonly rates?: readonly number[];
  readonly rtpPorts?: string;
  readonly profileDir?: string;
  readonly serverEntry?: string;
}

const DOMAIN = 'bench.test';
const DEFAULT_RATES = [50, 100, 200, 300, 400, 500, 600, 800, 1000];
const scenario = (name: string): string =>
  fileURLToPath(new URL(`./pbx/scenarios/${name}.xml`, import.meta.url));
const round = (x: number, digits = 0): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** A Prometheus sample's value, summed over its label sets. */
function metric(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) sum += Number(line.split(' ').at(-1));
  }
  return sum;
}

interface CallStep extends StepResult {
  readonly mainThreadCpuSeconds: number;
  /** Answered calls counted by the server (switchboard_calls_answered_total) during the step. */
  readonly answeredByServer: number;
  /** Calls still in progress on the server a moment after the step. */
  readonly activeAfter: number;
  /** Calls the callee SIPp processes failed during the step. */
  readonly calleeFailures: number;
}

export async function run(options: CallsBenchOptions = {}): Promise<BenchResult> {
  const pairs = options.pairs ?? 4;
  const stepS = options.stepS ?? 10;
  const holdMs = options.holdMs ?? 1000;
  const rates = options.rates ?? DEFAULT_RATES;
  const rtpPorts = options.rtpPorts ?? '10000-29999';
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const loadBefore = loadavg()[0]!;
  const users = benchUsers(2 * pairs, 200_000);
  const callers = users.slice(0, pairs);
  const callees = users.slice(pairs);
  const dir = await mkdtemp(join(tmpdir(), 'pbx-calls-'));
  let server: SwitchboardProcess | undefined;
  let uas: BackgroundSipp | undefined;
  const steps: CallStep[] = [];
  try {
    log(`starting Switchboard with ${users.length} extensions…`);
    server = await startSwitchboard({
      domain: DOMAIN,
      users,
      rtpPorts,
      ...(options.profileDir && { cpuProfileDir: options.profileDir }),
      ...(options.serverEntry && { serverEntry: options.serverEntry }),
    });
    const sb = server;
    const target = { host: '127.0.0.1', port: sb.sipPort };

    // Callees: register from the port each then answers on, and stay up for the whole run.
    const calleePorts = await Promise.all(callees.map(() => freePort()));
    const registration = await runFleet({
      target,
      scenario: scenario('register'),
      members: await Promise.all(
        callees.map(async (callee, i) => {
          const csv = join(dir, `callee-${i}.csv`);
          await writeInjectionFile(csv, [callee]);
          return { localPort: calleePorts[i]!, csv, rate: 1, calls: 1 };
        }),
      ),
      limit: 1,
      timeoutS: 30,
    });
    if (registration.successful !== pairs)
      throw new Error(`callees did not register:\n${registration.firstError}`);
    const totalBoundS = 60 + (rates.length + 4) * 2 * (stepS * 3 + holdMs / 1000 + 30);
    uas = await startBackground({
      target,
      scenario: scenario('uas-answer'),
      members: await Promise.all(
        callees.map(async (callee, i) => ({
          localPort: calleePorts[i]!,
          rate: 1,
          calls: 100_000_000,
          extraArgs: ['-s', callee.username, '-mp', String(await freePort()), '-aa'],
        })),
      ),
      limit: 10_000,
      timeoutS: totalBoundS,
    });
    await new Promise((r) => setTimeout(r, 1000));
    const calleeFleet = (): BackgroundSipp => uas!;
    const callerPorts = await Promise.all(callers.map(() => freePort()));
    const callerMediaPorts = await Promise.all(callers.map(() => freePort()));

    const step = async (rate: number, durationS: number): Promise<CallStep> => {
      const perMember = Math.max(1, Math.round(rate / pairs));
      const calls = Math.max(1, Math.round(perMember * durationS));
      const members: SippMember[] = callers.map((caller, i) => ({
        localPort: callerPorts[i]!,
        rate: perMember,
        calls,
        extraArgs: [
          '-s',
          caller.username,
          '-au',
          caller.username,
          '-ap',
          caller.password,
          '-key',
          'callee',
          callees[i]!.username,
          '-d',
          String(holdMs),
          '-mp',
          String(callerMediaPorts[i]!),
        ],
      }));
      const before = await sb.metrics();
      const calleesBefore = await calleeFleet().counters();
      const cpu0 = sb.cpuSeconds();
      const main0 = sb.mainThreadCpuSeconds();
      const loadAverage = stepLoad();
      const fleet = await runFleet({
        target,
        scenario: scenario('uac-call'),
        members,
        // At most (hold + 3 s) of calls in progress per caller process.
        limit: Math.max(10, Math.ceil(perMember * (holdMs / 1000 + 3))),
        timeoutS: durationS * 3 + holdMs / 1000 + 30,
        recvTimeoutMs: 10_000,
        extraArgs: ['-aa'],
      });
      const serverCpuSeconds = sb.cpuSeconds() - cpu0;
      const mainThreadCpuSeconds = sb.mainThreadCpuSeconds() - main0;
      await new Promise((r) => setTimeout(r, 500));
      // The callees' statistics are written once a second: wait for the step's last ones.
      await new Promise((r) => setTimeout(r, 1200));
      const after = await sb.metrics();
      const calleeFailures = (await calleeFleet().counters()).failed - calleesBefore.failed;
      const offered = perMember * pairs;
      const planned = calls * pairs;
      // A callee that gives up on a call (say, a late INVITE retransmission where it expects the
      // ACK) fails the call even when the caller saw it through.
      const verdict =
        judge(fleet, planned, offered, holdMs / 1000 + 0.5) ||
        (calleeFailures > 0 ? `${calleeFailures} failed at the callee` : '');
      const result: CallStep = {
        rate,
        offered,
        planned,
        fleet,
        serverCpuSeconds,
        mainThreadCpuSeconds,
        loadAverage,
        sustained: verdict === '',
        verdict,
        answeredByServer:
          metric(after, 'switchboard_calls_answered_total') -
          metric(before, 'switchboard_calls_answered_total'),
        activeAfter: metric(after, 'switchboard_active_calls'),
        calleeFailures,
      };
      if (fleet.failed > 0) log(`  first SIPp error:\n${fleet.firstError.slice(0, 800)}`);
      steps.push(result);
      return result;
    };

    log('warm-up: 20 calls per second for 5 s…');
    await step(20, 5);
    steps.length = 0;
    log(
      `ramp: ${rates.join(', ')} calls/s, ${stepS} s per step, hold ${holdMs} ms, ${pairs} caller/callee SIPp pairs`,
    );
    const [outcome] = await interleavedRamp([{ name: 'Switchboard', step: (rate) => step(rate, stepS) }], {
      rates,
      refine: true,
      log,
    });
    const calleeTotals = await uas.stop();
    uas = undefined;
    if (calleeTotals.failed > 0)
      log(`callee SIPp processes: ${calleeTotals.failed} failed; first error:\n${calleeTotals.firstError}`);
    return report(steps, outcome!.maxSustained, {
      pairs,
      stepS,
      holdMs,
      rtpPorts,
      loadBefore,
      memoryMiB: sb.memoryMiB(),
      serverCommand: sb.command,
      sippCommand: steps[0]?.fleet.command ?? '',
      calleeFailures: calleeTotals.failed,
      calleeError: calleeTotals.firstError,
    });
  } finally {
    await uas?.stop().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

function report(
  steps: readonly CallStep[],
  maxSustained: number,
  facts: {
    pairs: number;
    stepS: number;
    holdMs: number;
    rtpPorts: string;
    loadBefore: number;
    memoryMiB: number;
    serverCommand: string;
    sippCommand: string;
    calleeFailures: number;
    calleeError: string;
  },
): BenchResult {
  const perCall = (s: CallStep, cpu: number): number => round((cpu * 1e6) / Math.max(1, s.fleet.successful));
  const table: BenchTable = {
    caption: `Every step: calls/s offered by ${facts.pairs} SIPp callers for ${facts.stepS} s, each call held ${facts.holdMs} ms`,
    columns: [
      'offered calls/s',
      'calls',
      'failed (caller)',
      'failed (callee)',
      'retransmissions',
      'achieved /s',
      'mean setup ms',
      'server CPU (cores)',
      'main thread (cores)',
      'server CPU µs / call',
      'answered (server)',
      'active after',
      'load avg',
      'verdict',
    ],
    rows: steps.map((s) => [
      s.offered,
      s.fleet.successful,
      s.fleet.failed,
      s.calleeFailures,
      s.fleet.retransmissions,
      round(s.fleet.successful / Math.max(0.001, s.fleet.elapsedS - facts.holdMs / 1000)),
      round(s.fleet.meanResponseMs, 1),
      round(s.serverCpuSeconds / s.fleet.elapsedS, 2),
      round(s.mainThreadCpuSeconds / s.fleet.elapsedS, 2),
      perCall(s, s.serverCpuSeconds),
      s.answeredByServer,
      s.activeAfter,
      s.loadAverage,
      s.sustained ? 'sustained' : s.verdict,
    ]),
  };
  const best = steps.filter((s) => s.sustained && s.rate === maxSustained).at(-1);
  const summary: BenchTable = {
    caption: 'Highest rate sustained with 0 failed calls',
    columns: [
      'server',
      'calls/s (max sustained)',
      'server CPU (cores) there',
      'main thread (cores)',
      'server CPU µs / call',
      'memory MiB (PSS, end)',
    ],
    rows: [
      [
        'Switchboard',
        maxSustained,
        best ? round(best.serverCpuSeconds / best.fleet.elapsedS, 2) : '–',
        best ? round(best.mainThreadCpuSeconds / best.fleet.elapsedS, 2) : '–',
        best ? perCall(best, best.serverCpuSeconds) : '–',
        round(facts.memoryMiB, 1),
      ],
    ],
  };
  const goals: BenchGoal[] = [
    {
      description: '≥ 500 calls per second through the B2BUA with 0 failed calls',
      met: maxSustained >= 500,
      detail: `highest offered rate sustained with 0 failed calls: ${maxSustained}/s`,
    },
  ];
  return {
    name: 'pbx-calls',
    title: 'B2BUA: calls per second (INVITE with 407 challenge, 180, 200, ACK, BYE; no media)',
    tables: [summary, table],
    goals,
    notes: [
      `Server: \`${facts.serverCommand}\`; RTP_PORTS ${facts.rtpPorts}: every call is anchored on the media relay (two legs, each an RTP and an RTCP socket), although no RTP flows.`,
      `${facts.pairs} caller extensions each call one callee extension; each callee is a SIPp UAS registered (REGISTER with digest auth) from the port it answers on. One caller of a step: \`${facts.sippCommand.replace(/\/tmp\/[^ ]+\//g, '…/')}\`.`,
      'A step is sustained when every call succeeded and the callers kept ≥ 95 % of the offered rate; a failed step is retried once. “mean setup” is SIPp’s response time 1: first INVITE sent → 200 received (includes the 407 round trip). “answered (server)”: the server’s own count of answered calls in the step; “active after”: calls the server still holds half a second after the step (should be 0).',
      'Server CPU: user + system time of the server process over the step (/proc), all threads (main thread, media worker threads, V8, libuv); “main thread” is the event loop alone (SIP, B2BUA, database).',
      `Callee SIPp processes over the whole run: ${facts.calleeFailures} failed${facts.calleeError ? ` (first error: ${facts.calleeError.slice(0, 300).replace(/\s+/g, ' ')})` : ''}.`,
      `1-minute load average ${facts.loadBefore.toFixed(2)} before the run, ${loadavg()[0]!.toFixed(2)} after. The SIPp callers and callees run on the same two cores as the server.`,
    ],
  };
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rates = argValue('--rates');
  const result = await run({
    pairs: Number(argValue('--pairs') ?? 4),
    stepS: Number(argValue('--step') ?? 10),
    holdMs: Number(argValue('--hold') ?? 1000),
    ...(rates && { rates: rates.split(',').map(Number) }),
    ...(argValue('--rtp-ports') && { rtpPorts: argValue('--rtp-ports') }),
    ...(argValue('--profile') && { profileDir: argValue('--profile') }),
    ...(argValue('--server-entry') && { serverEntry: argValue('--server-entry') }),
  });
  const { renderText } = await import('./lib/table.ts');
  for (const t of result.tables) console.log(`${renderText(t)}\n`);
  for (const g of result.goals ?? [])
    console.log(`Goal ${g.met ? 'met' : 'NOT met'}: ${g.description} — ${g.detail}`);
  for (const n of result.notes ?? []) console.log(`- ${n}`);
}
