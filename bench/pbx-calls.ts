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
// The anchor, in the same run: the floor — the same callers against SIPp callees that answer
// directly (uas-floor.xml), i.e. what the SIPp processes themselves can drive on this machine.
//
//   npm run bench -- pbx-calls
//   npx tsx bench/pbx-calls.ts [--pairs 4] [--step 10] [--hold 1000] [--rates 50,100,…]
//        [--no-floor] [--profile DIR] [--server-entry FILE]
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { freePort } from '@switchboard/testkit';
import type { BenchGoal, BenchResult, BenchTable } from './lib/bench-result.ts';
import { interleavedRamp, judge, maxLabel, stepLoad, type RampOutcome, type StepResult } from './pbx/ramp.ts';
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
  /** Also run the floor: the same SIPp callers against SIPp callees, no PBX between them. */
  readonly floor?: boolean;
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
  readonly contender: string;
  /** Switchboard only: CPU seconds of its main thread over the step. */
  readonly mainThreadCpuSeconds: number | undefined;
  /** CPU seconds of every SIPp process (callers and callees) over the step. */
  readonly generatorCpuSeconds: number;
  /** Switchboard only: answered calls it counted (switchboard_calls_answered_total). */
  readonly answeredByServer: number | undefined;
  /** Switchboard only: calls still in progress on the server a moment after the step. */
  readonly activeAfter: number | undefined;
  /** Calls the callee SIPp processes failed during the step. */
  readonly calleeFailures: number;
}

