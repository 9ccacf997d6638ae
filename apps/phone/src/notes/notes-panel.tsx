// Notes about someone (or about yourself): add with ＋, click a note to edit, archive or delete
// it; each shows when it was written (and edited). Archived notes are greyed.
import { useState } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { notesOf, type Note } from '../model/notes.ts';
import { newId } from '../storage/local-store.ts';
import { useApp, useStore } from '../ui/app-context.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { Icon } from '../ui/icons.tsx';

export function NotesPanel({ subject }: { readonly subject: string }) {
  const { t, formatDateTime } = useI18n();
  const { stores } = useApp();
  const notes = notesOf(useStore(stores.notes), subject);
  const [editing, setEditing] = useState<Note | 'new' | undefined>();

  return (
    <section className="notes" aria-labelledby={`notes-${subject}`}>
      <div className="section-head">
        <h3 id={`notes-${subject}`}>{t('notes.title')}</h3>
        <button
          type="button"
          className="icon-button"
          aria-label={t('notes.add')}
          title={t('notes.add')}
          onClick={() => setEditing('new')}
        >
          <Icon name="plus" size={18} />
        </button>
      </div>
      {notes.length === 0 ? (
        <p className="empty">{t('notes.none')}</p>
      ) : (
        <ul className="note-list">
          {notes.map((note) => (
            <li key={note.id} className={note.archived ? 'note archived' : 'note'}>
              <button
                type="button"
                className="note-button"
                onClick={() => setEditing(note)}
                aria-label={`${t('notes.edit')}: ${note.text}`}
              >
                <span className="note-text">{note.text}</span>
                <span className="note-meta">
                  {t('notes.created', { date: formatDateTime(note.createdAt) })}
                  {note.updatedAt !== note.createdAt &&
                    ` · ${t('notes.updated', { date: formatDateTime(note.updatedAt) })}`}
                  {note.archived && ` · ${t('notes.archived')}`}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {editing && (
        <NoteDialog
          subject={subject}
          note={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
        />
      )}
    </section>
  );
}

function NoteDialog({
  subject,
  note,
  onClose,
}: {
  readonly subject: string;
  readonly note: Note | undefined;
  readonly onClose: () => void;
}) {
  const { t } = useI18n();
  const { stores } = useApp();
  const [text, setText] = useState(note?.text ?? '');
  const [archived, setArchived] = useState(note?.archived ?? false);
  const confirm = () => {
    if (!text.trim()) return;
    const now = new Date().toISOString();
    if (note) {
      const changed = text.trim() !== note.text || archived !== note.archived;
      stores.notes.set((all) =>
        all.map((n) =>
          n.id === note.id
            ? { ...n, text: text.trim(), archived, updatedAt: changed ? now : n.updatedAt }
            : n,
        ),
      );
    } else {
      stores.notes.set((all) => [
        ...all,
        { id: newId('note'), subject, text: text.trim(), archived, createdAt: now, updatedAt: now },
      ]);
    }
    onClose();
  };
  return (
    <Dialog
      title={note ? t('notes.edit') : t('notes.add')}
      onClose={onClose}
      footer={
        <>
          {note && (
            <button
              type="button"
              className="danger"
              onClick={() => {
                stores.notes.set((all) => all.filter((n) => n.id !== note.id));
                onClose();
              }}
            >
              {t('app.delete')}
            </button>
          )}
          <button type="button" onClick={onClose}>
            {t('app.cancel')}
          </button>
          <button type="button" className="primary" disabled={!text.trim()} onClick={confirm}>
            {t('app.confirm')}
          </button>
        </>
      }
    >
      <label className="field">
        <span>{t('notes.text')}</span>
        <textarea rows={4} value={text} onChange={(e) => setText(e.target.value)} autoFocus />
      </label>
      <label className="check">
        <input type="checkbox" checked={archived} onChange={(e) => setArchived(e.target.checked)} />
        {t('notes.archive')}
      </label>
    </Dialog>
  );
}
