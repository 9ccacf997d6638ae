// Concurrent anchored G.711 calls through the media relay (issue 3's media benchmark).
//
// N calls, each a relay with two legs (RTP + RTCP sockets per leg), carry 20 ms PCMU packets
// both ways — 50 packets/s per direction, so N × 100 packets/s into the relay and as many out —
// for `durationS` after a warm-up. The phones are played by a separate load-generator process
// (media-relay/rtp-load.c, or the Node fallback) so the relay pays only for relaying. Reported
// per configuration: packet loss, the jitter the receiving phones measure (RFC 3550 A.8 on
// one-way transit), transit percentiles, the relay's CPU and memory per call. Rows:
// - loopback floor: phones talk directly through the same generator (what the kernel and the
//   generator add without any relay);
// - Switchboard on the main thread, and spread over worker threads;
// - rtpengine (Debian's, user-space forwarding), when installed.
//
//   npm run bench -- media-relay                       (1,000 calls, every configuration)
//   npx tsx bench/media-relay.ts --calls 500 --duration 10 --workers 0,2 [--no-floor]
//        [--no-rtpengine] [--node-generator]
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createMediaEngine, type MediaEngine, type Relay } from '@switchboard/media-node';
import type { BenchGoal, BenchResult, BenchTable } from './lib/bench-result.ts';
import { startGenerator, type LoadResult } from './media-relay/generator.ts';
import { rtpengineAvailable, startRtpengine, type RtpenginePeer } from './media-relay/rtpengine-peer.ts';

export interface MediaRelayBenchOptions {
  readonly calls?: number;
  readonly durationS?: number;
  readonly warmupS?: number;
  /** Switchboard configurations to run: worker-thread counts (0 = the main thread). */
  readonly workers?: readonly number[];
  readonly floor?: boolean;
  readonly rtpengine?: boolean;
  /** Load generator: the C one (default, compiled with `cc`) or the Node one. */
  readonly generator?: 'c' | 'node';
}

type Scenario =
  | { readonly kind: 'floor'; readonly label: string }
  | { readonly kind: 'switchboard'; readonly label: string; readonly workers: number }
  | { readonly kind: 'rtpengine'; readonly label: string };

/** The relay under test, as the scenario runner sees it. */
interface UnderTest {
  /** Starts the relay (engine, workers, daemon) before the memory baseline is taken. */
  start(): Promise<void>;
  /** Sets up the calls; returns where each phone must send. */
  setup(phonePorts: readonly number[]): Promise<number[]>;
  /** CPU seconds used by the relay so far (all its threads). */
  cpuSeconds(): number;
  /** Memory of the relay, bytes. */
  memory(): { rss: number; heap: number | undefined };
  teardown(): Promise<void>;
}

