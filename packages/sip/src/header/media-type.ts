// Content-Type / media-type (RFC 3261 §20.15, RFC 2045): type "/" subtype *(;param).
import { type Params, formatParams, parseParams } from './params.ts';
import { type Parsed, fail, ok } from './parsed.ts';
import { isToken, skipWs, unquote } from './scan.ts';

export class MediaType {
  /** Lower case (`application`). */
  readonly type: string;
  /** Lower case (`sdp`). */
  readonly subtype: string;
  readonly params: Params;

  constructor(type: string, subtype: string, params?: Params) {
    this.type = type.toLowerCase();
    this.subtype = subtype.toLowerCase();
    this.params = new Map(params ?? []);
  }

  /** `type/subtype` in lower case, e.g. `application/sdp`. */
  get essence(): string {
    return `${this.type}/${this.subtype}`;
  }

  /** A parameter value without quotes (`boundary`, `charset`). */
  param(name: string): string | undefined {
    const v = this.params.get(name.toLowerCase());
    return v === undefined || v === null ? undefined : unquote(v);
  }

  toString(): string {
    return this.essence + formatParams(this.params);
  }
}

export function parseMediaType(value: string): Parsed<MediaType> {
  const s = value.trim();
  const slash = s.indexOf('/');
  if (slash === -1) return fail(`media type "${s}" has no "/"`);
  const type = s.slice(0, slash).trim();
  let i = skipWs(s, slash + 1);
  const start = i;
  while (i < s.length && s[i] !== ';' && s[i] !== ' ' && s[i] !== '\t') i++;
  const subtype = s.slice(start, i);
  if (!isToken(type) || !isToken(subtype)) return fail(`invalid media type "${s}"`);
  const params = parseParams(s, i);
  if (!params.ok) return fail(params.reason);
  return ok(new MediaType(type, subtype, params.value));
}
