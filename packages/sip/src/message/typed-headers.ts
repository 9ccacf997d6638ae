// The headers with typed accessors on SipMessage: how each is parsed from its raw field
// values, and the name used in error reasons. Parsers never throw; they return Parsed.
import { type Contact, parseContacts } from '../header/contact.ts';
import { type CSeq, parseCSeq } from '../header/cseq.ts';
import { type MediaType, parseMediaType } from '../header/media-type.ts';
import { type NameAddr, parseNameAddr } from '../header/name-addr.ts';
import { parseDeltaSeconds, parseUnsigned } from '../header/numeric.ts';
import { type Parsed, fail, ok } from '../header/parsed.ts';
import { splitList } from '../header/scan.ts';
import { type Via, parseVias } from '../header/via.ts';

/** Parsers for the headers with typed accessors, keyed by lower-case full name. */
export const HEADER_PARSERS = {
  'call-id': (values: string[]): Parsed<string> => parseCallId(values),
  cseq: (values: string[]): Parsed<CSeq> => single(values, 'CSeq', parseCSeq),
  from: (values: string[]): Parsed<NameAddr> => single(values, 'From', parseNameAddr),
  to: (values: string[]): Parsed<NameAddr> => single(values, 'To', parseNameAddr),
  via: (values: string[]): Parsed<Via[]> => concat(values, parseVias),
  contact: (values: string[]): Parsed<Contact[]> => concat(values, parseContacts),
  route: (values: string[]): Parsed<NameAddr[]> => concat(values, parseNameAddrList),
  'record-route': (values: string[]): Parsed<NameAddr[]> => concat(values, parseNameAddrList),
  'max-forwards': (values: string[]): Parsed<number | undefined> =>
    optional(values, 'Max-Forwards', (v) => parseUnsigned(v, 255)),
  expires: (values: string[]): Parsed<number | undefined> => optional(values, 'Expires', parseDeltaSeconds),
  'content-length': (values: string[]): Parsed<number | undefined> =>
    optional(values, 'Content-Length', (v) => parseUnsigned(v, 2 ** 31 - 1)),
  'content-type': (values: string[]): Parsed<MediaType | undefined> =>
    optional(values, 'Content-Type', parseMediaType),
} as const;

function parseCallId(values: string[]): Parsed<string> {
  if (values.length === 0) return fail('missing');
  if (values.length > 1) return fail('more than one Call-ID header');
  const v = (values[0] as string).trim();
  if (v === '' || /\s/.test(v)) return fail(`invalid Call-ID "${v}"`);
  return ok(v);
}

function single<T>(values: string[], name: string, parse: (v: string) => Parsed<T>): Parsed<T> {
  if (values.length === 0) return fail('missing');
  if (values.length > 1) return fail(`more than one ${name} header`);
  return parse(values[0] as string);
}

function optional<T>(values: string[], name: string, parse: (v: string) => Parsed<T>): Parsed<T | undefined> {
  if (values.length === 0) return ok(undefined);
  const first = parse(values[0] as string);
  if (!first.ok) return first;
  for (let i = 1; i < values.length; i++) {
    const other = parse(values[i] as string);
    if (!other.ok || String(other.value) !== String(first.value)) return fail(`conflicting ${name} headers`);
  }
  return first;
}

function concat<T>(values: string[], parse: (v: string) => Parsed<T[]>): Parsed<T[]> {
  if (values.length === 1) return parse(values[0] as string);
  const out: T[] = [];
  for (const v of values) {
    const r = parse(v);
    if (!r.ok) return r;
    out.push(...r.value);
  }
  return ok(out);
}

export function parseNameAddrList(value: string): Parsed<NameAddr[]> {
  const out: NameAddr[] = [];
  for (const item of splitList(value)) {
    const r = parseNameAddr(item);
    if (!r.ok) return r;
    out.push(r.value);
  }
  return ok(out);
}

export type HeaderKey = keyof typeof HEADER_PARSERS;
export type HeaderValue<K extends HeaderKey> =
  ReturnType<(typeof HEADER_PARSERS)[K]> extends Parsed<infer T> ? T : never;

export const DISPLAY_NAME: Record<HeaderKey, string> = {
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  from: 'From',
  to: 'To',
  via: 'Via',
  contact: 'Contact',
  route: 'Route',
  'record-route': 'Record-Route',
  'max-forwards': 'Max-Forwards',
  expires: 'Expires',
  'content-length': 'Content-Length',
  'content-type': 'Content-Type',
};
