// How a call that was never answered ended, from the callee legs' final responses (RFC 3261
// §16.7 step 6, simplified for a B2BUA that forks to one user's devices).
import type { Disposition } from './call-record.ts';

/** The status to give the caller when every fork failed. */
export function bestFailureStatus(statuses: readonly number[]): number {
  if (statuses.length === 0) return 480;
  // A global failure (6xx) or "busy" from any device settles it: the user is busy.
  const decisive = statuses.find((s) => s >= 600) ?? statuses.find((s) => s === 486);
  if (decisive !== undefined) return decisive;
  // Otherwise the lowest class wins; within it, the first seen (401/407 are ours to hide).
  const usable = statuses.filter((s) => s !== 401 && s !== 407);
  const pool = usable.length > 0 ? usable : [480];
  const lowestClass = Math.min(...pool.map((s) => Math.floor(s / 100)));
  return pool.find((s) => Math.floor(s / 100) === lowestClass) ?? 480;
}

export function dispositionOf(status: number): Disposition {
  if (status === 486 || status === 600 || status === 603) return 'busy';
  if (status === 408 || status === 480) return 'no_answer';
  if (status === 487) return 'cancelled';
  return 'failed';
}
