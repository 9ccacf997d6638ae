// RFC 3261 §25.1 escaping ("%" HEXDIG HEXDIG) for the parts of a URI, and the character sets
// each part may carry unescaped.

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * Decodes %XX escapes. Escaped bytes that form UTF-8 become their characters; %00 becomes
 * U+0000. Returns undefined when a `%` is not followed by two hex digits.
 */
export function unescapeUri(s: string): string | undefined {
  if (s.indexOf('%') === -1) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      const hi = hexValue(s.charCodeAt(i + 1));
      const lo = hexValue(s.charCodeAt(i + 2));
      if (hi < 0 || lo < 0) return undefined;
      bytes.push(hi * 16 + lo);
      i += 2;
    } else if (c < 0x80) bytes.push(c);
    else {
      const cp = s.codePointAt(i) as number;
      if (cp > 0xffff) i++;
      for (const b of encoder.encode(String.fromCodePoint(cp))) bytes.push(b);
    }
  }
  return decoder.decode(new Uint8Array(bytes));
}

/** unreserved = alphanum / mark; mark = - _ . ! ~ * ' ( ) */
const MARK = "-_.!~*'()";

/** A set of ASCII characters allowed unescaped: a 128-entry table (1 = allowed). */
export type CharSet = Uint8Array;

function charSet(extra: string): CharSet {
  const t = new Uint8Array(128);
  for (let c = 0x30; c <= 0x39; c++) t[c] = 1;
  for (let c = 0x41; c <= 0x5a; c++) t[c] = 1;
  for (let c = 0x61; c <= 0x7a; c++) t[c] = 1;
  for (const ch of MARK + extra) t[ch.charCodeAt(0)] = 1;
  return t;
}

/** user = 1*( unreserved / escaped / user-unreserved ) */
export const USER_CHARS = charSet('&=+$,;?/');
/** password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," ) */
export const PASSWORD_CHARS = charSet('&=+$,');
/** paramchar = param-unreserved / unreserved / escaped */
export const PARAM_CHARS = charSet('[]/:&+$');
/** hname / hvalue = *( hnv-unreserved / unreserved / escaped ) */
export const HEADER_CHARS = charSet('[]/?:+$');

const HEX = '0123456789ABCDEF';

/** Escapes every character not in `allowed` as UTF-8 %XX. */
export function escapeUri(s: string, allowed: CharSet): string {
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || allowed[c] !== 1) {
      plain = false;
      break;
    }
  }
  if (plain) return s;
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch.length === 1 && c < 128 && allowed[c] === 1) out += ch;
    else for (const b of encoder.encode(ch)) out += '%' + HEX[b >> 4] + HEX[b & 15];
  }
  return out;
}

/**
 * Escapes text that is kept in escaped form (URI parameters): valid %XX escapes stay as they
 * are, any other character outside `allowed` (a stray "%" included) is escaped.
 */
export function escapeKeepingEscapes(s: string, allowed: CharSet): string {
  if (isEscapedText(s, allowed)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25 && hexValue(s.charCodeAt(i + 1)) >= 0 && hexValue(s.charCodeAt(i + 2)) >= 0) {
      out += s.slice(i, i + 3);
      i += 2;
    } else if (c < 128 && c !== 0x25 && allowed[c] === 1) out += s[i];
    else {
      const cp = s.codePointAt(i) as number;
      if (cp > 0xffff) i++;
      for (const b of encoder.encode(String.fromCodePoint(cp))) out += '%' + HEX[b >> 4] + HEX[b & 15];
    }
  }
  return out;
}

/** True when every character of `s` is allowed or part of a valid escape. */
export function isEscapedText(s: string, allowed: CharSet, from = 0, to = s.length): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      if (i + 2 >= to) return false;
      if (hexValue(s.charCodeAt(i + 1)) < 0 || hexValue(s.charCodeAt(i + 2)) < 0) return false;
      i += 2;
    } else if (c >= 128 || allowed[c] !== 1) return false;
  }
  return true;
}
