// Contact Info: the person's numbers (click one to call it; choose the default), default line,
// favourite star, Edit, their recent calls with filters, and notes. An unknown number gets a
// question-mark avatar and a ＋ to save it as a contact.
import { CallPhase } from '../calls/call-phase.ts';
import type { HomeActions, HomeDialog } from '../home/use-home-actions.ts';
import { partyFromKey } from '../home/parties.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { activeNoteCount } from '../model/notes.ts';
import { NotesPanel } from '../notes/notes-panel.tsx';
import { RecentsList } from '../recents/recents-list.tsx';
import { useApp, usePhone, useStore } from '../ui/app-context.tsx';
import { Avatar } from '../ui/avatar.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { Icon } from '../ui/icons.tsx';

export interface ContactInfoProps {
  readonly partyKey: string;
  readonly actions: HomeActions;
  readonly open: (dialog: HomeDialog) => void;
  readonly onClose: () => void;
}

export function ContactInfo({ partyKey, actions, open, onClose }: ContactInfoProps) {
  const { t } = useI18n();
  const { stores } = useApp();
  const phone = usePhone();
  const contacts = useStore(stores.contacts);
  const notes = useStore(stores.notes);
  const party = partyFromKey(contacts, partyKey);
  const contact = party.contact;
  const inCall = phone.calls.some((c) => c.phase === CallPhase.Active || c.phase === CallPhase.Dialing);
  const update = (change: Partial<NonNullable<typeof contact>>) => {
    if (!contact) return;
    stores.contacts.set((list) =>
      list.map((c) => (c.id === contact.id ? { ...c, ...change, updatedAt: new Date().toISOString() } : c)),
    );
  };
  const numbers = contact ? contact.numbers.map((n) => n.number) : [party.number];
  const call = (number: string) => {
    actions.callKey(partyKey, { number, conference: inCall });
    onClose();
  };

  return (
    <Dialog title={t('contact.infoFor', { name: party.name })} onClose={onClose} wide>
      <div className="info-head">
        <Avatar
          name={party.name}
          picture={contact?.avatar}
          unknown={!contact}
          size={88}
          notes={activeNoteCount(notes, partyKey)}
        />
        <div className="info-title">
          <p className="info-name">{contact ? party.name : t('contact.unknown')}</p>
          {contact?.company && <p>{contact.company}</p>}
          {contact?.email && <p>{contact.email}</p>}
        </div>
        <div className="info-tools">
          {contact ? (
            <>
              <button
                type="button"
                className={contact.favorite ? 'star on' : 'star'}
                aria-pressed={contact.favorite}
                aria-label={t('contact.favorite')}
                title={t('contact.favorite')}
                onClick={() => update({ favorite: !contact.favorite })}
              >
                {contact.favorite ? '★' : '☆'}
              </button>
              <button type="button" onClick={() => open({ kind: 'contact-form', contactId: contact.id })}>
                {t('app.edit')}
              </button>
            </>
          ) : (
            <button
              type="button"
              aria-label={t('contact.create')}
              title={t('contact.create')}
              onClick={() => open({ kind: 'contact-form', number: party.number })}
            >
              <Icon name="plus" size={18} />
            </button>
          )}
        </div>
      </div>
      <section aria-labelledby="info-numbers">
        <h3 id="info-numbers">{t('contact.numbers')}</h3>
        <ul className="number-list">
          {(contact?.numbers ?? [{ label: '', number: party.number }]).map((n, i) => (
            <li key={`${n.number}-${i}`}>
              <button
                type="button"
                className="number-call"
                aria-label={t('contact.callNumber', { number: n.number })}
                onClick={() => call(n.number)}
              >
                <span className="number-label">{n.label}</span> {n.number}
              </button>
              {contact && contact.numbers.length > 1 && (
                <label className="check">
                  <input
                    type="radio"
                    name="default-number"
                    checked={contact.defaultNumber === i}
                    onChange={() => update({ defaultNumber: i })}
                  />
                  {t('contact.defaultNumber')}
                </label>
              )}
            </li>
          ))}
        </ul>
        {contact && phone.lines.length > 1 && (
          <label className="field">
            <span>{t('contact.defaultLine')}</span>
            <select
              value={contact.defaultLineId ?? ''}
              onChange={(e) => update({ defaultLineId: e.target.value || undefined })}
            >
              <option value="">{t('contact.selectedLine')}</option>
              {phone.lines.map((line) => (
                <option key={line.id} value={line.id}>
                  {line.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </section>
      <div className="info-columns">
        <section aria-labelledby="info-recents">
          <h3 id="info-recents">{t('contact.recentCalls')}</h3>
          <RecentsList label={t('contact.recentCalls')} numbers={numbers} onCall={(r) => call(r.number)} />
        </section>
        <NotesPanel subject={partyKey} />
      </div>
    </Dialog>
  );
}
