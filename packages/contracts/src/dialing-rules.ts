// Dialing rules: how a line rewrites the number the user dialed before it goes out (strip and add
// prefixes by pattern). The same code runs in the API (validation) and in the softphone (dialing).
// Syntax (docs/dialing-rules.md): one rule per line, `PATTERN => REPLACEMENT`, first match wins.
//
//   00|X. => +          00 44 20 7946 0000 → +442079460000
//   0|ZXXXXXXXX => +44  020 7946 0000      → +442079460000
//   9|X. =>             91234              → 1234
//
// PATTERN: digits, `*`, `#`, `+` match themselves; `X` any digit, `Z` 1-9, `N` 2-9; `[…]` one
// character of a set (digits, `a-b` ranges); a final `.` one or more further characters, a final
// `!` zero or more; one `|` ends the prefix that is stripped. Without a final `.`/`!` the pattern
// must match the whole number. REPLACEMENT (digits, `*`, `#`, `+`, may be empty) is put in front
// of what remains. `# ` (a hash and a space) starts a comment.

export interface DialingRule {
  /** 1-based line in the rules text. */
  readonly line: number;
  readonly pattern: string;
  readonly replacement: string;
  /** `^(stripped)(kept)$`. */
  readonly regex: RegExp;
}

export interface DialingRuleProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export type ParsedDialingRules =
  | { readonly ok: true; readonly rules: readonly DialingRule[] }
  | { readonly ok: false; readonly problems: readonly DialingRuleProblem[] };

export const MAX_DIALING_RULES = 100;
export const MAX_DIALING_RULES_LENGTH = 4000;

const ANY = '[0-9*#]';
/** `#` followed by a space starts a comment (a lone `#` stays a digit of a pattern or replacement). */
const COMMENT = /(^|\s)#(\s.*)$|^\s*#$/;
const REPLACEMENT = /^[0-9*#+]*$/;
/** Visual separators people type or paste in numbers: removed before matching. */
const SEPARATORS = /[\s\-().\u00a0/]/g;
/** A dialable number after separators are removed; anything else (a SIP user name) is left alone. */
const DIALABLE = /^\+?[0-9*#]+$/;

type Compiled = { ok: true; source: string } | { ok: false; column: number; message: string };

function compilePattern(pattern: string): Compiled {
  let stripped = '';
  let kept = '';
  let split = false;
  let tail = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const column = i + 1;
    if (tail) return { ok: false, column, message: `nothing may follow the final "${pattern[i - 1]}"` };
    let piece: string;
    if (/[0-9#]/.test(c)) piece = c;
    else if (c === '*' || c === '+') piece = `\\${c}`;
    else if (c === 'X' || c === 'x') piece = '[0-9]';
    else if (c === 'Z' || c === 'z') piece = '[1-9]';
    else if (c === 'N' || c === 'n') piece = '[2-9]';
    else if (c === '.' || c === '!') {
      piece = `${ANY}${c === '.' ? '+' : '*'}`;
      tail = true;
    } else if (c === '|') {
      if (split) return { ok: false, column, message: 'only one "|" is allowed' };
      split = true;
      continue;
    } else if (c === '[') {
      const end = pattern.indexOf(']', i);
      if (end < 0) return { ok: false, column, message: 'unclosed "["' };
      const body = pattern.slice(i + 1, end);
      if (!/^([0-9](-[0-9])?)+$/.test(body)) {
        return { ok: false, column, message: 'a set holds digits and ranges such as [1-5] or [2469]' };
      }
      for (const m of body.matchAll(/([0-9])-([0-9])/g)) {
        if (m[1]! > m[2]!) return { ok: false, column, message: `the range ${m[0]} is backwards` };
      }
      piece = `[${body}]`;
      i = end;
    } else {
      return {
        ok: false,
        column,
        message: `unexpected "${c}": use digits, X, Z, N, [..], ".", "!", "|", "*", "#", "+"`,
      };
    }
    if (split) kept += piece;
    else stripped += piece;
  }
  if (!split) return { ok: true, source: `^()(${stripped})$` };
  return { ok: true, source: `^(${stripped})(${kept})$` };
}

/** Parses and validates a rules text; reports every bad line. */
export function parseDialingRules(text: string): ParsedDialingRules {
  const problems: DialingRuleProblem[] = [];
  const rules: DialingRule[] = [];
  if (text.length > MAX_DIALING_RULES_LENGTH) {
    return {
      ok: false,
      problems: [{ line: 1, column: 1, message: `longer than ${MAX_DIALING_RULES_LENGTH} characters` }],
    };
  }
  text.split(/\r\n|\n|\r/).forEach((raw, index) => {
    const line = index + 1;
    const content = raw.replace(COMMENT, '').trim();
    if (content === '') return;
    const arrow = content.indexOf('=>');
    if (arrow < 0) {
      problems.push({ line, column: 1, message: 'expected PATTERN => REPLACEMENT' });
      return;
    }
    const pattern = content.slice(0, arrow).trim();
    const replacement = content.slice(arrow + 2).trim();
    const offset = raw.indexOf(content);
    if (pattern === '') {
      problems.push({ line, column: offset + 1, message: 'the pattern is empty' });
      return;
    }
    if (!REPLACEMENT.test(replacement)) {
      problems.push({
        line,
        column: offset + content.indexOf(replacement, arrow + 2) + 1,
        message: 'the replacement may hold only digits, "*", "#" and "+"',
      });
      return;
    }
    const compiled = compilePattern(pattern);
    if (!compiled.ok) {
      problems.push({ line, column: offset + compiled.column, message: compiled.message });
      return;
    }
    rules.push({ line, pattern, replacement, regex: new RegExp(compiled.source) });
  });
  if (rules.length > MAX_DIALING_RULES) {
    problems.push({
      line: rules[MAX_DIALING_RULES]!.line,
      column: 1,
      message: `more than ${MAX_DIALING_RULES} rules`,
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rules };
}

/** Removes the separators people type in numbers ("+44 (0)20-7946 0000" → "+440207946000"). */
export function normaliseDialedNumber(number: string): string {
  const compact = number.trim().replace(SEPARATORS, '');
  return DIALABLE.test(compact) ? compact : number.trim();
}

export interface DialingResult {
  /** The number to dial. */
  readonly number: string;
  /** The rule that rewrote it, if one matched. */
  readonly rule: DialingRule | undefined;
}

/** Applies the first matching rule. Throws if `rules` is a text that does not parse. */
export function matchDialingRules(number: string, rules: string | readonly DialingRule[]): DialingResult {
  let list: readonly DialingRule[];
  if (typeof rules === 'string') {
    const parsed = parseDialingRules(rules);
    if (!parsed.ok) {
      const first = parsed.problems[0]!;
      throw new Error(`invalid dialing rules: line ${first.line}: ${first.message}`);
    }
    list = parsed.rules;
  } else list = rules;
  const dialed = normaliseDialedNumber(number);
  if (!DIALABLE.test(dialed)) return { number: dialed, rule: undefined };
  for (const rule of list) {
    const m = rule.regex.exec(dialed);
    if (m) return { number: rule.replacement + dialed.slice(m[1]!.length), rule };
  }
  return { number: dialed, rule: undefined };
}

/** The number to dial after the line's rules (unchanged when none matches). */
export function applyDialingRules(number: string, rules: string | readonly DialingRule[]): string {
  return matchDialingRules(number, rules).number;
}
