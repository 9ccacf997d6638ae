// Statuses as text with a colour dot: the word carries the meaning, the colour only helps.
import type { DeviceStatus, DeviceSubStatus, PushStatus, SipStatus } from '@switchboard/contracts';
import { useI18n } from '../i18n/i18n.tsx';

const tone = (status: string): string =>
  status === 'online' || status === 'enabled' ? 'good' : status === 'offline' ? 'bad' : 'neutral';

export function SipStatusBadge({ status }: { readonly status: SipStatus }) {
  const { t } = useI18n();
  return <span className={`badge ${tone(status)}`}>{t(`sip.${status}`)}</span>;
}

export function PushBadge({ status }: { readonly status: PushStatus }) {
  const { t } = useI18n();
  return <span className={`badge plain ${tone(status)}`}>{t(`push.${status}`)}</span>;
}

export function DeviceStatusBadge({
  status,
  subStatus,
}: {
  readonly status: DeviceStatus;
  readonly subStatus: DeviceSubStatus;
}) {
  const { t } = useI18n();
  return (
    <span className="device-status">
      <span className={`badge ${tone(status)}`}>{t(`status.${status}`)}</span>
      {subStatus && <span className="sub-status">{t(`substatus.${subStatus}`)}</span>}
    </span>
  );
}
