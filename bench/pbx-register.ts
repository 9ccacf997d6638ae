// REGISTER with digest authentication per second (issue 3's registrar benchmark): Switchboard
// against Kamailio, same users, same SIPp scenario, same load, in the same run.
//
// Both servers hold the same N users (default 10,000): Switchboard as extensions created with
// `switchboard extension import`, Kamailio in a db_text `subscriber` table. A fleet of SIPp
// processes (one tops out near 1,000–1,250 REGISTER/s), each with its own local port and its own
// slice of the users, runs REGISTER → 401 → REGISTER with credentials → 200
// (pbx/scenarios/register.xml). The offered rate climbs; at each rate every server gets the same
// fixed-length step in turn; the highest rate a server sustains with 0 failures is its result.
//
//   npm run bench -- pbx-register
//   npx tsx bench/pbx-register.ts [--users 10000] [--sipp 10] [--step 10] [--rates 250,500,…]
//        [--children 2] [--no-kamailio] [--no-switchboard] [--profile DIR] [--server-entry FILE]
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@switchboard/testkit';
import type { BenchGoal, BenchResult, BenchTable } from './lib/bench-result.ts';
import { kamailioAvailable, startKamailio } from './pbx/kamailio-registrar.ts';
import { interleavedRamp, judge, maxLabel, stepLoad, type RampOutcome, type StepResult } from './pbx/ramp.ts';
import { runFleet, type SippMember } from './pbx/sipp-fleet.ts';
import { startSwitchboard } from './pbx/switchboard-process.ts';
import { benchUsers, sliceUsers, writeInjectionFile } from './pbx/users.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';

export interface RegisterBenchOptions {
  readonly users?: number;
  /** SIPp processes in the fleet. */
  readonly sipp?: number;
  /** Seconds of load per step. */
  readonly stepS?: number;
  readonly rates?: readonly number[];
  /** Kamailio's UDP worker processes. */
  readonly children?: number;
  readonly kamailio?: boolean;
  readonly switchboard?: boolean;
  /** Write a CPU profile of the Switchboard server here (node --cpu-prof). */
  readonly profileDir?: string;
  /** Experiments: start the server with this script instead of the real CLI (see switchboard-process.ts). */
  readonly serverEntry?: string;
}

const DOMAIN = 'bench.test';
const DEFAULT_RATES = [
  250, 500, 750, 1000, 1500, 2000, 2500, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000, 12000,
];
const SCENARIO = fileURLToPath(new URL('./pbx/scenarios/register.xml', import.meta.url));

interface Server {
  readonly name: string;
  readonly sipPort: number;
  cpuSeconds(): number;
  memoryMiB(): number;
  stop(): Promise<void>;
  readonly command: string;
  readonly version: string;
}

const round = (x: number, digits = 0): number => Math.round(x * 10 ** digits) / 10 ** digits;

