// A list of call records: the arrow (inbound/outbound, green when the call succeeded), who, date
// and time, duration mm:ss, and buttons to call back, save the number, or delete the record.
// Used by the Recents tab and, filtered, by the Contact Info and Account Info windows. The
// device's own records are merged with the PBX's history of the user's lines (every device),
// and a call the PBX recorded offers its recordings to play.
import { useMemo, useState } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/en.ts';
import { findContactByNumber } from '../model/contacts.ts';
import {
  filterRecords,
  formatDuration,
  mergeRecords,
  RECENTS_FILTERS,
  wasSuccessful,
  type CallRecord,
  type RecentsFilter,
} from '../model/recents.ts';
import { useServices } from '../phone/use-services.ts';
import { AudioPlayer } from '../recordings/audio-player.tsx';
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
  const { stores, engine } = useApp();
  const local = useStore(stores.recents);
  const services = useServices();
  const hidden = useStore(engine.services.hidden);
  const records = useMemo(
    () => mergeRecords(local, services.history, new Set(hidden)),
    [local, services.history, hidden],
  );
  const contacts = useStore(stores.contacts);
  const [filter, setFilter] = useState<RecentsFilter>('all');
  const [playing, setPlaying] = useState<string | undefined>();
  const remove = (r: CallRecord) => {
    // A PBX record is hidden on this device (the PBX keeps the user's history).
    if (r.serverId) engine.services.hide(`pbx:${r.serverId}`);
    stores.recents.set((list) => list.filter((x) => x.id !== r.id));
  };
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
                  {r.lineName && (
                    <span className="record-number">{t('services.otherLine', { line: r.lineName })}</span>
                  )}
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
                  {r.recordings?.map((rec) => (
                    <button
                      key={rec.id}
                      type="button"
                      className="icon-button recording"
                      aria-label={t('recording.play')}
                      title={`${t('recording.play')} (${formatDuration(rec.durationMs / 1000)})`}
                      aria-pressed={playing === rec.id}
                      onClick={() => setPlaying((p) => (p === rec.id ? undefined : rec.id))}
                    >
                      <Icon name="play" size={18} />
                    </button>
                  ))}
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
                    onClick={() => remove(r)}
                  >
                    <Icon name="trash" size={18} />
                  </button>
                </span>
                {r.recordings
                  ?.filter((rec) => rec.id === playing)
                  .map((rec) => (
                    <AudioPlayer
                      key={rec.id}
                      audioUrl={rec.audioUrl}
                      label={t('recording.player', { name: who })}
                    />
                  ))}
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
