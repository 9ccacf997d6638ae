// Change password: the current one, the new one twice.
import { useState } from 'react';
import { PASSWORD_MIN } from '@switchboard/contracts';
import { api } from '../../api/endpoints.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAnnounce } from '../../components/announcer.tsx';
import { TextField } from '../../components/field.tsx';
import { Form } from '../../components/form.tsx';
import { useFormErrors } from '../../components/form-errors.ts';

export function PasswordSection() {
  const { t } = useI18n();
  const announce = useAnnounce();
  const errors = useFormErrors();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const submit = async () => {
    const e: Record<string, string> = {};
    if (!current) e.currentPassword = t('common.fieldRequired', { field: t('settings.currentPassword') });
    if (next.length < PASSWORD_MIN) e.newPassword = t('register.passwordShort', { min: PASSWORD_MIN });
    if (confirmation !== next) e.newPasswordConfirmation = t('register.passwordMismatch');
    errors.setFields(e);
    errors.setForm(null);
    if (Object.keys(e).length > 0) return;
    try {
      await api.auth.changePassword(current, next, confirmation);
      setCurrent('');
      setNext('');
      setConfirmation('');
      announce(t('settings.passwordChanged'));
    } catch (err) {
      errors.fromError(
        err,
        ['currentPassword', 'newPassword', 'newPasswordConfirmation'],
        t('common.saveFailed'),
      );
    }
  };
  return (
    <section aria-labelledby="password-title" className="panel">
      <h2 id="password-title">{t('settings.password')}</h2>
      <Form onSubmit={submit} errors={errors} submitLabel={t('settings.password')}>
        <TextField
          label={t('settings.currentPassword')}
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={setCurrent}
          error={errors.fields.currentPassword}
          required
        />
        <div className="field-row">
          <TextField
            label={t('settings.newPassword')}
            type="password"
            autoComplete="new-password"
            value={next}
            onChange={setNext}
            error={errors.fields.newPassword}
            hint={t('register.passwordHint', { min: PASSWORD_MIN })}
            required
          />
          <TextField
            label={t('settings.confirmPassword')}
            type="password"
            autoComplete="new-password"
            value={confirmation}
            onChange={setConfirmation}
            error={errors.fields.newPasswordConfirmation}
            required
          />
        </div>
      </Form>
    </section>
  );
}
