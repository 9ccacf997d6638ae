// Recents, Favorites and Contacts. Every avatar can be dragged to the Home Circle (call), onto
// the wheel (pin) or onto nothing; every row has the same actions as buttons.
import { useRef, useState, type KeyboardEvent } from 'react';
import { CallPhase } from '../calls/call-phase.ts';
import { parseContactsCsv } from '../contacts/csv.ts';
import { parseVCards } from '../contacts/vcard.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { defaultNumberOf, sortContacts, type Contact } from '../model/contacts.ts';
import { activeNoteCount } from '../model/notes.ts';
import { RecentsList } from '../recents/recents-list.tsx';
import { useApp, usePhone, useStore } from '../ui/app-context.tsx';
import { Avatar } from '../ui/avatar.tsx';
import { newId } from '../storage/local-store.ts';
import { useDrag } from './drag.tsx';
import { keyOf, primaryCall } from './parties.ts';
import type { HomeActions, HomeDialog } from './use-home-actions.ts';

type Tab = 'recents' | 'favorites' | 'contacts';
const TABS: readonly Tab[] = ['recents', 'favorites', 'contacts'];

export function SideTabs({
  actions,
  open,
}: {
  readonly actions: HomeActions;
  readonly open: (d: HomeDialog) => void;
}) {
  const { t } = useI18n();
  const { stores } = useApp();
  const phone = usePhone();
  const contacts = useStore(stores.contacts);
  const notes = useStore(stores.notes);
  const { handlers } = useDrag();
  const [tab, setTab] = useState<Tab>('recents');
  const [search, setSearch] = useState('');
  const [importNote, setImportNote] = useState<{ text: string; failed: boolean } | undefined>();
  const fileInput = useRef<HTMLInputElement>(null);
  const inCall = phone.calls.some((c) => c.phase === CallPhase.Active || c.phase === CallPhase.Dialing);
  const current = primaryCall(phone.calls);
  const transferCallId = current?.phase === CallPhase.Active ? current.id : undefined;
  const label = (tabName: Tab) => t(`tabs.${tabName}`);

  const onTabKey = (e: KeyboardEvent) => {
    const i = TABS.indexOf(tab);
    const next =
      e.key === 'ArrowRight' ? TABS[(i + 1) % 3] : e.key === 'ArrowLeft' ? TABS[(i + 2) % 3] : undefined;
    if (next) {
      setTab(next);
      document.getElementById(`tab-${next}`)?.focus();
    }
  };

  const importFile = async (file: File) => {
    const text = await file.text();
    const drafts =
      /\.csv$/i.test(file.name) || file.type === 'text/csv' ? parseContactsCsv(text) : parseVCards(text);
    if (drafts.length === 0) {
      setImportNote({ text: t('tabs.importFailed'), failed: true });
      return;
    }
    const now = new Date().toISOString();
    stores.contacts.set((list) => [
      ...list,
      ...drafts.map<Contact>((d) => ({
        id: newId('contact'),
        name: d.name,
        numbers: d.numbers,
        defaultNumber: 0,
        favorite: false,
        ...(d.email && { email: d.email }),
        ...(d.company && { company: d.company }),
        createdAt: now,
        updatedAt: now,
      })),
    ]);
    setImportNote({ text: t('tabs.imported', { count: drafts.length }), failed: false });
  };

  const contactRows = (list: readonly Contact[]) => (
    <ul className="contact-list" aria-label={label(tab)}>
      {list.map((c) => {
        const key = `contact:${c.id}`;
        const number = defaultNumberOf(c) ?? '';
        return (
          <li key={c.id} className="contact-row" data-drop={key} aria-label={c.name}>
            <button
              type="button"
              className="contact-avatar"
              aria-label={t('contact.infoFor', { name: c.name })}
              onClick={(e) => e.detail === 0 && open({ kind: 'contact', key })}
              {...handlers({ kind: 'contact', key, onWheel: false }, c.name, () =>
                open({ kind: 'contact', key }),
              )}
            >
              <Avatar name={c.name} picture={c.avatar} size={40} notes={activeNoteCount(notes, key)} />
            </button>
            <span className="contact-text">
              <span className="contact-name">
                {c.name}
                {c.favorite && <span aria-hidden="true"> ★</span>}
              </span>
              <span className="contact-number">{number}</span>
            </span>
            <span className="record-actions">
              {inCall ? (
                <button
                  type="button"
                  className="party-action"
                  onClick={() => actions.callKey(key, { conference: true })}
                >
                  {t('action.conference')}
                </button>
              ) : (
                <button type="button" className="party-action good" onClick={() => actions.callKey(key)}>
                  {t('action.call')}
                </button>
              )}
              {transferCallId && (
                <button
                  type="button"
                  className="party-action"
                  onClick={() => open({ kind: 'transfer-menu', callId: transferCallId, key })}
                >
                  {t('action.transfer')}
                </button>
              )}
            </span>
          </li>
        );
      })}
    </ul>
  );

  const filtered = sortContacts(contacts).filter((c) => {
    const q = search.trim().toLowerCase();
    return !q || c.name.toLowerCase().includes(q) || c.numbers.some((n) => n.number.includes(q));
  });

  return (
    <aside className="side" aria-label={t('tabs.label')}>
      <div role="tablist" aria-label={t('tabs.label')} className="tabs" onKeyDown={onTabKey}>
        {TABS.map((name) => (
          <button
            key={name}
            id={`tab-${name}`}
            type="button"
            role="tab"
            aria-selected={tab === name}
            aria-controls={`panel-${name}`}
            tabIndex={tab === name ? 0 : -1}
            onClick={() => setTab(name)}
          >
            {label(name)}
          </button>
        ))}
      </div>
      <div id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`} className="tab-panel">
        {tab === 'recents' && (
          <RecentsList
            label={label('recents')}
            onCall={(r) => actions.callKey(keyOf(contacts, r.number), { number: r.number })}
            onOpen={(r) => open({ kind: 'contact', key: keyOf(contacts, r.number) })}
            onCreateContact={(number) => open({ kind: 'contact-form', number })}
            drag={(r) => {
              const key = keyOf(contacts, r.number);
              return handlers({ kind: 'contact', key, onWheel: false }, r.name ?? r.number, () =>
                open({ kind: 'contact', key }),
              );
            }}
          />
        )}
        {tab === 'favorites' &&
          (contacts.some((c) => c.favorite) ? (
            contactRows(sortContacts(contacts.filter((c) => c.favorite)))
          ) : (
            <p className="empty">{t('tabs.noFavorites')}</p>
          ))}
        {tab === 'contacts' && (
          <>
            <div className="contacts-tools">
              <label className="visually-hidden" htmlFor="contact-search">
                {t('tabs.search')}
              </label>
              <input
                id="contact-search"
                type="search"
                placeholder={t('tabs.search')}
                value={search}
                onChange={(e) => setSearch(e.target.value)}
              />
              <button type="button" onClick={() => open({ kind: 'contact-form' })}>
                {t('tabs.newContact')}
              </button>
              <button type="button" onClick={() => fileInput.current?.click()}>
                {t('tabs.import')}
              </button>
              <input
                ref={fileInput}
                type="file"
                accept=".vcf,.vcard,.csv,text/vcard,text/csv"
                hidden
                aria-label={t('tabs.import')}
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  if (file) void importFile(file);
                  e.target.value = '';
                }}
              />
            </div>
            {importNote && (
              // A refused file is an error the user must notice (an alert); a success is a status.
              <p
                role={importNote.failed ? 'alert' : 'status'}
                className={importNote.failed ? 'error' : 'notice'}
              >
                {importNote.text}
              </p>
            )}
            {filtered.length === 0 ? <p className="empty">{t('tabs.noContacts')}</p> : contactRows(filtered)}
          </>
        )}
      </div>
    </aside>
  );
}
