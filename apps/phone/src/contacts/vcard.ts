// vCard import (RFC 6350, and the 2.1/3.0 files phones and mail programs still write): one
// contact per BEGIN:VCARD…END:VCARD with FN (or N), every TEL with its TYPE as the label, EMAIL,
// ORG. Folded lines (§3.2) are unfolded; quoted-printable 2.1 values are decoded.
import type { ContactDraft, PhoneNumberEntry } from '../model/contacts.ts';

function unfold(text: string): string[] {
  const lines: string[] = [];
  for (const raw of text.split(/\r\n|\r|\n/)) {
    if ((raw.startsWith(' ') || raw.startsWith('\t')) && lines.length > 0)
      lines[lines.length - 1] += raw.slice(1);
    else if (
      lines.length > 0 &&
      /=$/.test(lines[lines.length - 1]!) &&
      /QUOTED-PRINTABLE/i.test(lines[lines.length - 1]!)
    )
      lines[lines.length - 1] = lines[lines.length - 1]!.slice(0, -1) + raw;
    else lines.push(raw);
  }
  return lines;
}

function unescapeValue(value: string): string {
  return value.replace(/\\([\\,;nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

function decodeQuotedPrintable(value: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '=' && /^[0-9A-F]{2}$/i.test(value.slice(i + 1, i + 3))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(value.charCodeAt(i));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

const LABELS: Record<string, string> = {
  cell: 'Mobile',
  mobile: 'Mobile',
  work: 'Work',
  home: 'Home',
  main: 'Main',
  fax: 'Fax',
  voice: 'Phone',
  pref: 'Phone',
};

function labelOf(params: string[]): string {
  const types = params
    .flatMap((p) => {
      const [name, value] = p.includes('=') ? (p.split('=') as [string, string]) : ['TYPE', p];
      return name.toUpperCase() === 'TYPE' ? value.split(',') : [];
    })
    .map((t) => t.replace(/"/g, '').toLowerCase());
  for (const t of types) if (t !== 'voice' && t !== 'pref' && LABELS[t]) return LABELS[t];
  return 'Phone';
}

export function parseVCards(text: string): ContactDraft[] {
  const drafts: ContactDraft[] = [];
  let card:
    { fn?: string; n?: string; numbers: PhoneNumberEntry[]; email?: string; org?: string } | undefined;
  for (const line of unfold(text)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const [nameWithGroup, ...params] = line.slice(0, colon).split(';');
    const name = (nameWithGroup ?? '').replace(/^[^.]*\./, '').toUpperCase();
    let value = line.slice(colon + 1);
    if (params.some((p) => /ENCODING=QUOTED-PRINTABLE|^QUOTED-PRINTABLE$/i.test(p)))
      value = decodeQuotedPrintable(value);
    if (name === 'BEGIN' && value.toUpperCase() === 'VCARD') card = { numbers: [] };
    else if (!card) continue;
    else if (name === 'END' && value.toUpperCase() === 'VCARD') {
      const fromN = (card.n ?? '')
        .split(';')
        .slice(0, 2)
        .reverse()
        .map((s) => s.trim())
        .filter(Boolean)
        .join(' ');
      const displayName = (card.fn ?? '').trim() || fromN || card.org || card.numbers[0]?.number || '';
      if (displayName && (card.numbers.length > 0 || card.email))
        drafts.push({
          name: displayName,
          numbers: card.numbers,
          ...(card.email && { email: card.email }),
          ...(card.org && { company: card.org }),
        });
      card = undefined;
    } else if (name === 'FN') card.fn = unescapeValue(value);
    else if (name === 'N') card.n = value;
    else if (name === 'TEL') {
      const number = unescapeValue(value.replace(/^tel:/i, '')).trim();
      if (number) card.numbers.push({ label: labelOf(params), number });
    } else if (name === 'EMAIL') card.email ??= unescapeValue(value).trim();
    else if (name === 'ORG') card.org = unescapeValue(value.split(';')[0] ?? '').trim();
  }
  return drafts;
}
