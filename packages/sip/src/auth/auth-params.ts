// The generic syntax of WWW-Authenticate, Proxy-Authenticate, Authorization and
// Proxy-Authorization values: a scheme followed by comma-separated auth-params.
//
//   challenge   = auth-scheme [ 1*SP ( token68 / #auth-param ) ]      RFC 7235 §2.1
//   auth-param  = token BWS "=" BWS ( token / quoted-string )
//   quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE             RFC 7230 §3.2.6
//
// RFC 3261 §25.1 has the same shape ("Digest" LWS digest-cln *(COMMA digest-cln)). RFC 3261
// §7.3.1 forbids folding several of these header rows into one, but HTTP allows several
// challenges in one value ("Digest realm=a, nonce=b, Basic realm=c"), so the parser accepts a
// list and tells where each scheme begins by "token SP" not followed by "=".
//
// Network input never throws here: every entry point returns an AuthResult.

/** Either a value or a reason, in words a log reader understands. */
export type AuthResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** One `name=value` pair. `name` is lower-cased (RFC 7235 §2.1: case-insensitive). */
export interface AuthParam {
  readonly name: string;
  /** The value with quotes removed and quoted-pairs unescaped. */
  readonly value: string;
  /** Whether the value arrived as a quoted-string (kept so a proxy can forward it as-is). */
  readonly quoted: boolean;
}

/** A challenge or credentials: the scheme and its params (or a token68, never for Digest). */
export interface AuthItem {
  /** Scheme as written ("Digest"); compare case-insensitively. */
  readonly scheme: string;
  readonly params: readonly AuthParam[];
  readonly token68?: string;
}

/** Most auth-params accepted in one item, so hostile input cannot make us build huge lists. */
export const MAX_AUTH_PARAMS = 64;
/** Longest header value accepted, in characters. */
export const MAX_AUTH_VALUE_LENGTH = 16_384;

const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
  TCHAR[c.charCodeAt(0)] = 1;
}
const TOKEN68_EXTRA = new Set(['-', '.', '_', '~', '+', '/']);

const isTchar = (code: number): boolean => code < 128 && TCHAR[code] === 1;
const isWsp = (code: number): boolean => code === 0x20 || code === 0x09;

/** Is `s` a non-empty token (so it may be written without quotes)? */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isTchar(s.charCodeAt(i))) return false;
  return true;
}

/** Writes `s` as a quoted-string, escaping `"` and `\` (RFC 3261 §25.1 quoted-pair). */
export function quoteString(s: string): string {
  return `"${s.replace(/["\\]/g, '\\$&')}"`;
}

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(): number {
    return this.pos < this.text.length ? this.text.charCodeAt(this.pos) : -1;
  }
  skipWsp(): boolean {
    const start = this.pos;
    while (isWsp(this.peek())) this.pos++;
    return this.pos > start;
  }
  token(): string {
    const start = this.pos;
    while (isTchar(this.peek())) this.pos++;
    return this.text.slice(start, this.pos);
  }
  /** Reads a quoted-string at `pos` (which is at the opening quote). */
  quoted(): AuthResult<string> {
    this.pos++;
    let out = '';
    let runStart = this.pos;
    for (;;) {
      const c = this.peek();
      if (c === -1) return { ok: false, error: 'unterminated quoted-string' };
      if (c === 0x22) {
        out += this.text.slice(runStart, this.pos);
        this.pos++;
        return { ok: true, value: out };
      }
      if (c === 0x5c) {
        out += this.text.slice(runStart, this.pos);
        const next = this.text.charCodeAt(this.pos + 1);
        // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F); we also allow UTF-8 text.
        if (Number.isNaN(next) || next === 0x0d || next === 0x0a) {
          return { ok: false, error: 'bad quoted-pair at end of quoted-string' };
        }
        out += this.text[this.pos + 1];
        this.pos += 2;
        runStart = this.pos;
        continue;
      }
      if ((c < 0x20 && c !== 0x09) || c === 0x7f) {
        return { ok: false, error: `control character 0x${c.toString(16)} in quoted-string` };
      }
      this.pos++;
    }
  }
}

/** Undo header folding (CRLF followed by whitespace is one space, RFC 3261 §7.3.1). */
function unfold(value: string): AuthResult<string> {
  if (value.length > MAX_AUTH_VALUE_LENGTH) return { ok: false, error: 'header value too long' };
  const text = value.includes('\n') || value.includes('\r') ? value.replace(/\r?\n[ \t]/g, ' ') : value;
  if (/[\r\n]/.test(text)) return { ok: false, error: 'line break in header value' };
  return { ok: true, value: text };
}

/** After a scheme name and whitespace: does a token68 (and then end or comma) follow? */
function readToken68(s: Scanner): string | undefined {
  const start = s.pos;
  while (s.pos < s.text.length) {
    const ch = s.text[s.pos] as string;
    if (/[A-Za-z0-9]/.test(ch) || TOKEN68_EXTRA.has(ch)) s.pos++;
    else break;
  }
  if (s.pos === start) return undefined;
  while (s.peek() === 0x3d) s.pos++;
  const end = s.pos;
  s.skipWsp();
  if (s.done || s.peek() === 0x2c) return s.text.slice(start, end);
  s.pos = start;
  return undefined;
}

