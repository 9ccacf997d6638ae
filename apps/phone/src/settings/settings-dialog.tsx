// Settings (the version button): General — picture, language, call notifications, install,
// link handling; Audio — microphone, speaker and ringtone devices; Support — "Get help" prepares
// an e-mail to support and the app log is downloaded to attach.
import { useEffect, useState } from 'react';
import { LANGUAGES, useI18n } from '../i18n/i18n.tsx';
import { Ringer } from '../calls/ringtone.ts';
import { APP_VERSION } from '../phone/phone-engine.ts';
import type { Language } from '../storage/app-stores.ts';
import { useApp, useStore } from '../ui/app-context.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { readPicture } from '../ui/picture.ts';
import { describePlatform } from '../ui/platform.ts';
import { installPrompt } from '../ui/install.ts';

type Tab = 'general' | 'audio' | 'support';

export function SettingsDialog({ onClose }: { readonly onClose: () => void }) {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('general');
  return (
    <Dialog title={t('settings.title')} onClose={onClose} wide>
      <div role="tablist" className="tabs" aria-label={t('settings.title')}>
        {(['general', 'audio', 'support'] as const).map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            id={`settings-tab-${name}`}
            aria-selected={tab === name}
            aria-controls={`settings-${name}`}
            onClick={() => setTab(name)}
          >
            {t(`settings.${name}`)}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`settings-${tab}`}
        aria-labelledby={`settings-tab-${tab}`}
        className="tab-panel"
      >
        {tab === 'general' && <GeneralSettings />}
        {tab === 'audio' && <AudioSettings />}
        {tab === 'support' && <SupportTab />}
      </div>
    </Dialog>
  );
}

