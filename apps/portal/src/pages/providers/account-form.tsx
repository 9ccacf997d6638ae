// Add SIP account / edit one. Basic Settings: friendly name, the manual-password toggle, SIP
// username, password (write-only: never shown back), protocol. Advanced Settings: the push
// proxy toggle, authorization username, display name, dialing rules.
import { useState } from 'react';
import {
  parseDialingRules,
  type Provider,
  type SipAccount,
  type SipAccountInput,
  type Transport,
} from '@switchboard/contracts';
import { api } from '../../api/endpoints.ts';
import { RequestError } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { CheckboxField, SelectField, TextField } from '../../components/field.tsx';
import { Form } from '../../components/form.tsx';
import { useFormErrors } from '../../components/form-errors.ts';
import { Dialog } from '../../components/dialog.tsx';
import { TRANSPORTS } from './provider-form.tsx';
import { DialingRulesField } from './dialing-rules-field.tsx';

const FIELDS = [
  'name',
  'manualPassword',
  'username',
  'password',
  'protocol',
  'pushProxy',
  'authUsername',
  'displayName',
  'dialingRules',
];
const ADVANCED = ['pushProxy', 'authUsername', 'displayName', 'dialingRules'];

interface Props {
  readonly provider: Provider;
  readonly account?: SipAccount;
  readonly onSaved: (account: SipAccount) => void;
  readonly onClose: () => void;
}

export function AccountDialog({ provider, account, onSaved, onClose }: Props) {
  const { t } = useI18n();
  const errors = useFormErrors();
  const [form, setForm] = useState({
    name: account?.name ?? '',
    manualPassword: account?.manualPassword ?? false,
    username: account?.username ?? '',
    password: '',
    protocol: account?.protocol ?? provider.transport,
    pushProxy: account?.pushProxy ?? true,
    authUsername: account?.authUsername ?? '',
    displayName: account?.displayName ?? '',
    dialingRules: account?.dialingRules ?? '',
  });
  const [advanced, setAdvanced] = useState(
    Boolean(account && (account.authUsername || account.displayName || account.dialingRules)),
  );
  const set =
    <K extends keyof typeof form>(key: K) =>
    (value: (typeof form)[K]) => {
      setForm((f) => ({ ...f, [key]: value }));
      errors.clearField(key);
    };
  const passwordNeeded = !account?.hasPassword && (provider.builtIn || !form.manualPassword);

  const submit = async () => {
    const e: Record<string, string> = {};
    if (!form.name.trim()) e.name = t('common.fieldRequired', { field: t('accounts.friendlyName') });
    if (!form.username.trim()) e.username = t('common.fieldRequired', { field: t('accounts.username') });
    if (passwordNeeded && !form.password)
      e.password = t('common.fieldRequired', { field: t('accounts.password') });
    if (!parseDialingRules(form.dialingRules).ok) e.dialingRules = t('accounts.dialingInvalid');
    errors.setFields(e);
    errors.setForm(null);
    if (e.dialingRules) setAdvanced(true);
    if (Object.keys(e).length > 0) return;
    const body: SipAccountInput = {
      name: form.name.trim(),
      manualPassword: form.manualPassword,
      username: form.username.trim(),
      protocol: form.protocol,
      pushProxy: form.pushProxy,
      authUsername: form.authUsername.trim() || null,
      displayName: form.displayName.trim(),
      dialingRules: form.dialingRules,
      ...(form.password && { password: form.password }),
    };
    try {
      if (account) {
        const { username: _fixed, ...patch } = body;
        onSaved(await api.accounts.update(provider.id, account.id, patch));
      } else onSaved(await api.accounts.create(provider.id, body));
    } catch (err) {
      errors.fromError(err, FIELDS, t('common.saveFailed'));
      if (err instanceof RequestError && err.details.some((d) => ADVANCED.includes(d.field)))
        setAdvanced(true);
    }
  };

  return (
    <Dialog
      title={account ? t('accounts.editTitle', { name: account.name }) : t('accounts.addTitle')}
      onClose={onClose}
      wide
    >
      <Form onSubmit={submit} errors={errors} submitLabel={t('common.save')} onCancel={onClose}>
        <fieldset>
          <legend>{t('common.basicSettings')}</legend>
          <TextField
            label={t('accounts.friendlyName')}
            value={form.name}
            onChange={set('name')}
            error={errors.fields.name}
            required
          />
          {!provider.builtIn && (
            <CheckboxField
              switch
              label={t('accounts.manualPassword')}
              checked={form.manualPassword}
              onChange={set('manualPassword')}
              hint={t('accounts.manualPasswordHint')}
              error={errors.fields.manualPassword}
            />
          )}
          <TextField
            label={t('accounts.username')}
            value={form.username}
            onChange={set('username')}
            error={errors.fields.username}
            hint={account ? t('accounts.usernameLocked') : undefined}
            disabled={Boolean(account)}
            autoCapitalize="off"
            autoComplete="off"
            spellCheck={false}
            required
          />
          {(provider.builtIn || !form.manualPassword) && (
            <TextField
              label={t('accounts.password')}
              type="password"
              autoComplete="new-password"
              value={form.password}
              onChange={set('password')}
              error={errors.fields.password}
              hint={
                account?.hasPassword
                  ? t('accounts.passwordKeep')
                  : provider.builtIn
                    ? t('accounts.passwordBuiltIn')
                    : undefined
              }
              required={passwordNeeded}
            />
          )}
          <SelectField
            label={t('accounts.protocol')}
            value={form.protocol}
            onChange={(v) => set('protocol')(v as Transport)}
            options={TRANSPORTS}
            error={errors.fields.protocol}
          />
        </fieldset>
        <details
          className="advanced"
          open={advanced}
          onToggle={(e) => setAdvanced((e.target as HTMLDetailsElement).open)}
        >
          <summary>{t('common.advancedSettings')}</summary>
          <CheckboxField
            switch
            label={t('accounts.pushProxy')}
            checked={form.pushProxy}
            onChange={set('pushProxy')}
            hint={t('accounts.pushProxyHint')}
            error={errors.fields.pushProxy}
          />
          <TextField
            label={t('accounts.authUsername')}
            value={form.authUsername}
            onChange={set('authUsername')}
            error={errors.fields.authUsername}
            hint={t('accounts.authUsernameHint')}
            autoCapitalize="off"
            spellCheck={false}
            optional
          />
          <TextField
            label={t('accounts.displayName')}
            value={form.displayName}
            onChange={set('displayName')}
            error={errors.fields.displayName}
            hint={t('accounts.displayNameHint')}
            optional
          />
          <DialingRulesField
            value={form.dialingRules}
            onChange={set('dialingRules')}
            error={
              errors.fields.dialingRules === t('accounts.dialingInvalid')
                ? undefined
                : errors.fields.dialingRules
            }
          />
        </details>
      </Form>
    </Dialog>
  );
}
