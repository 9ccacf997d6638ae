// CSeq (RFC 3261 §20.16): 1*DIGIT LWS Method; the number is below 2**31 (§8.1.1.5).
import { type Parsed, fail, ok } from './parsed.ts';
import { isDigits, isToken } from './scan.ts';

export interface CSeq {
  readonly seq: number;
  readonly method: string;
}

export function parseCSeq(value: string): Parsed<CSeq> {
  const s = value.trim();
  let i = 0;
  while (i < s.length && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) i++;
  const digits = s.slice(0, i);
  if (!isDigits(digits)) return fail(`"${s}" does not start with a sequence number`);
  const method = s.slice(i).trim();
  if (i === s.length || method === '') return fail(`"${s}" has no method`);
  if (s.charCodeAt(i) !== 0x20 && s.charCodeAt(i) !== 0x09)
    return fail(`no space between number and method in "${s}"`);
  if (!isToken(method)) return fail(`invalid method "${method}"`);
  const seq = Number(digits);
  if (digits.length > 10 || seq > 2 ** 31 - 1)
    return fail(`sequence number ${digits} is not below 2**31 (RFC 3261 §8.1.1.5)`);
  return ok({ seq, method });
}

export function formatCSeq(cseq: CSeq): string {
  return `${cseq.seq} ${cseq.method}`;
}
