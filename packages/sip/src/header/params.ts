// Generic parameters: `*( SEMI generic-param )`, generic-param = token [ EQUAL gen-value ],
// gen-value = token / host / quoted-string (RFC 3261 §25.1). Used by URIs, name-addr, Via,
// Contact and media types.
import { type Parsed, fail, ok } from './parsed.ts';
import { endOfQuoted, isWs, skipWs } from './scan.ts';

/**
 * Parameters by lower-case name, in order of appearance. A value of `null` is a flag parameter
 * (`;lr`). Quoted values keep their quotes (use `unquote`).
 */
export type Params = Map<string, string | null>;

/**
 * Parses `;a=b;c` starting at `start` up to the end of `s`. `sep` is the separator: `;` for
 * header parameters. Whitespace around separators and `=` is allowed (LWS in the grammar).
 */
export function parseParams(s: string, start: number, sep = ';'): Parsed<Params> {
  const params: Params = new Map();
  const sepCode = sep.charCodeAt(0);
  let i = skipWs(s, start);
  const n = s.length;
  while (i < n) {
    if (s.charCodeAt(i) !== sepCode) return fail(`unexpected "${s[i]}" where "${sep}" was expected`);
    i = skipWs(s, i + 1);
    const nameStart = i;
    let upper = false;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 0x3d /* = */ || c === sepCode || c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) break;
      if (c >= 0x41 && c <= 0x5a) upper = true;
      i++;
    }
    const name = upper ? s.slice(nameStart, i).toLowerCase() : s.slice(nameStart, i);
    if (name === '') return fail('empty parameter name');
    i = skipWs(s, i);
    let value: string | null = null;
    if (i < n && s.charCodeAt(i) === 0x3d) {
      i = skipWs(s, i + 1);
      if (i < n && s.charCodeAt(i) === 0x22) {
        const e = endOfQuoted(s, i);
        if (e === -1) return fail(`unterminated quoted value of parameter "${name}"`);
        value = s.slice(i, e);
        i = e;
      } else {
        const vStart = i;
        while (i < n) {
          const c = s.charCodeAt(i);
          if (c === sepCode || isWs(c)) break;
          i++;
        }
        value = s.slice(vStart, i);
        if (value === '') return fail(`parameter "${name}" has "=" but no value`);
      }
      i = skipWs(s, i);
    }
    params.set(name, value);
  }
  return ok(params);
}

/** Serializes parameters as `;name=value;flag`. */
export function formatParams(params: Params, sep = ';'): string {
  let out = '';
  for (const [name, value] of params) out += value === null ? sep + name : sep + name + '=' + value;
  return out;
}

/** Copies parameters given as a Map or a record (names lower-cased); empty when undefined. */
export function toParams(init: Params | Record<string, string | null> | undefined): Params {
  if (init === undefined) return new Map();
  if (init instanceof Map) return new Map(init);
  const out: Params = new Map();
  for (const k of Object.keys(init)) out.set(k.toLowerCase(), init[k] ?? null);
  return out;
}
