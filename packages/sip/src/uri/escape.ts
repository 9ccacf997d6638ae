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

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** unreserved = alphanum / mark; mark = - _ . ! ~ * ' ( ) */
const MARK = "-_.!~*'()";

function charSet(extra: string): (c: number) => boolean {
  const allowed = new Uint8Array(128);
  for (const ch of MARK + extra) allowed[ch.charCodeAt(0)] = 1;
  return (c) => c < 128 && (isAlnum(c) || allowed[c] === 1);
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
export function escapeUri(s: string, allowed: (c: number) => boolean): string {
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    if (!allowed(s.charCodeAt(i))) {
      plain = false;
      break;
    }
  }
  if (plain) return s;
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch.length === 1 && allowed(c)) out += ch;
    else for (const b of encoder.encode(ch)) out += '%' + HEX[b >> 4] + HEX[b & 15];
  }
  return out;
}

/** True when every character of `s` is allowed or part of a valid escape. */
export function isEscapedText(s: string, allowed: (c: number) => boolean): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      if (hexValue(s.charCodeAt(i + 1)) < 0 || hexValue(s.charCodeAt(i + 2)) < 0) return false;
      i += 2;
    } else if (!allowed(c)) return false;
  }
  return true;
}
