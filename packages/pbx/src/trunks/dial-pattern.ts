// Outbound route patterns, in the habit of Asterisk extension patterns (without the leading
// `_`): digits, `+`, `*` and `#` match themselves; `X` any digit, `Z` 1-9, `N` 2-9; `[…]` one
// digit of a set (`[2469]`, `[1-5]`); a final `.` one or more further characters, a final `!`
// zero or more. Without `.` or `!` the whole number must match exactly.

type Token =
  { readonly kind: 'set'; readonly chars: string } | { readonly kind: 'rest'; readonly min: number };

function tokens(pattern: string): Token[] | undefined {
  const out: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!.toUpperCase();
    if (c === 'X') out.push({ kind: 'set', chars: '0123456789' });
    else if (c === 'Z') out.push({ kind: 'set', chars: '123456789' });
    else if (c === 'N') out.push({ kind: 'set', chars: '23456789' });
    else if (c === '.' || c === '!') {
      if (i !== pattern.length - 1) return undefined;
      out.push({ kind: 'rest', min: c === '.' ? 1 : 0 });
    } else if (c === '[') {
      const end = pattern.indexOf(']', i);
      if (end < 0) return undefined;
      let chars = '';
      const body = pattern.slice(i + 1, end);
      for (let j = 0; j < body.length; j++) {
        const from = body[j]!;
        if (body[j + 1] === '-' && body[j + 2] !== undefined) {
          const to = body[j + 2]!;
          for (let d = from.charCodeAt(0); d <= to.charCodeAt(0); d++) chars += String.fromCharCode(d);
          j += 2;
        } else chars += from;
      }
      if (!/^[0-9]+$/.test(chars)) return undefined;
      out.push({ kind: 'set', chars });
      i = end;
    } else if (/[0-9+*#]/.test(c)) out.push({ kind: 'set', chars: c });
    else return undefined;
  }
  return out;
}

/** Whether `number` matches `pattern` as a whole; false for a malformed pattern. */
export function matchesDialPattern(pattern: string, number: string): boolean {
  const list = tokens(pattern);
  if (!list || list.length === 0) return false;
  for (let i = 0; i < list.length; i++) {
    const token = list[i]!;
    if (token.kind === 'rest') return number.length - i >= token.min;
    const c = number[i];
    if (c === undefined || !token.chars.includes(c)) return false;
  }
  return number.length === list.length;
}

/** The number sent to the provider: `strip` digits removed from the front, `prepend` added. */
export function rewriteNumber(number: string, strip: number, prepend: string): string {
  return prepend + number.slice(Math.min(strip, number.length));
}

/** What a dialled string means as a number: separators removed; undefined if it is none. */
export function normaliseDialled(dialled: string): string | undefined {
  const bare = dialled.replace(/[\s\-.()/]/g, '');
  return /^\+?[0-9*#]{1,32}$/.test(bare) ? bare : undefined;
}