interface Outcome {
  readonly scenario: Scenario;
  readonly load: LoadResult;
  readonly relayCpuCores: number | undefined;
  /** Relay CPU time per packet it delivered (robust to a busy machine, unlike wall-clock). */
  readonly relayCpuUsPerPacket: number | undefined;
  readonly rssPerCallKiB: number | undefined;
  readonly heapPerCallKiB: number | undefined;
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const processCpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const PCMU = { name: 'PCMU', payloadType: 0 };

function switchboard(workers: number, calls: number): UnderTest {
  let engine: MediaEngine | undefined;
  const relays: Relay[] = [];
  return {
    async start() {
      engine = await createMediaEngine({ workers, portRange: { min: 20000, max: 29999 } });
    },
    async setup(ports) {
      if (!engine) throw new Error('engine not started');
      const targets = new Array<number>(ports.length);
      for (let k = 0; k < calls; k++) {
        const relay = await engine.createRelay({
          inactivityTimeoutMs: 60_000,
          a: { remote: { address: '127.0.0.1', rtpPort: ports[2 * k]! }, codec: PCMU },
          b: { remote: { address: '127.0.0.1', rtpPort: ports[2 * k + 1]! }, codec: PCMU },
        });
        relays.push(relay);
        targets[2 * k] = relay.a.rtpPort;
        targets[2 * k + 1] = relay.b.rtpPort;
      }
      return targets;
    },
    cpuSeconds: processCpu,
    memory: () => {
      const m = process.memoryUsage();
      // Worker heaps are not in this thread's heapUsed: report heap only without workers.
      return { rss: m.rss, heap: workers === 0 ? m.heapUsed : undefined };
    },
    async teardown() {
      await Promise.all(relays.map((r) => r.close()));
      await engine?.close();
    },
  };
}

function rtpengine(calls: number, notes: string[]): UnderTest {
  let peer: RtpenginePeer | undefined;
  return {
    async start() {
      peer = await startRtpengine({ min: 30000, max: 39999 });
      notes.push(
        `rtpengine ${peer.version} (Debian), user-space forwarding (--table=-1), default threads, driven over NG.`,
      );
    },
    async setup(ports) {
      if (!peer) throw new Error('rtpengine not started');
      const targets = new Array<number>(ports.length);
      for (let k = 0; k < calls; k++) {
        const t = await peer.call(`bench-${k}`, ports[2 * k]!, ports[2 * k + 1]!);
        targets[2 * k] = t.a;
        targets[2 * k + 1] = t.b;
      }
      return targets;
    },
    cpuSeconds: () => peer?.cpuSeconds() ?? 0,
    memory: () => ({ rss: (peer?.rssKiB() ?? 0) * 1024, heap: undefined }),
    teardown: async () => peer?.stop(),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function runScenario(
  scenario: Scenario,
  underTest: UnderTest | undefined,
  calls: number,
  warmupS: number,
  durationS: number,
  generatorKind: 'c' | 'node',
): Promise<Outcome> {
  const generator = await startGenerator(calls * 2, generatorKind);
  const ports = generator.phonePorts;
  await underTest?.start();
  gc();
  const before = underTest?.memory();
  let load: LoadResult;
  let cpu = 0;
  let wall = 1;
  let during: ReturnType<UnderTest['memory']> | undefined;
  try {
    // Without a relay, phone 2k (call k's A side) and phone 2k+1 (its B side) talk directly.
    const targets = underTest ? await underTest.setup(ports) : ports.map((_, i) => ports[i ^ 1]!);
    const loadDone = generator.run(targets, warmupS * 1000, durationS * 1000);
    // The relay is measured over the generator's measured window only.
    await sleep(50 + warmupS * 1000);
    const cpuStart = underTest?.cpuSeconds() ?? 0;
    const wallStart = performance.now();
    await sleep((durationS * 1000) / 2);
    during = underTest?.memory();
    await sleep((durationS * 1000) / 2);
    cpu = (underTest?.cpuSeconds() ?? 0) - cpuStart;
    wall = (performance.now() - wallStart) / 1000;
    load = await loadDone;
  } finally {
    generator.stop();
    await underTest?.teardown();
  }
  const perCall = (a: number | undefined, b: number | undefined): number | undefined =>
    a === undefined || b === undefined ? undefined : (a - b) / 1024 / calls;
  return {
    scenario,
    load,
    relayCpuCores: underTest ? cpu / wall : undefined,
    relayCpuUsPerPacket: underTest && load.received > 0 ? (cpu / load.received) * 1e6 : undefined,
    rssPerCallKiB: perCall(during?.rss, before?.rss),
    heapPerCallKiB: perCall(during?.heap, before?.heap),
  };
}

const lossPercent = (o: Outcome): number =>
  o.load.sent === 0 ? 100 : (100 * (o.load.sent - o.load.received)) / o.load.sent;
const round = (n: number | undefined, digits = 2): number | string =>
  n === undefined ? '–' : Number(n.toFixed(digits));

function cpuModel(): string {
  try {
    return (
      /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown CPU'
    );
  } catch {
    return 'unknown CPU';
  }
}

export async function run(options: MediaRelayBenchOptions = {}): Promise<BenchResult> {
  const calls = options.calls ?? 1000;
  const durationS = options.durationS ?? 20;
  const warmupS = options.warmupS ?? 3;
  const generatorKind = options.generator ?? 'c';
  const notes: string[] = [];
  const scenarios: Scenario[] = [
    ...(options.floor === false ? [] : [{ kind: 'floor' as const, label: 'loopback floor (no relay)' }]),
    ...(options.workers ?? [0, 1, 2]).map((w) => ({
      kind: 'switchboard' as const,
      label: w === 0 ? 'Switchboard, main thread' : `Switchboard, ${w} worker thread${w > 1 ? 's' : ''}`,
      workers: w,
    })),
    ...(options.rtpengine !== false && rtpengineAvailable()
      ? [{ kind: 'rtpengine' as const, label: 'rtpengine (user space)' }]
      : []),
  ];
  if (options.rtpengine !== false && !rtpengineAvailable())
    notes.push('rtpengine not installed (apt-get install rtpengine-daemon): peer row skipped.');
  const loadBefore = loadavg()[0]!;
  const outcomes: Outcome[] = [];
  let generatorName = '';
  for (const scenario of scenarios) {
    process.stderr.write(`  media-relay: ${scenario.label}, ${calls} calls …\n`);
    const underTest =
      scenario.kind === 'switchboard'
        ? switchboard(scenario.workers, calls)
        : scenario.kind === 'rtpengine'
          ? rtpengine(calls, notes)
          : undefined;
    outcomes.push(await runScenario(scenario, underTest, calls, warmupS, durationS, generatorKind));
    generatorName = generatorKind === 'c' ? 'C (sendmmsg/recvmmsg, kernel receive timestamps)' : 'Node';
  }
  const table: BenchTable = {
    caption: `${calls.toLocaleString('en')} concurrent calls, 20 ms PCMU both ways (${(calls * 100).toLocaleString('en')} packets/s into the relay, as many out), ${durationS} s measured after ${warmupS} s warm-up`,
    columns: [
      'configuration',
      'packets sent',
      'loss %',
      'jitter mean ms',
      'jitter p99 ms',
      'transit p50 ms',
      'transit p99 ms',
      'transit max ms',
      'relay CPU (cores)',
      'relay CPU µs / packet',
      'RSS / call KiB',
      'heap / call KiB',
      'generator CPU s',
    ],
    rows: outcomes.map((o) => [
      o.scenario.label,
      o.load.sent,
      round(lossPercent(o), 3),
      round(o.load.jitterMeanMs, 3),
      round(o.load.jitterP99Ms, 3),
      round(o.load.transitP50Ms, 3),
      round(o.load.transitP99Ms, 3),
      round(o.load.transitMaxMs, 1),
      round(o.relayCpuCores, 2),
      round(o.relayCpuUsPerPacket, 1),
      round(o.rssPerCallKiB, 1),
      round(o.heapPerCallKiB, 1),
      round(o.load.cpuSeconds, 1),
    ]),
  };
  const floor = outcomes.find((o) => o.scenario.kind === 'floor');
  const ours = outcomes.filter((o) => o.scenario.kind === 'switchboard');
  // The best Switchboard configuration: least loss, then least jitter.
  const better = (x: Outcome, y: Outcome): boolean =>
    lossPercent(x) < lossPercent(y) ||
    (lossPercent(x) === lossPercent(y) && x.load.jitterMeanMs < y.load.jitterMeanMs);
  const best = ours.reduce<Outcome | undefined>((b, o) => (!b || better(o, b) ? o : b), undefined);
  const goals: BenchGoal[] = best
    ? [
        {
          description: '≥ 1,000 concurrent anchored calls with < 0.1 % packet loss',
          met: calls >= 1000 && lossPercent(best) < 0.1,
          detail: `${calls.toLocaleString('en')} calls, ${best.scenario.label}: ${round(lossPercent(best), 3)} % loss`,
        },
        {
          description: '< 5 ms added jitter',
          met: best.load.jitterMeanMs - (floor?.load.jitterMeanMs ?? 0) < 5,
          detail: `${best.scenario.label}: mean ${round(best.load.jitterMeanMs, 3)} ms${floor ? ` vs ${round(floor.load.jitterMeanMs, 3)} ms without relay` : ''}, p99 over streams ${round(best.load.jitterP99Ms, 3)} ms`,
        },
      ]
    : [];
  notes.push(
    `Machine: ${cpuModel()}; 1-minute load average ${loadBefore.toFixed(2)} before the run and ${loadavg()[0]!.toFixed(2)} after (other work on the machine skews these numbers).`,
    `Load generator: ${generatorName}, a separate process; one send every 20 ms per phone, phones spread over 1 ms slots.`,
    'Each relay leg has its own RTP and RTCP sockets (4 sockets per call) on 127.0.0.1.',
    'Jitter: RFC 3550 A.8 per receiving phone over one-way transit (receive time − the packet’s real send time), so the generator’s own send scheduling is excluded; “mean” is over streams, “p99” the 99th-percentile stream.',
    'Relay CPU: user+system time of the relay process (all threads) over the measured window, in cores, and per packet delivered to a phone (each delivered packet was also received: the cost of one packet in and one out). Memory: RSS (and, on the main thread, JS heap) growth per call, sampled mid-run.',
    'The generator and the relay share the machine’s two cores.',
  );
  return {
    name: 'media-relay',
    title: 'Media relay: concurrent anchored G.711 calls',
    tables: [table],
    goals,
    notes,
  };
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const workers = argValue('--workers');
  const result = await run({
    calls: Number(argValue('--calls') ?? 1000),
    durationS: Number(argValue('--duration') ?? 20),
    warmupS: Number(argValue('--warmup') ?? 3),
    workers: workers ? workers.split(',').map(Number) : undefined,
    floor: !process.argv.includes('--no-floor'),
    rtpengine: !process.argv.includes('--no-rtpengine'),
    generator: process.argv.includes('--node-generator') ? 'node' : 'c',
  });
  const { renderText } = await import('./lib/table.ts');
  for (const t of result.tables) console.log(`${renderText(t)}\n`);
  for (const g of result.goals ?? [])
    console.log(`Goal ${g.met ? 'met' : 'NOT met'}: ${g.description} — ${g.detail}`);
  for (const n of result.notes ?? []) console.log(`- ${n}`);
}
