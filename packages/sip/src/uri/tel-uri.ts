// tel: URIs (RFC 3966): global numbers (+1-212-555-0100) or local numbers with phone-context.
import { type Parsed, fail, ok } from '../header/parsed.ts';
import { type Params, formatParams } from '../header/params.ts';

const VISUAL = '-.()';

export class TelUri {
  readonly type = 'tel' as const;
  readonly scheme = 'tel' as const;
  /** The number as written, visual separators included. */
  number: string;
  params: Params;

  constructor(number: string, params?: Params) {
    this.number = number;
    this.params = new Map(params ?? []);
  }

  get isGlobal(): boolean {
    return this.number.startsWith('+');
  }

  /** The number without visual separators (RFC 3966 §5.1.1), for comparison and routing. */
  get digits(): string {
    let out = '';
    for (const ch of this.number) if (VISUAL.indexOf(ch) === -1) out += ch;
    return out;
  }

  get phoneContext(): string | undefined {
    return this.params.get('phone-context') ?? undefined;
  }

  clone(): TelUri {
    return new TelUri(this.number, this.params);
  }

  toString(): string {
    return 'tel:' + this.number + formatParams(this.params);
  }
}

function isNumberChar(c: number, global: boolean): boolean {
  if (c >= 0x30 && c <= 0x39) return true;
  if (VISUAL.indexOf(String.fromCharCode(c)) !== -1) return true;
  if (global) return false;
  // local-number-digits: HEXDIG / "*" / "#"
  return (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66) || c === 0x2a || c === 0x23;
}

/** Parses the text after `tel:`. */
export function parseTelUri(rest: string): Parsed<TelUri> {
  const semi = rest.indexOf(';');
  const number = semi === -1 ? rest : rest.slice(0, semi);
  const global = number.startsWith('+');
  const digits = global ? number.slice(1) : number;
  if (digits === '') return fail('empty telephone number');
  let hasDigit = false;
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    if (!isNumberChar(c, global)) return fail(`invalid character "${digits[i]}" in telephone number`);
    if (VISUAL.indexOf(digits[i] as string) === -1) hasDigit = true;
  }
  if (!hasDigit) return fail('telephone number has no digits');
  const params: Params = new Map();
  if (semi !== -1) {
    for (const item of rest.slice(semi + 1).split(';')) {
      const eq = item.indexOf('=');
      const name = eq === -1 ? item : item.slice(0, eq);
      if (name === '') return fail('empty tel URI parameter');
      params.set(name.toLowerCase(), eq === -1 ? null : item.slice(eq + 1));
    }
  }
  // RFC 3966 §5.1.5: a local number requires phone-context.
  if (!global && !params.has('phone-context')) return fail('local telephone number without phone-context');
  return ok(new TelUri(number, params));
}
