// Move device: choose another contact; the device keeps its accounts and activation.
import { useState } from 'react';
import type { Device } from '@switchboard/contracts';
import { api } from '../../api/endpoints.ts';
import { useResource } from '../../api/use-resource.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { SelectField } from '../../components/field.tsx';
import { Form } from '../../components/form.tsx';
import { useFormErrors } from '../../components/form-errors.ts';
import { Dialog } from '../../components/dialog.tsx';
import { Loading } from '../../components/page.tsx';
import { fullName } from './contact-form.tsx';

interface Props {
  readonly device: Device;
  readonly onMoved: (device: Device, contactName: string) => void;
  readonly onClose: () => void;
}

export function MoveDeviceDialog({ device, onMoved, onClose }: Props) {
  const { t } = useI18n();
  const errors = useFormErrors();
  const contacts = useResource(() => api.contacts.list({ limit: 500, sort: 'lastName' }), []);
  const [contactId, setContactId] = useState('');
  const others = (contacts.data?.items ?? []).filter((c) => c.id !== device.contactId);

  const submit = async () => {
    if (!contactId) {
      errors.setFields({ contactId: t('common.fieldRequired', { field: t('devices.moveTo') }) });
      return;
    }
    errors.clear();
    try {
      const moved = await api.devices.move(device.id, contactId);
      const target = others.find((c) => c.id === contactId);
      onMoved(moved, target ? fullName(target) : '');
    } catch (err) {
      errors.fromError(err, ['contactId'], t('common.saveFailed'));
    }
  };

  return (
    <Dialog title={t('devices.moveTitle', { name: device.name })} onClose={onClose}>
      {!contacts.data && !contacts.error && <Loading />}
      {contacts.error && <p className="form-alert">{contacts.error.message}</p>}
      {contacts.data && others.length === 0 && <p className="notice">{t('devices.moveNone')}</p>}
      {contacts.data && others.length > 0 && (
        <Form onSubmit={submit} errors={errors} submitLabel={t('common.save')} onCancel={onClose}>
          <SelectField
            label={t('devices.moveTo')}
            value={contactId}
            onChange={setContactId}
            placeholder=""
            options={others.map((c) => ({
              value: c.id,
              label: `${fullName(c)}${c.emails[0] ? ` — ${c.emails[0].address}` : ''}`,
            }))}
            error={errors.fields.contactId}
            required
          />
        </Form>
      )}
    </Dialog>
  );
}
