// The top bar's view of the PBX services: "Do Not Disturb" while any line has it on (set here,
// by *78 on a desk phone, or by the administrator), "Recording" during a recorded call, and the
// Voicemail button with the count of new messages.
import { useI18n } from '../i18n/i18n.tsx';
import { useServices } from '../phone/use-services.ts';
import { RecordingBadge } from '../recordings/record-button.tsx';
import { useApp, usePhone, useStore } from '../ui/app-context.tsx';
import { VoicemailButton } from '../voicemail/voicemail-dialog.tsx';

export function ServicesBar() {
  const { t } = useI18n();
  const { stores } = useApp();
  const settings = useStore(stores.settings);
  const services = useServices();
  const phone = usePhone();
  const dnd = phone.lines.some((l) =>
    services.settings[l.id] ? services.settings[l.id]!.dnd : services.localOnly[l.id] && settings.dnd,
  );
  return (
    <>
      {dnd && <span className="badge dnd">{t('home.dnd')}</span>}
      <RecordingBadge />
      <VoicemailButton />
    </>
  );
}
