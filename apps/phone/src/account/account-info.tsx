// Account Info (the user's own avatar in the Home Circle): the lines and their status, Edit SIP
// passwords for manual lines, Do Not Disturb and call forwarding per line (kept by the PBX; the
// app's own only for lines of another provider), all recent calls with filters, personal
// notes, and signing out of the device.
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/en.ts';
import { keyOf } from '../home/parties.ts';
import type { HomeActions, HomeDialog } from '../home/use-home-actions.ts';
import { activeNoteCount, SELF_SUBJECT } from '../model/notes.ts';
import { NotesPanel } from '../notes/notes-panel.tsx';
import { useServices } from '../phone/use-services.ts';
import { RecentsList } from '../recents/recents-list.tsx';
import { useApp, usePhone, useStore } from '../ui/app-context.tsx';
import { Avatar } from '../ui/avatar.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { LineCallSettings } from './line-call-settings.tsx';

export function AccountInfo({
  open,
  actions,
  onClose,
}: {
  readonly open: (dialog: HomeDialog) => void;
  readonly actions: HomeActions;
  readonly onClose: () => void;
}) {
  const { t } = useI18n();
  const { stores, engine } = useApp();
  const phone = usePhone();
  const services = useServices();
  const settings = useStore(stores.settings);
  const notes = useStore(stores.notes);
  const contacts = useStore(stores.contacts);
  const device = useStore(stores.device);
  const me = phone.lines.find((l) => l.id === settings.selectedLineId) ?? phone.lines[0];
  const name = me?.displayName || me?.name || t('home.you');
  const set = (change: Partial<typeof settings>) => stores.settings.set((s) => ({ ...s, ...change }));

  return (
    <Dialog title={t('account.title')} onClose={onClose} wide>
      <div className="info-head">
        <Avatar
          name={name}
          picture={settings.avatar}
          size={88}
          notes={activeNoteCount(notes, SELF_SUBJECT)}
        />
        <div className="info-title">
          <p className="info-name">{name}</p>
          {device && <p>{device.config.device.name}</p>}
        </div>
      </div>
      <section aria-labelledby="account-lines">
        <div className="section-head">
          <h3 id="account-lines">{t('account.lines')}</h3>
          {phone.lines.some((l) => l.manualPassword) && (
            <button type="button" onClick={() => open({ kind: 'passwords' })}>
              {t('passwords.edit')}
            </button>
          )}
        </div>
        <ul className="line-list">
          {phone.lines.map((line) => (
            <li key={line.id}>
              <span className={`status-dot ${line.status}`} aria-hidden="true" />
              <strong>{line.name}</strong> <span>{`${line.username}@${line.domain}`}</span> —{' '}
              <span>{t(`lines.status.${line.status}` as MessageKey)}</span>
              {(services.counts[line.id]?.newMessages ?? 0) > 0 && (
                <span className="badge">
                  {t('voicemail.waiting', { count: services.counts[line.id]!.newMessages })}
                </span>
              )}
              {line.failure && (
                <span className="party-reason">
                  {' '}
                  ({line.needsPassword ? t('lines.passwordNeeded') : line.failure})
                </span>
              )}
            </li>
          ))}
        </ul>
      </section>
      {phone.lines.map(
        (line) =>
          services.settings[line.id] && (
            <LineCallSettings
              key={line.id}
              line={line}
              settings={services.settings[line.id]!}
              several={phone.lines.length > 1}
            />
          ),
      )}
      {/* The app's own DND and forwarding, for lines whose PBX keeps none (another provider). */}
      {phone.lines.some((l) => services.localOnly[l.id]) && (
        <section className="toggles">
          <label className="switch">
            <input
              type="checkbox"
              role="switch"
              checked={settings.dnd}
              onChange={(e) => set({ dnd: e.target.checked })}
            />
            <span>
              {t('account.dnd')}
              <small>{t('account.dndHelp')}</small>
            </span>
          </label>
          <label className="switch">
            <input
              type="checkbox"
              role="switch"
              checked={settings.forwardEnabled}
              onChange={(e) => set({ forwardEnabled: e.target.checked })}
            />
            <span>
              {t('account.forward')}
              <small>{t('account.forwardHelp')}</small>
            </span>
          </label>
          <label className="field">
            <span>{t('account.forwardNumber')}</span>
            <input
              type="tel"
              value={settings.forwardNumber}
              onChange={(e) => set({ forwardNumber: e.target.value })}
            />
          </label>
        </section>
      )}
      <div className="info-columns">
        <section aria-labelledby="account-recents">
          <h3 id="account-recents">{t('contact.recentCalls')}</h3>
          <RecentsList
            label={t('contact.recentCalls')}
            onCall={(r) => {
              actions.callKey(keyOf(contacts, r.number), { number: r.number });
              onClose();
            }}
          />
        </section>
        <NotesPanel subject={SELF_SUBJECT} />
      </div>
      <div className="row">
        <button
          type="button"
          className="danger"
          onClick={() => {
            if (confirm(t('account.signOutConfirm'))) void engine.signOut('user');
          }}
        >
          {t('account.signOut')}
        </button>
      </div>
    </Dialog>
  );
}
