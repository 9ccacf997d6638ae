// Throughput measurement for micro-benchmarks: warm-up, calibrated rounds, interleaved
// contenders, spread over rounds, in wall-clock time and in CPU time.
//
// Interleaving (round 1 of A, B, C, then round 2 of A, B, C, …) spreads noise from the machine
// (CPU frequency, neighbours on a shared VM) evenly over every contender instead of letting it
// land on whichever ran last. Before each round the heap is collected (when the runner gave
// node --expose-gc), so a round does not pay for garbage the previous contender left; GC caused
// by a contender's own allocations lands in its own rounds, as it would in production.
//
// CPU time (process.cpuUsage: this process's user + system time, all its threads, so V8's
// concurrent GC and compiler threads count too) does not grow while the process waits for a
// CPU, so on a shared, busy machine it measures the code's own cost where wall-clock time also
// measures the neighbours. Both are reported.

export interface Contender {
  readonly name: string;
  /** One operation. Its result goes to a sink so the JIT cannot drop the work. */
  readonly op: () => unknown;
}

export interface MeasureOptions {
  /** Time each contender runs before anything is recorded (JIT tiers up, ICs settle). */
  readonly warmupMs: number;
  /** Recorded rounds per contender. */
  readonly rounds: number;
  /** Target wall-clock duration of one round. */
  readonly roundMs: number;
}

/** Operations per second over the recorded rounds. */
export interface RoundStats {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Relative standard deviation over rounds, in percent. */
  readonly rsdPercent: number;
}

export interface Throughput {
  readonly name: string;
  /** Operations per wall-clock second. */
  readonly wall: RoundStats;
  /** Operations per CPU second of this process. */
  readonly cpu: RoundStats;
  readonly rounds: number;
  readonly opsPerRound: number;
}

export const defaultMeasureOptions: MeasureOptions = { warmupMs: 1000, rounds: 20, roundMs: 100 };

let sink: unknown;

/** Keeps the sink observable; returns something derived from it so it is never dead. */
export function drainSink(): string {
  return typeof sink;
}

const collectGarbage = (globalThis as { gc?: () => void }).gc;

interface BatchTime {
  readonly wallNs: number;
  readonly cpuNs: number;
}

/** Runs `op` n times; returns the elapsed wall-clock and CPU time. */
function runBatch(op: () => unknown, n: number): BatchTime {
  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink = op();
  const wallNs = Number(process.hrtime.bigint() - wall0);
  const cpu = process.cpuUsage(cpu0);
  return { wallNs, cpuNs: (cpu.user + cpu.system) * 1000 };
}

/** Warms `op` up for warmupMs and returns how many operations fill one round. */
function warmUpAndCalibrate(op: () => unknown, options: MeasureOptions): number {
  const deadline = Date.now() + options.warmupMs;
  let n = 1;
  let elapsed = runBatch(op, n).wallNs;
  // Grow the batch until it is long enough to time precisely (≥ 10 ms).
  while (elapsed < 10e6) {
    n *= 2;
    elapsed = runBatch(op, n).wallNs;
  }
  // Calibrate on the fastest batch seen: a batch slowed by neighbours would inflate rounds.
  let best = elapsed;
  while (Date.now() < deadline) best = Math.min(best, runBatch(op, n).wallNs);
  return Math.max(1, Math.round((n * options.roundMs * 1e6) / best));
}

function stats(samples: readonly number[]): RoundStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
  const variance = samples.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, samples.length - 1);
  return {
    median,
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    rsdPercent: (Math.sqrt(variance) / mean) * 100,
  };
}

/** Measures every contender's throughput, rounds interleaved. */
export function measureInterleaved(
  contenders: readonly Contender[],
  options: MeasureOptions = defaultMeasureOptions,
): Throughput[] {
  const opsPerRound = contenders.map((c) => warmUpAndCalibrate(c.op, options));
  const wall = contenders.map((): number[] => []);
  const cpu = contenders.map((): number[] => []);
  for (let round = 0; round < options.rounds; round++) {
    contenders.forEach((c, i) => {
      const n = opsPerRound[i]!;
      collectGarbage?.();
      const t = runBatch(c.op, n);
      wall[i]!.push((n * 1e9) / t.wallNs);
      // cpuUsage has microsecond resolution; a round is ~10^5 µs, so the floor of 1 µs never binds.
      cpu[i]!.push((n * 1e9) / Math.max(1000, t.cpuNs));
    });
  }
  return contenders.map((c, i) => ({
    name: c.name,
    wall: stats(wall[i]!),
    cpu: stats(cpu[i]!),
    rounds: options.rounds,
    opsPerRound: opsPerRound[i]!,
  }));
}
