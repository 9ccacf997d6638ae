// Forgotten password: ask for a link by e-mail; then the link's page sets a new password.
import { useState } from 'react';
import { PASSWORD_MIN } from '@switchboard/contracts';
import { api } from '../../api/endpoints.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { TextField } from '../../components/field.tsx';
import { Form } from '../../components/form.tsx';
import { useFormErrors } from '../../components/form-errors.ts';
import { PageHeader } from '../../components/page.tsx';
import { Link, useLocation } from '../../router/router.tsx';

export function ForgotPasswordPage() {
  const { t } = useI18n();
  const errors = useFormErrors();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const submit = async () => {
    if (!email.trim()) {
      errors.setFields({ email: t('common.fieldRequired', { field: t('auth.email') }) });
      return;
    }
    errors.clear();
    try {
      await api.auth.requestPasswordReset(email.trim());
      setSent(email.trim());
    } catch (e) {
      errors.fromError(e, ['email'], t('common.saveFailed'));
    }
  };
  return (
    <>
      <PageHeader title={t('forgot.title')} intro={t('forgot.intro')} />
      {sent ? (
        <p className="notice" role="status">
          {t('forgot.sent', { email: sent })}
        </p>
      ) : (
        <Form onSubmit={submit} errors={errors} submitLabel={t('forgot.submit')}>
          <TextField
            label={t('auth.email')}
            type="email"
            autoComplete="username"
            value={email}
            onChange={setEmail}
            error={errors.fields.email}
            required
          />
        </Form>
      )}
      <p>
        <Link to="/sign-in">{t('auth.signIn')}</Link>
      </p>
    </>
  );
}

export function ResetPasswordPage() {
  const { t } = useI18n();
  const { query } = useLocation();
  const token = query.get('token') ?? '';
  const errors = useFormErrors();
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [done, setDone] = useState(false);
  const submit = async () => {
    const e: Record<string, string> = {};
    if (password.length < PASSWORD_MIN) e.password = t('register.passwordShort', { min: PASSWORD_MIN });
    if (confirmation !== password) e.passwordConfirmation = t('register.passwordMismatch');
    errors.setFields(e);
    errors.setForm(null);
    if (Object.keys(e).length > 0) return;
    try {
      await api.auth.resetPassword(token, password, confirmation);
      setDone(true);
    } catch (err) {
      errors.fromError(err, ['password', 'passwordConfirmation'], t('common.saveFailed'));
    }
  };
  return (
    <>
      <PageHeader title={t('reset.title')} />
      {done ? (
        <>
          <p className="notice success" role="status">
            {t('reset.done')}
          </p>
          <p>
            <Link to="/sign-in" className="button primary">
              {t('auth.signIn')}
            </Link>
          </p>
        </>
      ) : (
        <Form onSubmit={submit} errors={errors} submitLabel={t('reset.submit')}>
          <TextField
            label={t('reset.newPassword')}
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={setPassword}
            error={errors.fields.password}
            hint={t('register.passwordHint', { min: PASSWORD_MIN })}
            required
          />
          <TextField
            label={t('register.passwordConfirm')}
            type="password"
            autoComplete="new-password"
            value={confirmation}
            onChange={setConfirmation}
            error={errors.fields.passwordConfirmation}
            required
          />
        </Form>
      )}
    </>
  );
}