function GeneralSettings() {
  const { t } = useI18n();
  const { stores } = useApp();
  const settings = useStore(stores.settings);
  const [protocolNote, setProtocolNote] = useState(false);
  const [denied, setDenied] = useState(
    typeof Notification !== 'undefined' && Notification.permission === 'denied',
  );
  const set = (change: Partial<typeof settings>) => stores.settings.set((s) => ({ ...s, ...change }));
  const install = installPrompt();

  return (
    <div className="settings">
      <div className="field">
        <span>{t('settings.avatar')}</span>
        <div className="row">
          {settings.avatar && (
            <img src={settings.avatar} alt={t('settings.avatar')} width={56} height={56} className="round" />
          )}
          <label className="button">
            {t('settings.avatarChange')}
            <input
              type="file"
              accept="image/*"
              hidden
              onChange={(e) => void readPicture(e.target.files?.[0]).then((p) => p && set({ avatar: p }))}
            />
          </label>
          {settings.avatar && (
            <button type="button" onClick={() => set({ avatar: undefined })}>
              {t('settings.avatarRemove')}
            </button>
          )}
        </div>
      </div>
      <label className="field">
        <span>{t('settings.language')}</span>
        <select
          value={settings.language ?? ''}
          onChange={(e) => set({ language: (e.target.value || undefined) as Language | undefined })}
        >
          <option value="">{`${LANGUAGES.en} / ${LANGUAGES.fr} (auto)`}</option>
          {Object.entries(LANGUAGES).map(([code, name]) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          checked={settings.notifications}
          onChange={async (e) => {
            const on = e.target.checked;
            if (on && typeof Notification !== 'undefined' && Notification.permission !== 'granted') {
              const permission = await Notification.requestPermission();
              setDenied(permission === 'denied');
              if (permission !== 'granted') return;
            }
            set({ notifications: on });
          }}
        />
        <span>
          {t('settings.notifications')}
          <small>{denied ? t('settings.notificationsDenied') : t('settings.notificationsHelp')}</small>
        </span>
      </label>
      <div className="row">
        {install && (
          <button type="button" onClick={() => void install()}>
            {t('settings.install')}
          </button>
        )}
        <button
          type="button"
          onClick={() => {
            const url = `${location.origin}/phone/?call=%s`;
            for (const scheme of ['tel', 'sip', 'web+callto']) {
              try {
                navigator.registerProtocolHandler(scheme, url);
              } catch {
                // not allowed for this scheme in this browser
              }
            }
            setProtocolNote(true);
          }}
        >
          {t('settings.protocol')}
        </button>
      </div>
      {protocolNote && <p role="status">{t('settings.protocolDone')}</p>}
    </div>
  );
}

function AudioSettings() {
  const { t } = useI18n();
  const { stores, engine } = useApp();
  const settings = useStore(stores.settings);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [ringer] = useState(() => new Ringer());
  const [ringing, setRinging] = useState(false);
  useEffect(() => {
    const load = () => void navigator.mediaDevices?.enumerateDevices().then(setDevices, () => setDevices([]));
    load();
    navigator.mediaDevices?.addEventListener('devicechange', load);
    return () => {
      navigator.mediaDevices?.removeEventListener('devicechange', load);
      ringer.set(undefined);
    };
  }, [ringer]);
  const set = (change: Partial<typeof settings>) => {
    stores.settings.set((s) => ({ ...s, ...change }));
    void engine.devicesChanged();
  };
  const choose = (
    kind: MediaDeviceKind,
    label: string,
    value: string | undefined,
    onChange: (id: string | undefined) => void,
  ) => (
    <label className="field">
      <span>{label}</span>
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">{t('settings.systemDefault')}</option>
        {devices
          .filter((d) => d.kind === kind && d.deviceId && d.deviceId !== 'default')
          .map((d, i) => (
            <option key={d.deviceId} value={d.deviceId}>
              {d.label || `${label} ${i + 1}`}
            </option>
          ))}
      </select>
    </label>
  );
  return (
    <div className="settings">
      {choose('audioinput', t('settings.microphone'), settings.inputDeviceId, (id) =>
        set({ inputDeviceId: id }),
      )}
      {choose('audiooutput', t('settings.speaker'), settings.outputDeviceId, (id) =>
        set({ outputDeviceId: id }),
      )}
      {choose('audiooutput', t('settings.ringer'), settings.ringerDeviceId, (id) =>
        set({ ringerDeviceId: id }),
      )}
      <p className="help">{t('settings.devicesHelp')}</p>
      <button
        type="button"
        onClick={() => {
          void ringer.setOutput(settings.ringerDeviceId ?? settings.outputDeviceId);
          ringer.set(ringing ? undefined : 'ring');
          setRinging(!ringing);
        }}
      >
        {ringing ? t('settings.stopRing') : t('settings.testRing')}
      </button>
    </div>
  );
}

function SupportTab() {
  const { t } = useI18n();
  const { log, stores } = useApp();
  const device = useStore(stores.device);
  // The organisation's support address comes with the device's configuration.
  const supportEmail = device?.config.supportEmail ?? null;
  const download = () => {
    const blob = new Blob([log.text()], { type: 'text/plain' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `switchboard-phone-log-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.txt`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  };
  const mailto = (): string => {
    // A mailto: link cannot carry an attachment: the log is downloaded for the user to attach,
    // and its last lines go in the body so the e-mail is useful even without it.
    const tail = log.text().split('\n').slice(-30).join('\n');
    const body = [
      '',
      '',
      '---',
      `${t('app.name')} ${APP_VERSION} · ${describePlatform()}`,
      device ? `Device: ${device.config.device.name} (${device.config.device.id})` : '',
      t('support.attachHint'),
      '',
      tail,
    ].join('\n');
    const to = supportEmail ? encodeURIComponent(supportEmail).replace(/%40/g, '@') : '';
    return `mailto:${to}?subject=${encodeURIComponent(t('support.subject'))}&body=${encodeURIComponent(body.slice(0, 1800))}`;
  };
  return (
    <div className="settings">
      <p>{t('support.intro')}</p>
      <div className="row">
        {/* A real link: the browser hands it to the mail app; the click also saves the log. */}
        <a
          className="button primary"
          href={mailto()}
          onClick={(e) => {
            e.currentTarget.href = mailto();
            download();
          }}
        >
          {t('support.getHelp')}
        </a>
        <button type="button" onClick={download}>
          {t('support.download')}
        </button>
      </div>
      <p className="help">
        {supportEmail ? t('support.to', { email: supportEmail }) : t('support.noAddress')}{' '}
        {t('support.attachHint')}
      </p>
      <p>{t('support.version', { version: APP_VERSION })}</p>
    </div>
  );
}
