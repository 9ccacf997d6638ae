// The Voicemail window: the messages of the device's lines (new first), each with the caller
// (the app's contact name, else the name the PBX knew, else the number), date and time, length
// and New/Heard; Play (in the app: marks it heard), Mark as heard/new, Delete.
import { useState } from 'react';
import type { DeviceVoicemailMessage } from '@switchboard/contracts';
import { useI18n } from '../i18n/i18n.tsx';
import { findContactByNumber } from '../model/contacts.ts';
import { formatDuration } from '../model/recents.ts';
import { useServices } from '../phone/use-services.ts';
import { AudioPlayer } from '../recordings/audio-player.tsx';
import { useApp, usePhone, useStore } from '../ui/app-context.tsx';
import { Avatar } from '../ui/avatar.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { Icon } from '../ui/icons.tsx';

export function VoicemailDialog({ onClose }: { readonly onClose: () => void }) {
  const { t, formatDateTime } = useI18n();
  const { engine, stores } = useApp();
  const services = useServices();
  const phone = usePhone();
  const contacts = useStore(stores.contacts);
  const [playing, setPlaying] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const several = phone.lines.length > 1;

  const run = (work: Promise<unknown>) =>
    work.catch((e: unknown) => setError(t('services.refused', { reason: String(e) })));

  const nameOf = (m: DeviceVoicemailMessage) =>
    findContactByNumber(contacts, m.caller)?.name ?? (m.callerName || m.caller || '?');

  return (
    <Dialog title={t('voicemail.title')} onClose={onClose} wide>
      {error && (
        <p className="banner" role="alert">
          {error}
        </p>
      )}
      {services.messages.length === 0 ? (
        <p className="empty">{t('voicemail.empty')}</p>
      ) : (
        <ul className="record-list voicemail-list" aria-label={t('voicemail.title')}>
          {services.messages.map((m) => {
            const who = nameOf(m);
            const line = phone.lines.find((l) => l.id === m.accountId);
            return (
              <li
                key={m.id}
                className={m.folder === 'new' ? 'record voicemail new' : 'record voicemail'}
                aria-label={`${t('voicemail.message', { name: who })}, ${
                  m.folder === 'new' ? t('voicemail.new') : t('voicemail.heard')
                }`}
              >
                <Avatar
                  name={who}
                  picture={findContactByNumber(contacts, m.caller)?.avatar}
                  unknown={!findContactByNumber(contacts, m.caller)}
                  size={40}
                />
                <span className="record-who">
                  <span className="record-name">{who}</span>
                  {who !== m.caller && <span className="record-number">{m.caller}</span>}
                  {several && line && <span className="record-number">{line.name}</span>}
                </span>
                <span className="record-when">
                  <time dateTime={m.createdAt}>{formatDateTime(m.createdAt)}</time>
                  <span className="record-duration">{formatDuration(m.durationMs / 1000)}</span>
                  <span className={m.folder === 'new' ? 'badge new' : 'badge'}>
                    {m.folder === 'new' ? t('voicemail.new') : t('voicemail.heard')}
                  </span>
                </span>
                <span className="record-actions">
                  <button
                    type="button"
                    className="party-action good"
                    aria-label={t('voicemail.play', { name: who })}
                    onClick={() => setPlaying(m.id)}
                  >
                    <Icon name="play" size={18} />
                  </button>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => void run(engine.services.markHeard(m, m.folder === 'new'))}
                  >
                    {m.folder === 'new' ? t('voicemail.markHeard') : t('voicemail.markNew')}
                  </button>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={t('voicemail.delete')}
                    title={t('voicemail.delete')}
                    onClick={() => {
                      if (confirm(t('voicemail.deleteConfirm'))) void run(engine.services.deleteMessage(m));
                    }}
                  >
                    <Icon name="trash" size={18} />
                  </button>
                </span>
                {playing === m.id && (
                  <AudioPlayer
                    audioUrl={m.audioUrl}
                    label={t('voicemail.message', { name: who })}
                    onPlay={() => void run(engine.services.markHeard(m))}
                  />
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Dialog>
  );
}

/** The top bar's Voicemail button with the message-waiting badge (new messages, all lines). */
export function VoicemailButton() {
  const { t } = useI18n();
  const { engine } = useApp();
  const services = useServices();
  const [open, setOpen] = useState(false);
  const count = Object.values(services.counts).reduce((n, c) => n + c.newMessages, 0);
  return (
    <>
      <button
        type="button"
        className={count > 0 ? 'voicemail-button waiting' : 'voicemail-button'}
        aria-label={count > 0 ? t('voicemail.openNew', { count }) : t('voicemail.open')}
        // Where the count came from: SIP NOTIFYs on a line (RFC 3842), else the API.
        data-mwi={Object.keys(services.mwi).length > 0 ? 'sip' : 'api'}
        onClick={() => {
          setOpen(true);
          void engine.services.refreshVoicemail();
        }}
      >
        <span aria-hidden="true">✉</span>
        {count > 0 && (
          <span className="mwi-badge" role="status" aria-label={t('voicemail.waiting', { count })}>
            {count}
          </span>
        )}
      </button>
      {open && <VoicemailDialog onClose={() => setOpen(false)} />}
    </>
  );
}
