// One line's Do Not Disturb and call forwarding, kept by the PBX (PATCH
// /provisioning/call-settings): they apply to every phone of the extension, and what a desk
// phone sets with *78 or *72 shows here. Forwarding: every call, when busy, when not answered
// (after the ring time), when no phone of the line is connected; an empty number is off.
import { useEffect, useState } from 'react';
import type { CallSettingsPatchRequest, CallSettingsView } from '@switchboard/contracts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/en.ts';
import type { LineView } from '../phone/phone-engine.ts';
import { useApp } from '../ui/app-context.tsx';

const FORWARDS = [
  ['forwardAlways', 'services.forwardAlways'],
  ['forwardBusy', 'services.forwardBusy'],
  ['forwardNoAnswer', 'services.forwardNoAnswer'],
  ['forwardUnavailable', 'services.forwardUnavailable'],
] as const satisfies ReadonlyArray<readonly [keyof CallSettingsView, MessageKey]>;

type Draft = Record<(typeof FORWARDS)[number][0], string> & { noAnswerSeconds: string };

const draftOf = (s: CallSettingsView): Draft => ({
  forwardAlways: s.forwardAlways ?? '',
  forwardBusy: s.forwardBusy ?? '',
  forwardNoAnswer: s.forwardNoAnswer ?? '',
  forwardUnavailable: s.forwardUnavailable ?? '',
  noAnswerSeconds: String(s.noAnswerSeconds),
});

export function LineCallSettings({
  line,
  settings,
  several,
}: {
  readonly line: LineView;
  readonly settings: CallSettingsView;
  readonly several: boolean;
}) {
  const { t } = useI18n();
  const { engine } = useApp();
  const [dnd, setDnd] = useState<boolean | undefined>();
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings));
  const [dirty, setDirty] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | undefined>();
  const suffix = several ? ` — ${line.name}` : '';

  // What another phone (or the administrator) changed shows here, unless the user is typing.
  useEffect(() => {
    if (!dirty) setDraft(draftOf(settings));
  }, [settings, dirty]);

  const save = async (patch: CallSettingsPatchRequest): Promise<boolean> => {
    try {
      await engine.services.updateSettings(line.id, patch);
      return true;
    } catch (error) {
      setMessage({
        text: t('services.refused', { reason: error instanceof Error ? error.message : String(error) }),
        error: true,
      });
      return false;
    }
  };

  const toggleDnd = async (on: boolean) => {
    setDnd(on);
    setMessage(undefined);
    await save({ dnd: on });
    setDnd(undefined);
  };

  const saveForwarding = async () => {
    setMessage(undefined);
    const target = (v: string) => (v.replace(/[\s().-]/g, '') === '' ? null : v.replace(/[\s().-]/g, ''));
    const ok = await save({
      forwardAlways: target(draft.forwardAlways),
      forwardBusy: target(draft.forwardBusy),
      forwardNoAnswer: target(draft.forwardNoAnswer),
      forwardUnavailable: target(draft.forwardUnavailable),
      noAnswerSeconds: Math.min(120, Math.max(5, Number(draft.noAnswerSeconds) || 20)),
    });
    if (ok) {
      setDirty(false);
      setMessage({ text: t('services.saved'), error: false });
    }
  };

  const field = (key: keyof Draft, label: string, type: 'tel' | 'number' = 'tel') => (
    <label className="field" key={key}>
      <span>{label + suffix}</span>
      <input
        type={type}
        {...(type === 'number' && { min: 5, max: 120 })}
        value={draft[key]}
        onChange={(e) => {
          setDirty(true);
          setDraft((d) => ({ ...d, [key]: e.target.value }));
        }}
      />
    </label>
  );

  return (
    <section className="toggles line-settings" aria-label={t('services.lineCalls', { line: line.name })}>
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          checked={dnd ?? settings.dnd}
          onChange={(e) => void toggleDnd(e.target.checked)}
        />
        <span>
          {t('account.dnd') + suffix}
          <small>
            {t('account.dndHelp')} {t('services.pbxHelp')}
          </small>
        </span>
      </label>
      <form
        className="forwarding"
        onSubmit={(e) => {
          e.preventDefault();
          void saveForwarding();
        }}
      >
        {FORWARDS.map(([key, label]) => field(key, t(label)))}
        {field('noAnswerSeconds', t('services.noAnswerSeconds'), 'number')}
        <div className="row">
          <button type="submit">{t('services.saveForwarding') + suffix}</button>
          {message && (
            <span role={message.error ? 'alert' : 'status'} className={message.error ? 'party-reason' : ''}>
              {message.text}
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
