// Entry point for URIs of any scheme. Never throws on bad input.
import { type Parsed, fail, ok } from '../header/parsed.ts';
import { AbsoluteUri } from './absolute-uri.ts';
import { SipUri, parseSipUri } from './sip-uri.ts';
import { TelUri, parseTelUri } from './tel-uri.ts';

export type Uri = SipUri | TelUri | AbsoluteUri;

function isSchemeChar(c: number, first: boolean): boolean {
  const alpha = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  if (first) return alpha;
  return alpha || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e;
}

/** Parses a URI: sip:/sips: → SipUri, tel: → TelUri, other schemes → AbsoluteUri. */
export function parseUri(input: string): Parsed<Uri> {
  const s = input.trim();
  const colon = s.indexOf(':');
  if (colon <= 0) return fail(`"${s}" is not a URI (no scheme)`);
  for (let i = 0; i < colon; i++) {
    if (!isSchemeChar(s.charCodeAt(i), i === 0)) return fail(`invalid URI scheme "${s.slice(0, colon)}"`);
  }
  const rest = s.slice(colon + 1);
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f || c === 0x3c || c === 0x3e || c === 0x22)
      return fail(`invalid character ${JSON.stringify(rest[i])} in URI`);
  }
  const scheme = s.slice(0, colon).toLowerCase();
  if (scheme === 'sip' || scheme === 'sips') return parseSipUri(scheme, rest);
  if (scheme === 'tel') return parseTelUri(rest);
  if (rest === '') return fail(`empty URI after "${scheme}:"`);
  return ok(new AbsoluteUri(scheme, rest));
}

export function isSipUri(uri: Uri): uri is SipUri {
  return uri instanceof SipUri;
}

export function isTelUri(uri: Uri): uri is TelUri {
  return uri instanceof TelUri;
}
