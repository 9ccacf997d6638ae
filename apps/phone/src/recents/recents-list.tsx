// A list of call records: the arrow (inbound/outbound, green when the call succeeded), who, date
// and time, duration mm:ss, and buttons to call back, save the number, or delete the record.
// Used by the Recents tab and, filtered, by the Contact Info and Account Info windows.
import { useState } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/en.ts';
import { findContactByNumber } from '../model/contacts.ts';
import {
  filterRecords,
  formatDuration,
  RECENTS_FILTERS,
  wasSuccessful,
  type CallRecord,
  type RecentsFilter,
} from '../model/recents.ts';
import { useApp, useStore } from '../ui/app-context.tsx';
import { Avatar } from '../ui/avatar.tsx';
import { Icon } from '../ui/icons.tsx';

export interface RecentsListProps {
  /** Only calls with these numbers (a contact's). */
  readonly numbers?: readonly string[];
  readonly showFilters?: boolean;
  readonly onCall: (record: CallRecord) => void;
  readonly onOpen?: (record: CallRecord) => void;
  readonly onCreateContact?: (number: string) => void;
  readonly drag?: (record: CallRecord) => Record<string, unknown>;
  readonly label: string;
}

export function RecentsList({
  numbers,
  showFilters = true,
  onCall,
  onOpen,
  onCreateContact,
  drag,
  label,
}: RecentsListProps) {
  const { t, formatDateTime } = useI18n();
  const { stores } = useApp();
  const records = useStore(stores.recents);
  const contacts = useStore(stores.contacts);
  const [filter, setFilter] = useState<RecentsFilter>('all');
  const shown = filterRecords(records, filter, numbers);

  const arrowLabel = (r: CallRecord) =>
    r.direction === 'inbound'
      ? wasSuccessful(r)
        ? t('recents.inboundOk')
        : t('recents.inboundMissed')
      : wasSuccessful(r)
        ? t('recents.outboundOk')
        : t('recents.outboundFailed');

  return (
    <div className="recents">
      {shown.length === 0 ? (
        <p className="empty">{t('tabs.noRecents')}</p>
      ) : (
        <ul className="record-list" aria-label={label}>
          {shown.map((r) => {
            const contact = findContactByNumber(contacts, r.number);
            const who = contact?.name ?? r.name ?? r.number;
            return (
              <li key={r.id} className="record" aria-label={`${arrowLabel(r)}, ${who}`}>
                <button
                  type="button"
                  className="record-avatar"
                  aria-label={t('contact.infoFor', { name: who })}
                  onClick={(e) => e.detail === 0 && onOpen?.(r)}
                  {...(drag?.(r) ?? {})}
                >
                  <Avatar name={who} picture={contact?.avatar} unknown={!contact} size={40} />
                </button>
                <span
                  className={`arrow ${r.direction} ${wasSuccessful(r) ? 'ok' : 'failed'}`}
                  role="img"
                  aria-label={arrowLabel(r)}
                  title={arrowLabel(r)}
                >
                  <Icon name={r.direction === 'inbound' ? 'arrowIn' : 'arrowOut'} size={20} />
                </span>
                <span className="record-who">
                  <span className="record-name">{who}</span>
                  {who !== r.number && <span className="record-number">{r.number}</span>}
                </span>
                <span className="record-when">
                  <time dateTime={r.startedAt}>{formatDateTime(r.startedAt)}</time>
                  <span
                    className="record-duration"
                    aria-label={`${t('recents.duration')} ${formatDuration(r.durationSeconds)}`}
                  >
                    {formatDuration(r.durationSeconds)}
                  </span>
                </span>
                <span className="record-actions">
                  <button type="button" className="party-action good" onClick={() => onCall(r)}>
                    {t('action.call')}
                  </button>
                  {!contact && onCreateContact && (
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={t('recents.addContact')}
                      title={t('recents.addContact')}
                      onClick={() => onCreateContact(r.number)}
                    >
                      <Icon name="plus" size={18} />
                    </button>
                  )}
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={t('recents.delete')}
                    title={t('recents.delete')}
                    onClick={() => stores.recents.set((list) => list.filter((x) => x.id !== r.id))}
                  >
                    <Icon name="trash" size={18} />
                  </button>
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {showFilters && (
        <div className="filters" role="radiogroup" aria-label={t('recents.filter')}>
          {RECENTS_FILTERS.map((f) => (
            <label key={f} className={f === filter ? 'chip on' : 'chip'}>
              <input
                type="radio"
                name={`filter-${label}`}
                value={f}
                checked={f === filter}
                onChange={() => setFilter(f)}
              />
              {t(`recents.filter.${f}` as MessageKey)}
            </label>
          ))}
        </div>
      )}
    </div>
  );
}