export async function run(options: RegisterBenchOptions = {}): Promise<BenchResult> {
  const userCount = options.users ?? 10_000;
  const fleetSize = options.sipp ?? 10;
  const stepS = options.stepS ?? 10;
  const rates = options.rates ?? DEFAULT_RATES;
  const children = options.children ?? cpus().length;
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const loadBefore = loadavg()[0]!;
  const users = benchUsers(userCount);
  const dir = await mkdtemp(join(tmpdir(), 'pbx-register-'));
  const servers: Server[] = [];
  const notes: string[] = [];
  try {
    // The fleet: fixed local ports and user slices for the whole run.
    const slices = sliceUsers(users, fleetSize);
    const fleet = await Promise.all(
      slices.map(async (slice, i) => {
        const csv = join(dir, `users-${i}.csv`);
        await writeInjectionFile(csv, slice);
        return { csv, localPort: await freePort() };
      }),
    );

    if (options.switchboard !== false) {
      log(`starting Switchboard with ${userCount} extensions…`);
      const sb = await startSwitchboard({
        domain: DOMAIN,
        users,
        rtpPorts: '10000-29999',
        ...(options.profileDir && { cpuProfileDir: options.profileDir }),
        ...(options.serverEntry && { serverEntry: options.serverEntry }),
      });
      servers.push({
        name: 'Switchboard',
        sipPort: sb.sipPort,
        cpuSeconds: sb.cpuSeconds,
        memoryMiB: sb.memoryMiB,
        stop: sb.stop,
        command: sb.command,
        version: `${process.version}`,
      });
      notes.push(
        `Switchboard: ${userCount} extensions imported with \`switchboard extension import\` in ${sb.importSeconds.toFixed(1)} s; server started as \`${sb.command}\`.`,
      );
    }
    if (options.kamailio !== false) {
      if (!kamailioAvailable()) {
        notes.push('Kamailio is not installed (apt-get install kamailio): its rows are missing.');
      } else {
        log(`starting Kamailio with ${userCount} subscribers…`);
        const k = await startKamailio({ domain: DOMAIN, users, children });
        servers.push({
          name: 'Kamailio',
          sipPort: k.sipPort,
          cpuSeconds: k.cpuSeconds,
          memoryMiB: k.memoryMiB,
          stop: k.stop,
          command: k.command,
          version: k.version,
        });
        notes.push(
          `Kamailio ${k.version}: bench/pbx/kamailio/registrar.cfg, children=${children}, started as \`${k.command}\`.`,
        );
      }
    }

    const step = async (
      server: Server,
      rate: number,
      durationS: number,
      warmup = false,
    ): Promise<StepResult> => {
      const perMember = Math.max(1, Math.round(rate / fleetSize));
      const calls = Math.max(1, Math.round(perMember * durationS));
      const members: SippMember[] = fleet.map((f) => ({ ...f, rate: perMember, calls }));
      const cpu0 = server.cpuSeconds();
      const loadAverage = stepLoad();
      const result = await runFleet({
        target: { host: '127.0.0.1', port: server.sipPort },
        scenario: SCENARIO,
        members,
        // At most 2 s of registrations in progress per SIPp: a server that falls further behind
        // slows the fleet down, and the step takes longer than planned.
        limit: Math.max(10, perMember * 2),
        timeoutS: durationS * 3 + 20,
        recvTimeoutMs: 10_000,
        // -aa: answer the keep-alive OPTIONS a registrar may send to the bindings.
        extraArgs: ['-aa'],
      });
      const offered = perMember * fleetSize;
      const planned = calls * fleetSize;
      const verdict = judge(result, planned, offered, 0.5);
      // The first SIPp error of a failed step says why (a 401 where a 200 was expected, a timeout).
      if (result.failed > 0)
        log(
          `  ${server.name}${warmup ? ' warm-up' : ''}: first SIPp error:\n${result.firstError.slice(0, 900)}`,
        );
      return {
        rate,
        offered,
        planned,
        fleet: result,
        serverCpuSeconds: server.cpuSeconds() - cpu0,
        loadAverage,
        sustained: verdict === '',
        verdict,
      };
    };

    // Warm-up: every user registers once (Kamailio's workers load the db_text table, V8 compiles
    // Switchboard's hot paths); not counted.
    for (const server of servers) {
      log(`warm-up: every user registers once with ${server.name}…`);
      await step(server, 500, userCount / 500, true);
    }
    log(`ramp: ${rates.join(', ')} REGISTER/s, ${stepS} s per step, ${fleetSize} SIPp processes`);
    const outcomes = await interleavedRamp(
      servers.map((server) => ({ name: server.name, step: (rate: number) => step(server, rate, stepS) })),
      { rates, refine: true, log },
    );
    const memory = new Map(servers.map((s) => [s.name, s.memoryMiB()]));
    return report(outcomes, {
      userCount,
      fleetSize,
      stepS,
      loadBefore,
      memory,
      notes,
      command: outcomes[0]?.steps[0]?.fleet.command ?? '',
    });
  } finally {
    for (const s of servers) await s.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

function report(
  outcomes: readonly RampOutcome[],
  facts: {
    userCount: number;
    fleetSize: number;
    stepS: number;
    loadBefore: number;
    memory: Map<string, number>;
    notes: string[];
    command: string;
  },
): BenchResult {
  const stepsTable: BenchTable = {
    caption: `Every step: REGISTER/s offered by ${facts.fleetSize} SIPp processes for ${facts.stepS} s`,
    columns: [
      'server',
      'offered /s',
      'registrations',
      'failed',
      'keep-alive OPTIONS answered by SIPp',
      'retransmissions',
      'achieved /s',
      'mean time ms',
      'server CPU (cores)',
      'server CPU µs / registration',
      'load avg',
      'verdict',
    ],
    rows: outcomes.flatMap((o) =>
      o.steps.map((s) => [
        o.name,
        s.offered,
        s.fleet.successful,
        s.fleet.failed,
        s.fleet.foreignCalls,
        s.fleet.retransmissions,
        round(s.fleet.successful / s.fleet.elapsedS),
        round(s.fleet.meanResponseMs, 1),
        round(s.serverCpuSeconds / s.fleet.elapsedS, 2),
        round((s.serverCpuSeconds * 1e6) / Math.max(1, s.fleet.successful)),
        s.loadAverage,
        s.sustained ? 'sustained' : s.verdict,
      ]),
    ),
  };
  const atMax = (o: RampOutcome) => o.steps.filter((s) => s.sustained && s.rate === o.maxSustained).at(-1);
  const summary: BenchTable = {
    caption: 'Highest rate sustained with 0 failures',
    columns: [
      'server',
      'REGISTER/s (max sustained)',
      'server CPU µs / registration there',
      'memory MiB (PSS, end)',
    ],
    rows: outcomes.map((o) => {
      const s = atMax(o);
      return [
        o.name,
        o.maxSustained,
        s ? round((s.serverCpuSeconds * 1e6) / Math.max(1, s.fleet.successful)) : '–',
        round(facts.memory.get(o.name) ?? NaN, 1),
      ];
    }),
  };
  const sb = outcomes.find((o) => o.name === 'Switchboard');
  const kam = outcomes.find((o) => o.name === 'Kamailio');
  const goals: BenchGoal[] =
    sb && kam
      ? [
          {
            description: 'Switchboard REGISTER/s with digest auth ≥ Kamailio’s, 0 failures',
            // A tie at the ramp's top says nothing about who is faster: not a verdict for us.
            met:
              sb.maxSustained > 0 &&
              (sb.maxSustained > kam.maxSustained ||
                (sb.maxSustained === kam.maxSustained && !kam.reachedTop)),
            detail: `Switchboard ${maxLabel(sb)}, Kamailio ${maxLabel(kam)} (highest offered rates sustained with 0 failures, same run)`,
          },
        ]
      : [];
  return {
    name: 'pbx-register',
    title: 'Registrar: REGISTER with digest auth per second',
    tables: [summary, stepsTable],
    goals,
    notes: [
      ...facts.notes,
      `${facts.userCount} users on both servers; each SIPp process has its own slice of them (-inf) and its own local port for the whole run, so every REGISTER after the first refreshes one binding.`,
      `Scenario bench/pbx/scenarios/register.xml; one SIPp process of a step: \`${facts.command.replace(/\/tmp\/[^ ]+\//g, '…/')}\`.`,
      'Switchboard sends a keep-alive OPTIONS to every UDP binding every 30 s (NAT keep-alive; since 9e339ae spread over the interval, each binding on its own phase: 10,000 bindings = ~33 OPTIONS every 100 ms); the SIPp processes answer them (-aa). SIPp counts each one as a call made (so fewer of its -m registrations run) and a few as failed calls (then exits 1): “keep-alive OPTIONS answered by SIPp” counts them (told apart by their Call-ID, which SIPp did not make); they are neither failures nor unfinished registrations — of either server, since the two share the SIPp ports and they keep coming during Kamailio’s steps. Kamailio sends no keep-alives (no nathelper in this configuration).',
      'A step is sustained when every registration succeeded (REGISTER, 401, REGISTER with credentials, 200) and the fleet kept ≥ 95 % of the offered rate; a failed step is retried once. “mean time” is SIPp’s response time 1: first REGISTER sent → 200 received.',
      'Server CPU: user + system time of the server’s processes over the step (/proc), in cores and per registration (two REGISTER requests). The SIPp fleet runs on the same cores.',
      `1-minute load average ${facts.loadBefore.toFixed(2)} before the run, ${loadavg()[0]!.toFixed(2)} after.`,
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
    users: Number(argValue('--users') ?? 10_000),
    sipp: Number(argValue('--sipp') ?? 8),
    stepS: Number(argValue('--step') ?? 10),
    ...(rates && { rates: rates.split(',').map(Number) }),
    ...(argValue('--children') && { children: Number(argValue('--children')) }),
    kamailio: !process.argv.includes('--no-kamailio'),
    switchboard: !process.argv.includes('--no-switchboard'),
    ...(argValue('--profile') && { profileDir: argValue('--profile') }),
    ...(argValue('--server-entry') && { serverEntry: argValue('--server-entry') }),
  });
  const { renderText } = await import('./lib/table.ts');
  for (const t of result.tables) console.log(`${renderText(t)}\n`);
  for (const g of result.goals ?? [])
    console.log(`Goal ${g.met ? 'met' : 'NOT met'}: ${g.description} — ${g.detail}`);
  for (const n of result.notes ?? []) console.log(`- ${n}`);
}
