// Small scanners shared by the header grammars (RFC 3261 §25.1): list splitting, quoted
// strings, whitespace. They work with indexOf/charCodeAt on strings, not regular expressions,
// because they run for every message.

const SP = 0x20;
const HTAB = 0x09;
const CR = 0x0d;
const LF = 0x0a;

export function isWs(code: number): boolean {
  return code === SP || code === HTAB || code === CR || code === LF;
}

/**
 * Trims SP, HTAB, CR and LF only. (String.prototype.trim also removes U+FEFF and other
 * Unicode spaces, which are part of a header value's bytes.)
 */
export function trimLws(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isWs(s.charCodeAt(a))) a++;
  while (b > a && isWs(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** Index of the first non-whitespace character at or after `i` (or `s.length`). */
export function skipWs(s: string, i: number): number {
  while (i < s.length && isWs(s.charCodeAt(i))) i++;
  return i;
}

/**
 * Index just past the closing quote of the quoted-string that opens at `start` (which must be
 * `"`), honouring backslash escapes (RFC 3261 §25.1 quoted-pair); -1 when it never closes.
 */
export function endOfQuoted(s: string, start: number): number {
  let i = start + 1;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 0x5c /* \ */) i += 2;
    else if (c === 0x22 /* " */) return i + 1;
    else i++;
  }
  return -1;
}

/**
 * Splits a header value at commas that are outside quoted strings and `<…>` (RFC 3261 §7.3.1).
 * Items are trimmed; empty items (`a,,b`) are dropped. Unterminated quotes or angle brackets
 * swallow the rest of the value into the last item, which the item parser then rejects.
 */
export function splitList(value: string): string[] {
  if (value.indexOf(',') === -1) {
    const t = value.trim();
    return t === '' ? [] : [t];
  }
  const out: string[] = [];
  let start = 0;
  let i = 0;
  const n = value.length;
  while (i < n) {
    const c = value.charCodeAt(i);
    if (c === 0x22) {
      const e = endOfQuoted(value, i);
      i = e === -1 ? n : e;
    } else if (c === 0x3c /* < */) {
      const e = value.indexOf('>', i);
      i = e === -1 ? n : e + 1;
    } else if (c === 0x2c /* , */) {
      const item = value.slice(start, i).trim();
      if (item !== '') out.push(item);
      i++;
      start = i;
    } else i++;
  }
  const last = value.slice(start).trim();
  if (last !== '') out.push(last);
  return out;
}

/** The first item of a comma-separated list (see splitList), trimmed; '' when empty. */
export function firstListItem(value: string): string {
  if (value.indexOf(',') === -1) return trimLws(value);
  const n = value.length;
  let i = 0;
  while (i < n) {
    const c = value.charCodeAt(i);
    if (c === 0x22) {
      const e = endOfQuoted(value, i);
      i = e === -1 ? n : e;
    } else if (c === 0x3c) {
      const e = value.indexOf('>', i);
      i = e === -1 ? n : e + 1;
    } else if (c === 0x2c) {
      const item = trimLws(value.slice(0, i));
      if (item !== '') return item;
      // Leading empty items ("a,,b" rules): skip them.
      return firstListItem(value.slice(i + 1));
    } else i++;
  }
  return trimLws(value);
}

/** Removes the quotes and backslash escapes of a quoted-string; other strings are returned as is. */
export function unquote(s: string): string {
  if (s.length < 2 || s.charCodeAt(0) !== 0x22 || s.charCodeAt(s.length - 1) !== 0x22) return s;
  const inner = s.slice(1, -1);
  if (inner.indexOf('\\') === -1) return inner;
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i];
    if (ch === '\\' && i + 1 < inner.length) {
      out += inner[i + 1];
      i++;
    } else out += ch;
  }
  return out;
}

/**
 * Wraps a string in a quoted-string. `"`, backslash and control characters are written as
 * quoted-pairs (RFC 3261 §25.1); CR and LF cannot be represented and become spaces.
 */
export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c === 0x0d || c === 0x0a) out += ' ';
    else if (ch === '"' || ch === '\\' || (c < 0x20 && c !== 0x09) || c === 0x7f) out += '\\' + ch;
    else out += ch;
  }
  return out + '"';
}

const TOKEN_TABLE = (() => {
  const t = new Uint8Array(128);
  for (let c = 0x30; c <= 0x39; c++) t[c] = 1;
  for (let c = 0x41; c <= 0x5a; c++) t[c] = 1;
  for (let c = 0x61; c <= 0x7a; c++) t[c] = 1;
  for (const ch of "-.!%*_+`'~") t[ch.charCodeAt(0)] = 1;
  return t;
})();

/** RFC 3261 §25.1 token character: alphanumerics and -.!%*_+`'~ */
export function isTokenChar(c: number): boolean {
  return c < 128 && TOKEN_TABLE[c] === 1;
}

/** RFC 3261 §25.1 token: one or more token characters. */
export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || TOKEN_TABLE[c] !== 1) return false;
  }
  return true;
}

/** True when `s` is one or more ASCII digits. */
export function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}
