// Call forwarding (issue 7): unconditional, on busy, on no answer, when not registered. A call
// may be diverted several times (1001 → 1002 busy → 1003), but never back to an extension it
// already reached (1001 → 1002 → 1001 would ring forever) and never more than MAX_HOPS times.
import type { CallSettings } from './call-settings.ts';

export type ForwardReason = 'always' | 'busy' | 'no-answer' | 'unavailable';

/** Diversions one call may go through (like Asterisk's and FreeSWITCH's small defaults). */
export const MAX_FORWARD_HOPS = 5;

/** Where `settings` send a call for `reason`, if anywhere. */
export function forwardTarget(settings: CallSettings, reason: ForwardReason): string | undefined {
  const target =
    reason === 'always'
      ? settings.forwardAlways
      : reason === 'busy'
        ? settings.forwardBusy
        : reason === 'no-answer'
          ? settings.forwardNoAnswer
          : settings.forwardUnavailable;
  return target ?? undefined;
}

/** The extensions a call has reached, in order: the loop guard. */
export class DiversionChain {
  constructor(readonly reached: readonly string[]) {}

  /** The chain after a diversion to `target`, or undefined when that would loop or go too far. */
  to(target: string): DiversionChain | undefined {
    if (this.reached.includes(target)) return undefined;
    if (this.reached.length > MAX_FORWARD_HOPS) return undefined;
    return new DiversionChain([...this.reached, target]);
  }

  get hops(): number {
    return this.reached.length - 1;
  }
}
