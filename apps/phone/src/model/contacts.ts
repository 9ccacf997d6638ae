// Contacts the app keeps on the device: a name, one or more numbers (one the default), an
// optional default line, favourite and avatar. Unknown callers are not contacts: they show as a
// question mark and their number until the user saves them.
import { sameNumber } from './phone-numbers.ts';

export interface PhoneNumberEntry {
  readonly label: string;
  readonly number: string;
}

export interface Contact {
  readonly id: string;
  readonly name: string;
  readonly numbers: readonly PhoneNumberEntry[];
  /** Index into `numbers` of the number a call uses. */
  readonly defaultNumber: number;
  /** The line (account id) a call to this contact uses; undefined: the selected line. */
  readonly defaultLineId?: string;
  readonly email?: string;
  readonly company?: string;
  readonly favorite: boolean;
  /** A small data: URL. */
  readonly avatar?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export function defaultNumberOf(contact: Contact): string | undefined {
  return (contact.numbers[contact.defaultNumber] ?? contact.numbers[0])?.number;
}

export function findContactByNumber(contacts: readonly Contact[], number: string): Contact | undefined {
  return contacts.find((c) => c.numbers.some((n) => sameNumber(n.number, number)));
}

/** Initials for an avatar without a picture: "Ada Lovelace" → "AL". */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words[words.length - 1]!] : words;
  return letters.map((w) => [...w][0]!.toUpperCase()).join('') || '?';
}

export function sortContacts(contacts: readonly Contact[]): Contact[] {
  return [...contacts].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
}

/** A contact as an import or a form describes it, before it gets an id. */
export interface ContactDraft {
  readonly name: string;
  readonly numbers: readonly PhoneNumberEntry[];
  readonly email?: string;
  readonly company?: string;
}
