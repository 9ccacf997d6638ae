// Record / Stop recording for the call going on: the PBX records it (both parties, one WAV per
// stretch, listed with the call in Recents). The red "Recording" badge says it is on.
import { useState } from 'react';
import type { CallSnapshot } from '../calls/call.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { useServices } from '../phone/use-services.ts';
import { useApp } from '../ui/app-context.tsx';

export function RecordButton({ call }: { readonly call: CallSnapshot | undefined }) {
  const { t } = useI18n();
  const { engine } = useApp();
  const services = useServices();
  const [busy, setBusy] = useState(false);
  const on = call ? services.recording[call.id] === true : false;

  const toggle = async () => {
    if (!call) return;
    setBusy(true);
    try {
      await engine.services.setRecording(call, !on);
    } catch (error) {
      engine.setNotice(
        t('recording.failed', { reason: error instanceof Error ? error.message : String(error) }),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <button
      type="button"
      className={on ? 'fn bad recording' : 'fn'}
      disabled={!call || busy}
      onClick={() => void toggle()}
    >
      <span className={on ? 'rec-dot on' : 'rec-dot'} aria-hidden="true" />
      {on ? t('recording.stop') : t('recording.start')}
    </button>
  );
}

/** The badge in the top bar while a call is recorded. */
export function RecordingBadge() {
  const { t } = useI18n();
  const services = useServices();
  if (!Object.values(services.recording).some(Boolean)) return null;
  return (
    <span className="badge recording" role="status">
      <span className="rec-dot on" aria-hidden="true" /> {t('recording.on')}
    </span>
  );
}
