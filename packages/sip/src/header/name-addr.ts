// name-addr / addr-spec with header parameters (RFC 3261 §20.10, §25.1):
//   [display-name] <URI> *(;param)    or    addr-spec *(;param)
// Used by From, To, Route, Record-Route, Reply-To, P-Asserted-Identity, Refer-To, Contact.
import { type Uri, parseUri } from '../uri/parse-uri.ts';
import { type Params, formatParams, parseParams } from './params.ts';
import { type Parsed, fail, ok } from './parsed.ts';
import { endOfQuoted, isToken, isWs, quote, skipWs, unquote } from './scan.ts';

export interface NameAddrInit {
  displayName?: string;
  uri: Uri;
  params?: Params | Record<string, string | null>;
}

export class NameAddr {
  /** Display name without quotes or escapes; undefined when absent. */
  displayName: string | undefined;
  uri: Uri;
  /** Header parameters (not URI parameters) by lower-case name. */
  params: Params;

  constructor(init: NameAddrInit) {
    this.displayName = init.displayName;
    this.uri = init.uri;
    this.params =
      init.params instanceof Map
        ? new Map(init.params)
        : new Map(Object.entries(init.params ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  }

  /** The `tag` parameter (From/To, RFC 3261 §19.3). */
  get tag(): string | undefined {
    return this.params.get('tag') ?? undefined;
  }

  set tag(value: string | undefined) {
    if (value === undefined) this.params.delete('tag');
    else this.params.set('tag', value);
  }

  clone(): NameAddr {
    return new NameAddr({ displayName: this.displayName, uri: this.uri.clone(), params: this.params });
  }

  /** Always written in the `<URI>` form, which is safe for every URI. */
  toString(): string {
    return formatNameAddr(this.displayName, this.uri, this.params);
  }
}

export function formatNameAddr(displayName: string | undefined, uri: Uri, params: Params): string {
  let out = '';
  if (displayName !== undefined && displayName !== '') out = quote(displayName) + ' ';
  return out + '<' + uri.toString() + '>' + formatParams(params);
}

function isDisplayTokens(s: string): boolean {
  for (const word of s.split(/[ \t\r\n]+/)) {
    if (word === '') continue;
    // NOTE: UTF-8 outside quotes is not in the grammar but common; tolerated.
    let ascii = '';
    for (const ch of word) if (ch.charCodeAt(0) < 0x80) ascii += ch;
    if (ascii !== '' && !isToken(ascii)) return false;
  }
  return true;
}

export interface NameAddrParts {
  displayName: string | undefined;
  uri: Uri;
  params: Params;
}

/** Parses one name-addr or addr-spec followed by parameters. */
export function parseNameAddrParts(input: string): Parsed<NameAddrParts> {
  const s = input.trim();
  if (s === '') return fail('empty value');
  let displayName: string | undefined;
  let uriStart: number;
  let uriEnd: number;
  let paramsStart: number;
  if (s.charCodeAt(0) === 0x22 /* " */) {
    const e = endOfQuoted(s, 0);
    if (e === -1) return fail('unterminated quoted display name');
    displayName = unquote(s.slice(0, e));
    const lt = skipWs(s, e);
    if (s.charCodeAt(lt) !== 0x3c /* < */) return fail('display name not followed by "<URI>"');
    uriStart = lt + 1;
  } else {
    const lt = s.indexOf('<');
    if (lt !== -1) {
      const prefix = s.slice(0, lt).trim();
      if (!isDisplayTokens(prefix)) return fail(`invalid display name "${prefix}"`);
      if (prefix !== '') displayName = prefix;
      uriStart = lt + 1;
    } else uriStart = -1;
  }
  if (uriStart !== -1) {
    uriEnd = s.indexOf('>', uriStart);
    if (uriEnd === -1) return fail('missing ">" after URI');
    paramsStart = uriEnd + 1;
    if (isWs(s.charCodeAt(uriStart)) || isWs(s.charCodeAt(uriEnd - 1)))
      return fail('whitespace inside "<URI>"');
  } else {
    // addr-spec: the URI ends at the first ";" or whitespace; what follows are header params.
    uriStart = 0;
    uriEnd = 0;
    while (uriEnd < s.length) {
      const c = s.charCodeAt(uriEnd);
      if (c === 0x3b || isWs(c)) break;
      if (c === 0x3e || c === 0x22) return fail(`unexpected "${s[uriEnd]}" in address`);
      uriEnd++;
    }
    paramsStart = uriEnd;
    // RFC 3261 §20: a URI containing a comma, question mark or semicolon must be in <>.
    const bare = s.slice(0, uriEnd);
    if (bare.indexOf('?') !== -1 || bare.indexOf(',') !== -1)
      return fail(`URI "${bare}" contains "?" or "," and must be enclosed in "<>"`);
  }
  const uri = parseUri(s.slice(uriStart, uriEnd));
  if (!uri.ok) return fail(uri.reason);
  const params = parseParams(s, paramsStart);
  if (!params.ok) return fail(params.reason);
  return ok({ displayName, uri: uri.value, params: params.value });
}

export function parseNameAddr(input: string): Parsed<NameAddr> {
  const parts = parseNameAddrParts(input);
  return parts.ok ? ok(new NameAddr(parts.value)) : parts;
}
