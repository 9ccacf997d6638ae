// CSV import of contacts (RFC 4180 quoting; comma or semicolon, as spreadsheets export). The
// first row names the columns; recognised (any case, English or French): name / first name /
// last name, phone / mobile / work / home (each a number), email, company.
import type { ContactDraft, PhoneNumberEntry } from '../model/contacts.ts';

export function parseCsvRows(text: string): string[][] {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const separator = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === separator) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

type Column = 'name' | 'first' | 'last' | 'email' | 'company' | { phone: string };

function columnOf(header: string): Column | undefined {
  const h = header.trim().toLowerCase().replace(/[_-]/g, ' ');
  if (['name', 'full name', 'display name', 'nom complet', 'contact name'].includes(h)) return 'name';
  if (['first name', 'given name', 'prénom', 'prenom'].includes(h)) return 'first';
  if (['last name', 'family name', 'surname', 'nom'].includes(h)) return 'last';
  if (/^e ?mail/.test(h) || h === 'courriel') return 'email';
  if (['company', 'organization', 'organisation', 'société', 'societe'].includes(h)) return 'company';
  if (/mobile|cell|portable/.test(h)) return { phone: 'Mobile' };
  if (/work|business|bureau|travail/.test(h) && /phone|tel|number|numéro/.test(h)) return { phone: 'Work' };
  if (/home|domicile/.test(h) && /phone|tel|number|numéro/.test(h)) return { phone: 'Home' };
  if (/phone|tel|number|numéro|numero/.test(h)) return { phone: 'Phone' };
  return undefined;
}

export function parseContactsCsv(text: string): ContactDraft[] {
  const [header, ...rows] = parseCsvRows(text);
  if (!header) return [];
  const columns = header.map(columnOf);
  const drafts: ContactDraft[] = [];
  for (const row of rows) {
    let name = '';
    let first = '';
    let last = '';
    let email: string | undefined;
    let company: string | undefined;
    const numbers: PhoneNumberEntry[] = [];
    row.forEach((raw, i) => {
      const value = raw.trim();
      const column = columns[i];
      if (!value || !column) return;
      if (column === 'name') name = value;
      else if (column === 'first') first = value;
      else if (column === 'last') last = value;
      else if (column === 'email') email ??= value;
      else if (column === 'company') company = value;
      else numbers.push({ label: column.phone, number: value });
    });
    const displayName = name || [first, last].filter(Boolean).join(' ') || company || '';
    if (!displayName || numbers.length === 0) continue;
    drafts.push({
      name: displayName,
      numbers,
      ...(email !== undefined && { email }),
      ...(company !== undefined && { company }),
    });
  }
  return drafts;
}
