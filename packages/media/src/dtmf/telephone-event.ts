import { malformed, ok, type ParseResult } from '../result.ts';

/**
 * RFC 4733 §2.3 telephone-event payload.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     event     |E|R| volume    |          duration             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * E: end of event. R: reserved (sent 0, ignored). volume: 0 to -63 dBm0, as a positive number.
 * duration: in timestamp units since the event's RTP timestamp.
 */
export interface TelephoneEvent {
  readonly event: number;
  readonly end: boolean;
  readonly volume: number;
  readonly duration: number;
}

export const TELEPHONE_EVENT_LENGTH = 4;

/** RFC 4733 §3.2: DTMF events 0–9, * = 10, # = 11, A–D = 12–15, flash = 16. */
export type DtmfDigit =
  '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#' | 'A' | 'B' | 'C' | 'D';
const DIGITS = '0123456789*#ABCD';

export function digitToEvent(digit: string): number | undefined {
  const i = DIGITS.indexOf(digit.toUpperCase());
  return i < 0 ? undefined : i;
}

export function eventToDigit(event: number): DtmfDigit | undefined {
  return event < DIGITS.length ? (DIGITS[event] as DtmfDigit) : undefined;
}

export function isDtmfDigit(s: string): s is DtmfDigit {
  return s.length === 1 && DIGITS.includes(s);
}

export function parseTelephoneEvent(payload: Uint8Array): ParseResult<TelephoneEvent> {
  // RFC 4733 §2.5.2.1 allows several events in one payload (redundancy); the first is current.
  if (payload.length < TELEPHONE_EVENT_LENGTH)
    return malformed('telephone-event payload shorter than 4 octets');
  return ok({
    event: payload[0]!,
    end: (payload[1]! & 0x80) !== 0,
    volume: payload[1]! & 0x3f,
    duration: (payload[2]! << 8) | payload[3]!,
  });
}

export function serializeTelephoneEvent(e: TelephoneEvent): Uint8Array {
  const duration = Math.min(0xffff, Math.max(0, Math.round(e.duration)));
  return new Uint8Array([
    e.event & 0xff,
    (e.end ? 0x80 : 0) | (e.volume & 0x3f),
    duration >> 8,
    duration & 0xff,
  ]);
}
