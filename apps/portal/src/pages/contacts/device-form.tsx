// Add device / edit one: a name and one to four SIP accounts in line order ("Add account",
// remove). The accounts are every provider's, grouped by provider.
import { useRef, useState } from 'react';
import type { Device, DeviceInput, Provider, SipAccount } from '@switchboard/contracts';
import { api } from '../../api/endpoints.ts';
import { useResource } from '../../api/use-resource.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { SelectField, TextField } from '../../components/field.tsx';
import { Form } from '../../components/form.tsx';
import { useFormErrors } from '../../components/form-errors.ts';
import { Dialog } from '../../components/dialog.tsx';
import { PlusIcon, TrashIcon } from '../../components/icons.tsx';
import { Loading } from '../../components/page.tsx';

const MAX_LINES = 4;

interface Props {
  readonly contactId: string;
  readonly device?: Device;
  readonly onSaved: (device: Device) => void;
  readonly onClose: () => void;
}

async function loadChoices(): Promise<{ accounts: readonly SipAccount[]; providers: readonly Provider[] }> {
  const [accounts, providers] = await Promise.all([api.accounts.all(), api.providers.list()]);
  return { accounts: accounts.items, providers: providers.items };
}

export function DeviceDialog({ contactId, device, onSaved, onClose }: Props) {
  const { t } = useI18n();
  const errors = useFormErrors();
  const choices = useResource(loadChoices, []);
  const nextKey = useRef(0);
  const [name, setName] = useState(device?.name ?? '');
  const [lines, setLines] = useState(() =>
    (device?.accountIds.length ? device.accountIds : ['']).map((accountId) => ({
      key: nextKey.current++,
      accountId,
    })),
  );
  const focusLine = useRef<number | null>(null);

  const providerName = new Map(choices.data?.providers.map((p) => [p.id, p.name]));
  const options = (choices.data?.accounts ?? []).map((a) => ({
    value: a.id,
    label: `${a.name || a.username} (${a.username})`,
    group: providerName.get(a.providerId) ?? '',
  }));

  const setLine = (index: number, accountId: string) => {
    setLines((list) => list.map((l, i) => (i === index ? { ...l, accountId } : l)));
    errors.clearField(`accountIds[${index}]`);
    errors.clearField('accountIds');
  };
  const addLine = () => {
    focusLine.current = lines.length;
    setLines((list) => [...list, { key: nextKey.current++, accountId: '' }]);
  };

  const submit = async () => {
    const e: Record<string, string> = {};
    if (!name.trim()) e.name = t('common.fieldRequired', { field: t('devices.name') });
    lines.forEach((l, i) => {
      if (!l.accountId) e[`accountIds[${i}]`] = t('devices.accountRequired');
      else if (lines.findIndex((o) => o.accountId === l.accountId) !== i)
        e[`accountIds[${i}]`] = t('devices.accountTwice');
    });
    errors.setFields(e);
    errors.setForm(null);
    if (Object.keys(e).length > 0) return;
    const body: DeviceInput = { name: name.trim(), accountIds: lines.map((l) => l.accountId) };
    try {
      onSaved(device ? await api.devices.update(device.id, body) : await api.devices.create(contactId, body));
    } catch (err) {
      errors.fromError(
        err,
        ['name', 'accountIds', ...lines.map((_, i) => `accountIds[${i}]`)],
        t('common.saveFailed'),
      );
    }
  };

  return (
    <Dialog
      title={device ? t('devices.editTitle', { name: device.name }) : t('devices.addTitle')}
      onClose={onClose}
    >
      <Form onSubmit={submit} errors={errors} submitLabel={t('common.save')} onCancel={onClose}>
        <TextField
          label={t('devices.name')}
          value={name}
          onChange={(v) => {
            setName(v);
            errors.clearField('name');
          }}
          error={errors.fields.name}
          autoComplete="off"
          required
        />
        <fieldset>
          <legend>
            {t('devices.accounts')}
            <span className="field-flag" aria-hidden="true">
              {' '}
              *
            </span>
          </legend>
          <p className="field-hint">{t('devices.accountsHint')}</p>
          {errors.fields.accountIds && <p className="field-error">{errors.fields.accountIds}</p>}
          {choices.error && <p className="form-alert">{choices.error.message}</p>}
          {!choices.data && !choices.error && <Loading />}
          {choices.data && options.length === 0 && <p className="warning">{t('devices.noAccounts')}</p>}
          {choices.data &&
            lines.map((l, i) => (
              <div className="repeat-row" key={l.key}>
                <SelectField
                  label={t('devices.accountN', { n: i + 1 })}
                  value={l.accountId}
                  onChange={(v) => setLine(i, v)}
                  options={options}
                  placeholder={t('devices.chooseAccount')}
                  error={errors.fields[`accountIds[${i}]`]}
                  className="grow"
                />
                <button
                  type="button"
                  className="icon-button"
                  aria-label={t('devices.removeAccountN', { n: i + 1 })}
                  title={t('devices.removeAccountN', { n: i + 1 })}
                  disabled={lines.length === 1}
                  onClick={() => setLines((list) => list.filter((_, j) => j !== i))}
                  ref={(el) => {
                    if (el && focusLine.current === i) {
                      focusLine.current = null;
                      el.parentElement?.querySelector('select')?.focus();
                    }
                  }}
                >
                  <TrashIcon />
                </button>
              </div>
            ))}
          <button type="button" className="button" onClick={addLine} disabled={lines.length >= MAX_LINES}>
            <PlusIcon /> {t('devices.addAccount')}
          </button>
        </fieldset>
      </Form>
    </Dialog>
  );
}
