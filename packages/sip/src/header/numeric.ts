// Numeric header values: Content-Length (§20.14), Max-Forwards (§20.22), Expires (§20.19),
// Min-Expires, RSeq: 1*DIGIT with optional surrounding whitespace.
import { type Parsed, fail, ok } from './parsed.ts';
import { isDigits } from './scan.ts';

/** Parses a non-negative integer no larger than `max`. */
export function parseUnsigned(value: string, max: number): Parsed<number> {
  const s = value.trim();
  if (!isDigits(s)) return fail(`"${s}" is not a non-negative integer`);
  // Strip leading zeros before the length check so "0000000001" stays valid.
  let k = 0;
  while (k < s.length - 1 && s.charCodeAt(k) === 0x30) k++;
  const n = Number(s);
  if (s.length - k > String(max).length || n > max) return fail(`${s} exceeds ${max}`);
  return ok(n);
}

/**
 * delta-seconds (RFC 3261 §20.19): values above 2**32-1 are taken as 2**32-1 rather than
 * rejected (RFC 3261 §20.19 / §10.2.1.1; RFC 4475 §3.1.2.4 lets an element treat them so).
 */
export function parseDeltaSeconds(value: string): Parsed<number> {
  const s = value.trim();
  if (!isDigits(s)) return fail(`"${s}" is not a number of seconds`);
  return ok(Math.min(Number(s), 2 ** 32 - 1));
}
