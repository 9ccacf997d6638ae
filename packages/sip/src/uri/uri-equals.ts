// URI comparison (RFC 3261 §19.1.4 for SIP/SIPS; RFC 3966 §4 for tel; RFC 5118 §4 for IPv6).
import { AbsoluteUri } from './absolute-uri.ts';
import { unescapeUri } from './escape.ts';
import { isIPv6, tolerateTripleColon } from './host.ts';
import type { Uri } from './parse-uri.ts';
import { SipUri } from './sip-uri.ts';
import { TelUri } from './tel-uri.ts';

/** §19.1.4: these parameters, when present in either URI, must be present and equal in both. */
const STRICT_PARAMS = ['user', 'ttl', 'method', 'maddr', 'transport'];

function unesc(s: string): string {
  return unescapeUri(s) ?? s;
}

/** Expands an IPv6 address to eight 4-digit groups so `::1` equals `0:0:0:0:0:0:0:1`. */
function expandIPv6(addr: string): string {
  let text = tolerateTripleColon(addr).toLowerCase();
  let tail: string[] = [];
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.indexOf('.') !== -1) {
    const o = last.split('.').map(Number);
    tail = [(((o[0] ?? 0) << 8) | (o[1] ?? 0)).toString(16), (((o[2] ?? 0) << 8) | (o[3] ?? 0)).toString(16)];
    text = text.slice(0, lastColon + 1) + '0:0';
    tail.length = 2;
  }
  const [head = '', rest] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const fill = rest === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  const groups = [...left, ...fill, ...right].map((g) => g.padStart(4, '0'));
  if (tail.length === 2) {
    groups[6] = (tail[0] as string).padStart(4, '0');
    groups[7] = (tail[1] as string).padStart(4, '0');
  }
  return groups.join(':');
}

function hostEquals(a: string, b: string): boolean {
  if (a.toLowerCase() === b.toLowerCase()) return true;
  const ia = a.startsWith('[') ? a.slice(1, -1) : a;
  const ib = b.startsWith('[') ? b.slice(1, -1) : b;
  if (!a.startsWith('[') || !b.startsWith('[') || !isIPv6(ia) || !isIPv6(ib)) return false;
  return expandIPv6(ia) === expandIPv6(ib);
}

function paramValueEquals(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return unesc(a).toLowerCase() === unesc(b).toLowerCase();
}

function sipEquals(a: SipUri, b: SipUri): boolean {
  if (a.scheme !== b.scheme) return false;
  if (a.user !== b.user || a.password !== b.password) return false;
  if (!hostEquals(a.host, b.host)) return false;
  if (a.port !== b.port) return false;
  for (const name of STRICT_PARAMS) {
    const inA = a.params.has(name);
    const inB = b.params.has(name);
    if (inA !== inB) return false;
    if (inA && !paramValueEquals(a.params.get(name) ?? null, b.params.get(name) ?? null)) return false;
  }
  for (const [name, value] of a.params) {
    if (b.params.has(name) && !paramValueEquals(value, b.params.get(name) ?? null)) return false;
  }
  // Headers: all must be present in both and equal (values compared case-sensitively).
  // A header may repeat (`?K=1&K=2`): compare the two lists as multisets of (name, value).
  if (a.headers.length !== b.headers.length) return false;
  const key = ([k, v]: readonly [string, string]): string => `${k.toLowerCase()}\u0000${v}`;
  const left = a.headers.map(key).sort();
  const right = b.headers.map(key).sort();
  return left.every((k, i) => k === right[i]);
}

function telEquals(a: TelUri, b: TelUri): boolean {
  if (a.digits.toLowerCase() !== b.digits.toLowerCase()) return false;
  if (a.params.size !== b.params.size) return false;
  for (const [name, value] of a.params) {
    if (!b.params.has(name) || !paramValueEquals(value, b.params.get(name) ?? null)) return false;
  }
  return true;
}

/** True when two URIs are equivalent under the comparison rules of their scheme. */
export function uriEquals(a: Uri, b: Uri): boolean {
  if (a instanceof SipUri) return b instanceof SipUri && sipEquals(a, b);
  if (a instanceof TelUri) return b instanceof TelUri && telEquals(a, b);
  if (a instanceof AbsoluteUri && b instanceof AbsoluteUri) return a.scheme === b.scheme && a.rest === b.rest;
  return false;
}
