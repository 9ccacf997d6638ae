// SIP and SIPS URIs (RFC 3261 §19.1, grammar §25.1; IPv6 references RFC 5118):
//   sip:user:password@host:port;uri-parameters?headers
import { type Parsed, fail, ok } from '../header/parsed.ts';
import { type Params, toParams } from '../header/params.ts';
import {
  HEADER_CHARS,
  PARAM_CHARS,
  PASSWORD_CHARS,
  USER_CHARS,
  escapeKeepingEscapes,
  escapeUri,
  isEscapedText,
  unescapeUri,
} from './escape.ts';
import { checkHost, isIPv6, parsePort } from './host.ts';

export interface SipUriInit {
  scheme?: 'sip' | 'sips';
  user?: string;
  password?: string;
  host: string;
  port?: number;
  params?: Params | Record<string, string | null>;
  headers?: Array<[string, string]>;
}

/** A sip: or sips: URI. `user` and `password` are unescaped; params keep their escapes. */
export class SipUri {
  readonly type = 'sip' as const;
  scheme: 'sip' | 'sips';
  user: string | undefined;
  password: string | undefined;
  /** As written; IPv6 addresses keep their brackets (`[2001:db8::10]`). */
  host: string;
  port: number | undefined;
  /** URI parameters by lower-case name (`transport`, `lr`, `maddr`, `user`, …). */
  params: Params;
  /** URI headers (`?subject=x&priority=urgent`), unescaped name/value pairs. */
  headers: Array<[string, string]>;

  constructor(init: SipUriInit) {
    this.scheme = init.scheme ?? 'sip';
    this.user = init.user;
    this.password = init.password;
    this.host = init.host;
    this.port = init.port;
    this.params = toParams(init.params);
    this.headers = init.headers === undefined ? [] : init.headers.map(([k, v]) => [k, v]);
  }

  get secure(): boolean {
    return this.scheme === 'sips';
  }

  /** `transport` parameter in lower case, if any. */
  get transport(): string | undefined {
    return this.params.get('transport')?.toLowerCase() ?? undefined;
  }

  /** Loose-routing flag (RFC 3261 §19.1.1 `lr`). */
  get lr(): boolean {
    return this.params.has('lr');
  }

  get maddr(): string | undefined {
    return this.params.get('maddr') ?? undefined;
  }

  /** `host:port` (port only when present). */
  get hostport(): string {
    return this.port === undefined ? this.host : `${this.host}:${this.port}`;
  }

  clone(): SipUri {
    return new SipUri(this);
  }

  toString(): string {
    let out = this.scheme + ':';
    if (this.user !== undefined) {
      out += escapeUri(this.user, USER_CHARS);
      if (this.password !== undefined) out += ':' + escapeUri(this.password, PASSWORD_CHARS);
      out += '@';
    }
    out += this.host;
    if (this.port !== undefined) out += ':' + this.port;
    for (const [name, value] of this.params) {
      out += ';' + escapeKeepingEscapes(name, PARAM_CHARS);
      if (value !== null) out += '=' + escapeKeepingEscapes(value, PARAM_CHARS);
    }
    if (this.headers.length > 0) {
      out +=
        '?' +
        this.headers.map(([k, v]) => escapeUri(k, HEADER_CHARS) + '=' + escapeUri(v, HEADER_CHARS)).join('&');
    }
    return out;
  }
}

/** Parses the text after `sip:` / `sips:`. */
export function parseSipUri(scheme: 'sip' | 'sips', rest: string): Parsed<SipUri> {
  let user: string | undefined;
  let password: string | undefined;
  let i = 0;
  const at = rest.indexOf('@');
  if (at !== -1) {
    const userinfo = rest.slice(0, at);
    const colon = userinfo.indexOf(':');
    const rawUser = colon === -1 ? userinfo : userinfo.slice(0, colon);
    if (rawUser === '') return fail('empty user part before "@"');
    if (!isEscapedText(rawUser, USER_CHARS)) return fail(`invalid character in user part "${rawUser}"`);
    user = unescapeUri(rawUser);
    if (colon !== -1) {
      const rawPassword = userinfo.slice(colon + 1);
      if (!isEscapedText(rawPassword, PASSWORD_CHARS)) return fail('invalid character in password');
      password = unescapeUri(rawPassword);
    }
    i = at + 1;
  }
  // host
  let hostEnd: number;
  if (rest.charCodeAt(i) === 0x5b /* [ */) {
    const close = rest.indexOf(']', i);
    if (close === -1) return fail('unterminated IPv6 reference');
    hostEnd = close + 1;
  } else {
    hostEnd = i;
    while (hostEnd < rest.length) {
      const c = rest.charCodeAt(hostEnd);
      if (c === 0x3a /* : */ || c === 0x3b /* ; */ || c === 0x3f /* ? */) break;
      hostEnd++;
    }
  }
  const host = rest.slice(i, hostEnd);
  const hostError = checkHost(host);
  if (hostError !== undefined) return fail(hostError);
  i = hostEnd;
  let port: number | undefined;
  if (rest.charCodeAt(i) === 0x3a) {
    let portEnd = i + 1;
    while (portEnd < rest.length && rest.charCodeAt(portEnd) !== 0x3b && rest.charCodeAt(portEnd) !== 0x3f)
      portEnd++;
    const portText = rest.slice(i + 1, portEnd);
    if (portText.indexOf(':') !== -1 && isIPv6(rest.slice(i - host.length, portEnd)))
      return fail(
        `IPv6 address "${rest.slice(i - host.length, portEnd)}" must be enclosed in "[]" (RFC 5118 §4.2)`,
      );
    port = parsePort(portText);
    if (port === undefined) return fail(`invalid port "${portText}"`);
    i = portEnd;
  }
  const q = rest.indexOf('?', i);
  const paramEnd = q === -1 ? rest.length : q;
  const params: Params = new Map();
  // rest[i] is ";" here when there are parameters (the host/port scan stopped there).
  while (i < paramEnd) {
    const start = i + 1;
    let end = rest.indexOf(';', start);
    if (end === -1 || end > paramEnd) end = paramEnd;
    let eq = rest.indexOf('=', start);
    if (eq === -1 || eq > end) eq = -1;
    const nameEnd = eq === -1 ? end : eq;
    if (nameEnd === start || !isEscapedText(rest, PARAM_CHARS, start, nameEnd))
      return fail(`invalid URI parameter "${rest.slice(start, end)}"`);
    const name = rest.slice(start, nameEnd).toLowerCase();
    if (eq === -1) params.set(name, null);
    else {
      if (eq + 1 === end || !isEscapedText(rest, PARAM_CHARS, eq + 1, end))
        return fail(`invalid value of URI parameter "${name}"`);
      params.set(name, rest.slice(eq + 1, end));
    }
    i = end;
  }
  const headers: Array<[string, string]> = [];
  if (q !== -1) {
    for (const item of rest.slice(q + 1).split('&')) {
      const eq = item.indexOf('=');
      if (eq <= 0) return fail(`invalid URI header "${item}"`);
      const name = unescapeUri(item.slice(0, eq));
      const value = unescapeUri(item.slice(eq + 1));
      if (name === undefined || value === undefined) return fail(`invalid escape in URI header "${item}"`);
      headers.push([name, value]);
    }
  }
  const uri = new SipUri({ scheme, user, password, host, port });
  // Freshly parsed: adopt instead of copying.
  uri.params = params;
  uri.headers = headers;
  return ok(uri);
}