/**
 * Parses a header value into challenges or credentials. Several items may share one value
 * (RFC 7235 §4.1); empty list elements (", ,") are tolerated (RFC 7230 §7). Call once per
 * header row and concatenate the results for repeated headers.
 */
export function parseAuthItems(value: string): AuthResult<AuthItem[]> {
  const unfolded = unfold(value);
  if (!unfolded.ok) return unfolded;
  const s = new Scanner(unfolded.value);
  const items: AuthItem[] = [];
  let current: { scheme: string; params: AuthParam[]; token68?: string } | undefined;
  let names = new Set<string>();

  for (;;) {
    s.skipWsp();
    if (s.done) break;
    if (s.peek() === 0x2c) {
      s.pos++;
      continue;
    }
    const itemStart = s.pos;
    const name = s.token();
    if (name.length === 0) {
      return { ok: false, error: `unexpected character ${JSON.stringify(s.text[s.pos])} at ${s.pos}` };
    }
    s.skipWsp();
    if (s.peek() === 0x3d) {
      // auth-param belonging to the current scheme.
      if (current === undefined) return { ok: false, error: 'auth-param before any scheme' };
      if (current.token68 !== undefined) return { ok: false, error: 'auth-param after token68' };
      s.pos++;
      s.skipWsp();
      let param: AuthParam;
      if (s.peek() === 0x22) {
        const q = s.quoted();
        if (!q.ok) return q;
        param = { name: name.toLowerCase(), value: q.value, quoted: true };
      } else {
        const v = s.token();
        if (v.length === 0) return { ok: false, error: `missing value for ${name}` };
        param = { name: name.toLowerCase(), value: v, quoted: false };
      }
      if (names.has(param.name)) return { ok: false, error: `duplicate parameter ${param.name}` };
      if (current.params.length >= MAX_AUTH_PARAMS) return { ok: false, error: 'too many parameters' };
      names.add(param.name);
      current.params.push(param);
    } else {
      // A new scheme: "token" then 1*SP, or the token alone at the end of an item.
      if (s.pos === itemStart + name.length && !s.done && s.peek() !== 0x2c) {
        return { ok: false, error: `unexpected character ${JSON.stringify(s.text[s.pos])} after ${name}` };
      }
      if (current !== undefined) items.push(current);
      current = { scheme: name, params: [] };
      names = new Set();
      if (!s.done && s.peek() !== 0x2c) {
        const t68 = readToken68(s);
        if (t68 === undefined) continue; // the first auth-param follows without a comma
        current.token68 = t68;
      }
    }
    s.skipWsp();
    if (s.done) break;
    if (s.peek() !== 0x2c) {
      return { ok: false, error: `expected "," at ${s.pos}, found ${JSON.stringify(s.text[s.pos])}` };
    }
    s.pos++;
  }
  if (current !== undefined) items.push(current);
  if (items.length === 0) return { ok: false, error: 'empty header value' };
  return { ok: true, value: items };
}

/** Parses several header rows (e.g. two WWW-Authenticate headers) into one list. */
export function parseAuthHeaderRows(values: readonly string[]): AuthResult<AuthItem[]> {
  const all: AuthItem[] = [];
  for (const value of values) {
    const r = parseAuthItems(value);
    if (!r.ok) return r;
    all.push(...r.value);
  }
  return { ok: true, value: all };
}

/**
 * Parses a bare auth-param list without a scheme, as in Authentication-Info
 * (RFC 7616 §3.5: `Authentication-Info: nextnonce="…", qop=auth, rspauth="…"`).
 */
export function parseAuthParamList(value: string): AuthResult<AuthParam[]> {
  if (value.trim().length === 0) return { ok: true, value: [] };
  const r = parseAuthItems(`X ${value}`);
  if (!r.ok) return r;
  const [only, ...rest] = r.value;
  if (only === undefined || rest.length > 0 || only.token68 !== undefined) {
    return { ok: false, error: 'expected a list of name=value parameters' };
  }
  return { ok: true, value: [...only.params] };
}

/** Serializes an item: `Scheme name="v", name=token, …`. Quoted params keep their quotes. */
export function serializeAuthItem(item: AuthItem): string {
  if (item.token68 !== undefined) return `${item.scheme} ${item.token68}`;
  if (item.params.length === 0) return item.scheme;
  return `${item.scheme} ${serializeAuthParams(item.params)}`;
}

/** `name="v", name=token, …`: quoted when it arrived quoted or is not a token. */
export function serializeAuthParams(params: readonly AuthParam[]): string {
  return params
    .map((p) => `${p.name}=${p.quoted || !isToken(p.value) ? quoteString(p.value) : p.value}`)
    .join(', ');
}

/** The value of a param by (lower-case) name. */
export function getAuthParam(item: AuthItem, name: string): string | undefined {
  for (const p of item.params) if (p.name === name) return p.value;
  return undefined;
}
