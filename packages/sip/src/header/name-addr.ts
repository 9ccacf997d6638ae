// name-addr / addr-spec with header parameters (RFC 3261 §20.10, §25.1):
//   [display-name] <URI> *(;param)    or    addr-spec *(;param)
// Used by From, To, Route, Record-Route, Reply-To, P-Asserted-Identity, Refer-To, Contact.
import { type Uri, parseUri } from '../uri/parse-uri.ts';
import { type Params, formatParams, parseParams, toParams } from './params.ts';
import { type Parsed, SipHeaderError, fail, ok } from './parsed.ts';
import { endOfQuoted, isTokenChar, isWs, quote, skipWs, unquote } from './scan.ts';

export interface NameAddrInit {
  displayName?: string;
  /** A URI, or its text (parsed on first access of `uri`). */
  uri: Uri | string;
  params?: Params | Record<string, string | null>;
}

export class NameAddr {
  /** Display name without quotes or escapes; undefined when absent. */
  displayName: string | undefined;
  /** Header parameters (not URI parameters) by lower-case name. */
  params: Params;
  #uri: Uri | undefined;
  #uriText: string | undefined;

  constructor(init: NameAddrInit) {
    this.displayName = init.displayName;
    if (typeof init.uri === 'string') this.#uriText = init.uri;
    else this.#uri = init.uri;
    this.params = toParams(init.params);
  }

  /**
   * The URI. A parsed header keeps the URI text and parses it here on first access (a proxy
   * reading only tags never pays for it); throws SipHeaderError if it is malformed — call
   * `checkUri()` (or `message.validate('all')`) first to get the reason without throwing.
   */
  get uri(): Uri {
    if (this.#uri === undefined) {
      const r = parseUri(this.#uriText ?? '');
      if (!r.ok) throw new SipHeaderError('URI', r.reason);
      this.#uri = r.value;
    }
    return this.#uri;
  }

  set uri(value: Uri) {
    this.#uri = value;
    this.#uriText = undefined;
  }

  /** Parses the URI if not done yet; returns why it is malformed, or undefined. */
  checkUri(): string | undefined {
    if (this.#uri !== undefined) return undefined;
    const r = parseUri(this.#uriText ?? '');
    if (!r.ok) return r.reason;
    this.#uri = r.value;
    return undefined;
  }

  /** The URI as text: as written when it was never parsed, else serialized. */
  get uriText(): string {
    return this.#uri === undefined ? (this.#uriText ?? '') : this.#uri.toString();
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
    return new NameAddr({ displayName: this.displayName, uri: this.#cloneUri(), params: this.params });
  }

  /** For subclasses' clone(): the URI (cloned) or its unparsed text. */
  protected cloneUriOrText(): Uri | string {
    return this.#cloneUri();
  }

  #cloneUri(): Uri | string {
    return this.#uri === undefined ? (this.#uriText ?? '') : this.#uri.clone();
  }

  /** Always written in the `<URI>` form, which is safe for every URI. */
  toString(): string {
    let out = '';
    if (this.displayName !== undefined && this.displayName !== '') out = quote(this.displayName) + ' ';
    return out + '<' + this.uriText + '>' + formatParams(this.params);
  }
}

export function formatNameAddr(displayName: string | undefined, uri: Uri, params: Params): string {
  return new NameAddr({ displayName, uri, params }).toString();
}

/** Cheap shape check of URI text (scheme ":" something); the full parse is lazy. */
function checkUriShape(text: string): string | undefined {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) return `"${text}" is not a URI`;
  for (let i = 0; i < colon; i++) {
    const c = text.charCodeAt(i);
    const alpha = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!(alpha || (i > 0 && ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e))))
      return `invalid URI scheme "${text.slice(0, colon)}"`;
  }
  return undefined;
}

function isDisplayTokens(s: string): boolean {
  // *(token LWS): token characters separated by whitespace.
  // NOTE: UTF-8 outside quotes is not in the grammar but common; tolerated.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 || c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) continue;
    if (!isTokenChar(c)) return false;
  }
  return true;
}

export interface NameAddrParts {
  displayName: string | undefined;
  /** The URI text, checked for shape only; NameAddr parses it on first access. */
  uri: string;
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
  const uri = s.slice(uriStart, uriEnd);
  const shape = checkUriShape(uri);
  if (shape !== undefined) return fail(shape);
  const params = parseParams(s, paramsStart);
  if (!params.ok) return fail(params.reason);
  return ok({ displayName, uri, params: params.value });
}

export function parseNameAddr(input: string): Parsed<NameAddr> {
  const parts = parseNameAddrParts(input);
  if (!parts.ok) return parts;
  const na = new NameAddr({ displayName: parts.value.displayName, uri: parts.value.uri });
  na.params = parts.value.params; // freshly parsed: adopt instead of copying
  return ok(na);
}
