// RFC 3262 (100rel / PRACK) helpers shared by both sides.
import { optionTags } from '../dialog/session-timer.ts';
import type { SipMessage } from '../message/sip-message.ts';
import type { SipResponse } from '../message/sip-response.ts';

/** RAck = response-num LWS CSeq-num LWS Method (RFC 3262 §7.2). */
export interface RAck {
  readonly rseq: number;
  readonly cseq: number;
  readonly method: string;
}

export function parseRAck(message: SipMessage): RAck | undefined {
  const raw = message.headers.get('RAck');
  if (raw === undefined) return undefined;
  const m = /^\s*(\d{1,10})\s+(\d{1,10})\s+([A-Za-z]+)\s*$/.exec(raw);
  if (!m) return undefined;
  return { rseq: Number(m[1]), cseq: Number(m[2]), method: m[3]! };
}

/** RSeq of a reliable provisional response (RFC 3262 §7.1), or undefined. */
export function parseRSeq(response: SipResponse): number | undefined {
  const raw = response.headers.get('RSeq')?.trim();
  if (raw === undefined || !/^\d{1,10}$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 1 && n <= 2 ** 32 - 1 ? n : undefined;
}

/** A 101–199 response sent reliably: it carries Require: 100rel and an RSeq (RFC 3262 §4). */
export function isReliableProvisional(response: SipResponse): boolean {
  return (
    response.status > 100 &&
    response.status < 200 &&
    optionTags(response, 'Require').has('100rel') &&
    parseRSeq(response) !== undefined
  );
}

/** Whether the UAC of `request` accepts reliable provisional responses (Supported or Require 100rel). */
export function acceptsReliableProvisional(request: SipMessage): boolean {
  return optionTags(request, 'Supported').has('100rel') || optionTags(request, 'Require').has('100rel');
}
