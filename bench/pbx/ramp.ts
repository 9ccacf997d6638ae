// Finds the highest rate each server sustains with zero failures, all servers in the same run:
// the offered rate climbs step by step, each step's load runs against every contender in turn
// (interleaved, so a noisy moment on a shared machine does not land on one contender only), a
// contender that fails a step gets one retry at that rate, then drops out. A last step halfway
// between the highest rate sustained and the first one failed narrows the answer.
import { loadavg } from 'node:os';
import type { FleetResult } from './sipp-fleet.ts';

export interface StepResult {
  /** The ramp's nominal rate for this step. */
  readonly rate: number;
  /** Scenarios per second offered (the sum over the SIPp fleet, rounded per process). */
  readonly offered: number;
  /** Scenarios the fleet was told to run. */
  readonly planned: number;
  readonly fleet: FleetResult;
  /** CPU seconds the server under test spent during the step (all its processes and threads). */
  readonly serverCpuSeconds: number;
  /** 1-minute load average when the step started. */
  readonly loadAverage: number;
  readonly sustained: boolean;
  /** Why the step does not count as sustained; empty when it does. */
  readonly verdict: string;
}

export interface RampContender {
  readonly name: string;
  /** Runs one step at `rate` scenarios per second and returns its result. */
  step(rate: number): Promise<StepResult>;
}

export interface RampOutcome {
  readonly name: string;
  readonly steps: readonly StepResult[];
  /** The highest offered rate sustained with zero failures (0 when none was). */
  readonly maxSustained: number;
  /** It sustained every rate of the ramp: its real maximum is higher than maxSustained. */
  readonly reachedTop: boolean;
}

/** "8000/s", or "≥ 8000/s (the ramp's top)" when the server never failed. */
export function maxLabel(outcome: RampOutcome): string {
  return outcome.reachedTop ? `≥ ${outcome.maxSustained}/s (the ramp's top)` : `${outcome.maxSustained}/s`;
}

/**
 * A step is sustained when every scenario succeeded (no failure, no SIPp error exit, none left
 * unfinished) and the fleet got through them at ≥ 95 % of the offered rate: a server that
 * falls behind makes SIPp hit its limit of scenarios in progress, and the step takes longer.
 */
export function judge(fleet: FleetResult, planned: number, offered: number, tailS: number): string {
  if (fleet.failed > 0) return `${fleet.failed} failed`;
  if (fleet.exitCodes.some((c) => c !== 0)) return `SIPp exit ${fleet.exitCodes.join(',')}`;
  // SIPp's -m also counts the server's requests it answered by itself as calls made.
  if (fleet.successful + fleet.foreignCalls < planned)
    return `${planned - fleet.successful - fleet.foreignCalls} unfinished`;
  const achieved = planned / Math.max(0.001, fleet.elapsedS - tailS);
  if (achieved < 0.95 * offered) return `fell behind (${Math.round(achieved)}/s)`;
  return '';
}

export function stepLoad(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}

export interface RampOptions {
  readonly rates: readonly number[];
  /** Try once more halfway between the last sustained rate and the first failed one. */
  readonly refine: boolean;
  readonly log: (line: string) => void;
}

export async function interleavedRamp(
  contenders: readonly RampContender[],
  options: RampOptions,
): Promise<RampOutcome[]> {
  const steps = new Map<string, StepResult[]>(contenders.map((c) => [c.name, []]));
  const best = new Map<string, number>(contenders.map((c) => [c.name, 0]));
  const failedAt = new Map<string, number>();

  const attempt = async (c: RampContender, rate: number): Promise<boolean> => {
    for (let round = 0; round < 2; round++) {
      const result = await c.step(rate);
      steps.get(c.name)!.push(result);
      options.log(
        `  ${c.name.padEnd(12)} ${String(result.offered).padStart(6)}/s  ok ${result.fleet.successful}/${result.planned}` +
          `  failed ${result.fleet.failed}  retrans ${result.fleet.retransmissions}` +
          `  ${result.fleet.elapsedS.toFixed(1)} s  cpu ${(result.serverCpuSeconds / result.fleet.elapsedS).toFixed(2)} cores` +
          `  load ${result.loadAverage}  ${result.sustained ? 'sustained' : `NOT sustained: ${result.verdict}`}`,
      );
      if (result.sustained) return true;
    }
    return false;
  };

  for (const rate of options.rates) {
    const active = contenders.filter((c) => !failedAt.has(c.name));
    if (active.length === 0) break;
    for (const c of active) {
      if (await attempt(c, rate)) best.set(c.name, Math.max(best.get(c.name)!, rate));
      else failedAt.set(c.name, rate);
    }
  }
  if (options.refine) {
    for (const c of contenders) {
      const fail = failedAt.get(c.name);
      const ok = best.get(c.name)!;
      if (fail === undefined) continue;
      const mid = Math.round((ok + fail) / 2 / 50) * 50;
      if (mid > ok && mid < fail && (await attempt(c, mid))) best.set(c.name, mid);
    }
  }
  return contenders.map((c) => ({
    name: c.name,
    steps: steps.get(c.name)!,
    maxSustained: best.get(c.name)!,
    reachedTop: !failedAt.has(c.name) && best.get(c.name)! > 0,
  }));
}
