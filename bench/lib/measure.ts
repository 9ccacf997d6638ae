// Throughput measurement for micro-benchmarks: warm-up, calibrated rounds, interleaved
// contenders, and spread over rounds.
//
// Interleaving (round 1 of A, B, C, then round 2 of A, B, C, …) spreads noise from the machine
// (CPU frequency, neighbours on a shared VM, GC of earlier rounds) evenly over every contender
// instead of letting it land on whichever ran last. Before each round the heap is collected
// (when the runner gave node --expose-gc), so a round does not pay for garbage the previous
// contender left; GC caused by a contender's own allocations lands in its own rounds, as it
// would in production.

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
  /** Target duration of one round. */
  readonly roundMs: number;
}

export interface Throughput {
  readonly name: string;
  /** Median over rounds, operations per second. */
  readonly opsPerSec: number;
  /** Nanoseconds per operation at the median. */
  readonly nsPerOp: number;
  readonly minOpsPerSec: number;
  /**
   * The best round. Other load on the machine only ever slows a round down, so on a shared
   * machine the best round is the closest estimate of the code's own speed.
   */
  readonly maxOpsPerSec: number;
  /** Relative standard deviation of ops/s over rounds, in percent. */
  readonly rsdPercent: number;
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

function now(): bigint {
  return process.hrtime.bigint();
}

/** Runs `op` n times; returns elapsed nanoseconds. */
function runBatch(op: () => unknown, n: number): number {
  const start = now();
  for (let i = 0; i < n; i++) sink = op();
  return Number(now() - start);
}

/** Warms `op` up for warmupMs and returns how many operations fill one round. */
function warmUpAndCalibrate(op: () => unknown, options: MeasureOptions): number {
  const deadline = Date.now() + options.warmupMs;
  let n = 1;
  let elapsed = runBatch(op, n);
  // Grow the batch until it is long enough to time precisely (≥ 10 ms).
  while (elapsed < 10e6) {
    n *= 2;
    elapsed = runBatch(op, n);
  }
  while (Date.now() < deadline) elapsed = runBatch(op, n);
  return Math.max(1, Math.round((n * options.roundMs * 1e6) / elapsed));
}

function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function summarize(name: string, samples: readonly number[], opsPerRound: number): Throughput {
  const sorted = [...samples].sort((a, b) => a - b);
  const med = median(sorted);
  const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
  const variance = samples.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, samples.length - 1);
  return {
    name,
    opsPerSec: med,
    nsPerOp: 1e9 / med,
    minOpsPerSec: sorted[0]!,
    maxOpsPerSec: sorted[sorted.length - 1]!,
    rsdPercent: (Math.sqrt(variance) / mean) * 100,
    rounds: samples.length,
    opsPerRound,
  };
}

/** Measures every contender's throughput, rounds interleaved. */
export function measureInterleaved(
  contenders: readonly Contender[],
  options: MeasureOptions = defaultMeasureOptions,
): Throughput[] {
  const opsPerRound = contenders.map((c) => warmUpAndCalibrate(c.op, options));
  const samples = contenders.map((): number[] => []);
  for (let round = 0; round < options.rounds; round++) {
    contenders.forEach((c, i) => {
      const n = opsPerRound[i]!;
      collectGarbage?.();
      samples[i]!.push((n * 1e9) / runBatch(c.op, n));
    });
  }
  return contenders.map((c, i) => summarize(c.name, samples[i]!, opsPerRound[i]!));
}