const FLOOR = 'SIPp alone (floor)';

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
  const background: BackgroundSipp[] = [];
  const steps: CallStep[] = [];
  const totalBoundS = 60 + (rates.length + 4) * 2 * (stepS * 3 + holdMs / 1000 + 30);
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
    const pbx = { host: '127.0.0.1', port: sb.sipPort };

    // Callees of the PBX: register from the port each then answers on, and stay up all along.
    const calleePorts = await Promise.all(callees.map(() => freePort()));
    const registration = await runFleet({
      target: pbx,
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
    const startCallees = async (scenarioName: string, ports: readonly number[]): Promise<BackgroundSipp> => {
      const fleet = await startBackground({
        target: pbx,
        scenario: scenario(scenarioName),
        members: await Promise.all(
          callees.map(async (callee, i) => ({
            localPort: ports[i]!,
            rate: 1,
            calls: 100_000_000,
            extraArgs: ['-s', callee.username, '-mp', String(await freePort())],
          })),
        ),
        limit: 10_000,
        timeoutS: totalBoundS,
      });
      background.push(fleet);
      return fleet;
    };
    const pbxCallees = await startCallees('uas-answer', calleePorts);
    // The floor's callees answer the callers directly (uas-floor.xml plays the PBX's 407).
    const floorPorts = await Promise.all(callees.map(() => freePort()));
    const floorCallees = options.floor === false ? undefined : await startCallees('uas-floor', floorPorts);
    await new Promise((r) => setTimeout(r, 1000));
    const callerPorts = await Promise.all(callers.map(() => freePort()));
    const callerMediaPorts = await Promise.all(callers.map(() => freePort()));

    const step = async (contender: string, rate: number, durationS: number): Promise<CallStep> => {
      const isFloor = contender === FLOOR;
      const calleeFleet = isFloor ? floorCallees! : pbxCallees;
      const perMember = Math.max(1, Math.round(rate / pairs));
      const calls = Math.max(1, Math.round(perMember * durationS));
      const members: SippMember[] = callers.map((caller, i) => ({
        ...(isFloor && { target: { host: '127.0.0.1', port: floorPorts[i]! } }),
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
      const before = isFloor ? undefined : await sb.metrics();
      const calleesBefore = await calleeFleet.counters();
      const cpu0 = sb.cpuSeconds();
      const main0 = sb.mainThreadCpuSeconds();
      const loadAverage = stepLoad();
      const fleet = await runFleet({
        target: pbx,
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
      // The callees' statistics are written once a second: wait for the step's last ones.
      await new Promise((r) => setTimeout(r, 1700));
      const after = isFloor ? undefined : await sb.metrics();
      const calleesAfter = await calleeFleet.counters();
      const calleeFailures = calleesAfter.failed - calleesBefore.failed;
      const offered = perMember * pairs;
      const planned = calls * pairs;
      // A callee that gives up on a call (say, a late INVITE retransmission where it expects the
      // ACK) fails the call even when the caller saw it through.
      const verdict =
        judge(fleet, planned, offered, holdMs / 1000 + 0.5) ||
        (calleeFailures > 0 ? `${calleeFailures} failed at the callee` : '');
      const result: CallStep = {
        contender,
        rate,
        offered,
        planned,
        fleet,
        serverCpuSeconds,
        mainThreadCpuSeconds: isFloor ? undefined : mainThreadCpuSeconds,
        generatorCpuSeconds: fleet.cpuSeconds + calleesAfter.cpuSeconds - calleesBefore.cpuSeconds,
        loadAverage,
        sustained: verdict === '',
        verdict,
        answeredByServer:
          before && after
            ? metric(after, 'switchboard_calls_answered_total') -
              metric(before, 'switchboard_calls_answered_total')
            : undefined,
        activeAfter: after ? metric(after, 'switchboard_active_calls') : undefined,
        calleeFailures,
      };
      if (fleet.failed > 0) log(`  first SIPp error (caller):\n${fleet.firstError.slice(0, 800)}`);
      steps.push(result);
      return result;
    };

    log('warm-up: 20 calls per second for 5 s…');
    await step('Switchboard', 20, 5);
    steps.length = 0;
    log(
      `ramp: ${rates.join(', ')} calls/s, ${stepS} s per step, hold ${holdMs} ms, ${pairs} caller/callee SIPp pairs`,
    );
    const contenders = [FLOOR, 'Switchboard'].filter((c) => c !== FLOOR || floorCallees);
    const outcomes = await interleavedRamp(
      contenders.map((name) => ({ name, step: (rate: number) => step(name, rate, stepS) })),
      { rates, refine: true, log },
    );
    for (const fleet of background.splice(0)) {
      const totals = await fleet.stop();
      if (totals.failed > 0)
        log(`callee SIPp processes: ${totals.failed} failed; first error:\n${totals.firstError}`);
    }
    return report(steps, outcomes, {
      pairs,
      stepS,
      holdMs,
      rtpPorts,
      loadBefore,
      memoryMiB: sb.memoryMiB(),
      serverCommand: sb.command,
      sippCommand: steps.find((s) => s.contender === 'Switchboard')?.fleet.command ?? '',
    });
  } finally {
    for (const fleet of background) await fleet.stop().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

function report(
  steps: readonly CallStep[],
  outcomes: readonly RampOutcome[],
  facts: {
    pairs: number;
    stepS: number;
    holdMs: number;
    rtpPorts: string;
    loadBefore: number;
    memoryMiB: number;
    serverCommand: string;
    sippCommand: string;
  },
): BenchResult {
  const cores = (cpu: number | undefined, s: CallStep): number | string =>
    cpu === undefined ? '–' : round(cpu / s.fleet.elapsedS, 2);
  const perCall = (s: CallStep): number | string =>
    s.contender === FLOOR ? '–' : round((s.serverCpuSeconds * 1e6) / Math.max(1, s.fleet.successful));
  const table: BenchTable = {
    caption: `Every step: calls/s offered by ${facts.pairs} SIPp callers for ${facts.stepS} s, each call held ${facts.holdMs} ms`,
    columns: [
      'callee side',
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
      'SIPp CPU (cores)',
      'answered (server)',
      'active after',
      'load avg',
      'verdict',
    ],
    rows: steps.map((s) => [
      s.contender,
      s.offered,
      s.fleet.successful,
      s.fleet.failed,
      s.calleeFailures,
      s.fleet.retransmissions,
      round(s.fleet.successful / Math.max(0.001, s.fleet.elapsedS - facts.holdMs / 1000)),
      round(s.fleet.meanResponseMs, 1),
      cores(s.contender === FLOOR ? undefined : s.serverCpuSeconds, s),
      cores(s.mainThreadCpuSeconds, s),
      perCall(s),
      cores(s.generatorCpuSeconds, s),
      s.answeredByServer ?? '–',
      s.activeAfter ?? '–',
      s.loadAverage,
      s.sustained ? 'sustained' : s.verdict,
    ]),
  };
  const summary: BenchTable = {
    caption: 'Highest rate sustained with 0 failed calls',
    columns: [
      'callee side',
      'calls/s (max sustained)',
      'server CPU (cores) there',
      'main thread (cores)',
      'server CPU µs / call',
      'SIPp CPU (cores)',
      'memory MiB (PSS, end)',
    ],
    rows: outcomes.map((o) => {
      const best = steps
        .filter((s) => s.contender === o.name && s.sustained && s.rate === o.maxSustained)
        .at(-1);
      const isFloor = o.name === FLOOR;
      return [
        o.name,
        o.maxSustained,
        best && !isFloor ? cores(best.serverCpuSeconds, best) : '–',
        best ? cores(best.mainThreadCpuSeconds, best) : '–',
        best ? perCall(best) : '–',
        best ? cores(best.generatorCpuSeconds, best) : '–',
        isFloor ? '–' : round(facts.memoryMiB, 1),
      ];
    }),
  };
  const sb = outcomes.find((o) => o.name === 'Switchboard');
  const floor = outcomes.find((o) => o.name === FLOOR);
  const goals: BenchGoal[] = [
    {
      description: '≥ 500 calls per second through the B2BUA with 0 failed calls',
      met: (sb?.maxSustained ?? 0) >= 500,
      detail: `highest offered rate sustained with 0 failed calls: ${sb ? maxLabel(sb) : '0/s'}${floor ? ` (SIPp alone, no PBX: ${maxLabel(floor)})` : ''}`,
    },
  ];
  return {
    name: 'pbx-calls',
    title: 'B2BUA: calls per second (INVITE with 407 challenge, 180, 200, ACK, BYE; no media)',
    tables: [summary, table],
    goals,
    notes: [
      `Server: \`${facts.serverCommand}\`; RTP_PORTS ${facts.rtpPorts}: every call is anchored on the media relay (two legs, each an RTP and an RTCP socket), although no RTP flows.`,
      `${facts.pairs} caller extensions each call one callee extension; each callee is a SIPp UAS registered (REGISTER with digest auth) from the port it answers on (uas-answer.xml). One caller of a step: \`${facts.sippCommand.replace(/\/tmp\/[^ ]+\//g, '…/')}\`.`,
      `${FLOOR}: the same callers call SIPp callees directly (uas-floor.xml answers the first INVITE with a 407 it does not verify, then 180/200): what the SIPp processes can drive on this machine with no PBX between them.`,
      'A step is sustained when every call succeeded at both ends and the callers kept ≥ 95 % of the offered rate; a failed step is retried once. “mean setup” is SIPp’s response time 1: first INVITE sent → 200 received (includes the 407 round trip). “answered (server)”: the server’s own count of answered calls in the step; “active after”: calls the server still held 1.7 s after the step.',
      'Server CPU: user + system time of the server process over the step (/proc), all threads (main thread, media worker threads, V8, libuv); “main thread” is the event loop alone (SIP, B2BUA, database). SIPp CPU: every caller and callee SIPp process over the step (sampled every 250 ms).',
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
    floor: !process.argv.includes('--no-floor'),
  });
  const { renderText } = await import('./lib/table.ts');
  for (const t of result.tables) console.log(`${renderText(t)}\n`);
  for (const g of result.goals ?? [])
    console.log(`Goal ${g.met ? 'met' : 'NOT met'}: ${g.description} — ${g.detail}`);
  for (const n of result.notes ?? []) console.log(`- ${n}`);
}
