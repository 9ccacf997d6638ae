// Add Provider / edit a provider: Basic Settings (name, SIP server, SIP port) and Advanced
// Settings (SIP proxy address, transport). The built-in PBX: only its name can change.
import { useState } from 'react';
import type { Provider, ProviderInput, Transport } from '@switchboard/contracts';
import { api } from '../../api/endpoints.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { SelectField, TextField } from '../../components/field.tsx';
import { Form } from '../../components/form.tsx';
import { useFormErrors } from '../../components/form-errors.ts';
import { Dialog } from '../../components/dialog.tsx';

const FIELDS = ['name', 'host', 'port', 'proxy', 'transport'];
export const TRANSPORTS: readonly { value: Transport; label: string }[] = [
  { value: 'udp', label: 'UDP' },
  { value: 'tcp', label: 'TCP' },
  { value: 'tls', label: 'TLS' },
];

interface Props {
  readonly provider?: Provider;
  readonly onSaved: (provider: Provider) => void;
  readonly onClose: () => void;
}

export function ProviderDialog({ provider, onSaved, onClose }: Props) {
  const { t } = useI18n();
  const errors = useFormErrors();
  const builtIn = provider?.builtIn ?? false;
  const [form, setForm] = useState({
    name: provider?.name ?? '',
    host: provider?.host ?? '',
    port: provider ? String(provider.port) : '',
    proxy: provider?.proxy ?? '',
    transport: provider?.transport ?? ('udp' as Transport),
  });
  const [advanced, setAdvanced] = useState(
    Boolean(provider?.proxy) || (provider?.transport ?? 'udp') !== 'udp',
  );
  const set = (key: keyof typeof form) => (value: string) => {
    setForm((f) => ({ ...f, [key]: value }));
    errors.clearField(key);
  };

  const submit = async () => {
    const e: Record<string, string> = {};
    if (!form.name.trim()) e.name = t('common.fieldRequired', { field: t('providers.name') });
    if (!builtIn && !form.host.trim()) e.host = t('common.fieldRequired', { field: t('providers.host') });
    const port = form.port.trim() === '' ? 5060 : Number(form.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) e.port = t('providers.portInvalid');
    errors.setFields(e);
    errors.setForm(null);
    if (Object.keys(e).length > 0) return;
    const body: ProviderInput = builtIn
      ? { name: form.name.trim(), host: provider!.host }
      : {
          name: form.name.trim(),
          host: form.host.trim(),
          port,
          proxy: form.proxy.trim() || null,
          transport: form.transport,
        };
    try {
      const saved = provider
        ? await api.providers.update(provider.id, builtIn ? { name: body.name } : body)
        : await api.providers.create(body);
      onSaved(saved);
    } catch (err) {
      errors.fromError(err, FIELDS, t('common.saveFailed'));
    }
  };

  return (
    <Dialog
      title={provider ? t('providers.editTitle', { name: provider.name }) : t('providers.addTitle')}
      onClose={onClose}
    >
      <Form onSubmit={submit} errors={errors} submitLabel={t('common.save')} onCancel={onClose}>
        {builtIn && <p className="notice">{t('providers.builtInLocked')}</p>}
        <fieldset>
          <legend>{t('common.basicSettings')}</legend>
          <TextField
            label={t('providers.name')}
            value={form.name}
            onChange={set('name')}
            error={errors.fields.name}
            required
          />
          <TextField
            label={t('providers.host')}
            value={form.host}
            onChange={set('host')}
            error={errors.fields.host}
            hint={builtIn ? undefined : t('providers.hostHint')}
            disabled={builtIn}
            autoCapitalize="off"
            spellCheck={false}
            required
          />
          <TextField
            label={t('providers.port')}
            inputMode="numeric"
            value={form.port}
            onChange={set('port')}
            error={errors.fields.port}
            hint={builtIn ? undefined : t('providers.portHint')}
            placeholder="5060"
            disabled={builtIn}
            optional={!builtIn}
          />
        </fieldset>
        {!builtIn && (
          <details
            className="advanced"
            open={advanced || Boolean(errors.fields.proxy || errors.fields.transport)}
            onToggle={(e) => setAdvanced((e.target as HTMLDetailsElement).open)}
          >
            <summary>{t('common.advancedSettings')}</summary>
            <TextField
              label={t('providers.proxy')}
              value={form.proxy}
              onChange={set('proxy')}
              error={errors.fields.proxy}
              hint={t('providers.proxyHint')}
              autoCapitalize="off"
              spellCheck={false}
              optional
            />
            <SelectField
              label={t('providers.transport')}
              value={form.transport}
              onChange={set('transport')}
              options={TRANSPORTS}
              error={errors.fields.transport}
            />
          </details>
        )}
      </Form>
    </Dialog>
  );
}
