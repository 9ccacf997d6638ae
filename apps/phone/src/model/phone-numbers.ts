// Telephone numbers as people type them and as SIP carries them: comparison ignores formatting,
// and a long number matches on its last nine digits (a national and an international form of
// the same number, "+44 20 7946 0000" and "020 7946 0000", are the same contact).
export function digitsOf(number: string): string {
  const trimmed = number.trim();
  const plus = trimmed.startsWith('+') ? '+' : '';
  return plus + trimmed.replace(/[^0-9*#a-zA-Z]/g, '');
}

const SUFFIX = 9;

export function sameNumber(a: string, b: string): boolean {
  const x = digitsOf(a).replace(/^\+/, '').toLowerCase();
  const y = digitsOf(b).replace(/^\+/, '').toLowerCase();
  if (x === '' || y === '') return false;
  if (x === y) return true;
  if (/^\d+$/.test(x) && /^\d+$/.test(y) && x.length >= SUFFIX && y.length >= SUFFIX)
    return x.slice(-SUFFIX) === y.slice(-SUFFIX);
  return false;
}

/**
 * The number inside a link or pasted text: `tel:+1-555-0100`, `sip:1002@pbx.example`,
 * `callto:1002`, `callto://1002`, or plain text. SIP addresses of another domain are kept whole.
 */
export function numberFromLink(input: string): string {
  let text = decodeURIComponent(input.trim());
  const scheme = /^(tel|sips?|callto|web\+callto):(\/\/)?/i.exec(text);
  if (scheme) text = text.slice(scheme[0].length);
  text = text.split(/[;?]/)[0] ?? '';
  const sipLike = scheme !== null && /^sips?:/i.test(scheme[0]);
  if (sipLike && text.includes('@')) {
    const [user, host] = text.split('@') as [string, string];
    return /^[+\d*#]/.test(user) ? user : `${user}@${host}`;
  }
  return text.replace(/[\s().-]/g, '') || text;
}
