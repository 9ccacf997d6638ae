// Personal notes about a contact, an unknown number, or the user (Account Info). Archived notes
// stay, greyed; the avatar's badge counts the notes that are not archived.
export interface Note {
  readonly id: string;
  /** `self`, `contact:<id>` or `number:<digits>`. */
  readonly subject: string;
  readonly text: string;
  readonly archived: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const SELF_SUBJECT = 'self';

export function notesOf(notes: readonly Note[], subject: string): Note[] {
  return notes
    .filter((n) => n.subject === subject)
    .sort((a, b) => Number(a.archived) - Number(b.archived) || b.createdAt.localeCompare(a.createdAt));
}

export function activeNoteCount(notes: readonly Note[], subject: string): number {
  return notes.filter((n) => n.subject === subject && !n.archived).length;
}
