// Sign in. An unconfirmed address gets a way to have the link sent again; too many attempts say
// when to retry. Also used inside the "session ended" dialog, where it keeps the page behind.
import { useState } from 'react';
import type { Me } from '@switchboard/contracts';
import { api } from '../../api/endpoints.ts';
import { RequestError } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAuth } from '../../auth.tsx';
import { TextField } from '../../components/field.tsx';
import { Form } from '../../components/form.tsx';
import { useFormErrors } from '../../components/form-errors.ts';
import { PageHeader } from '../../components/page.tsx';
import { Link, navigate, useLocation } from '../../router/router.tsx';

export function SignInForm({
  onSignedIn,
  initialEmail = '',
}: {
  onSignedIn: (me: Me) => void;
  initialEmail?: string;
}) {
  const { t } = useI18n();
  const errors = useFormErrors();
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState('');
  const [unconfirmed, setUnconfirmed] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const submit = async () => {
    setNotice(null);
    setUnconfirmed(false);
    const missing: Record<string, string> = {};
    if (!email.trim()) missing.email = t('common.fieldRequired', { field: t('auth.email') });
    if (!password) missing.password = t('common.fieldRequired', { field: t('auth.password') });
    errors.setFields(missing);
    errors.setForm(null);
    if (Object.keys(missing).length > 0) return;
    try {
      onSignedIn(await api.auth.login(email.trim(), password));
    } catch (e) {
      if (e instanceof RequestError && e.code === 'email_not_confirmed') {
        setUnconfirmed(true);
        errors.setForm(t('auth.notConfirmed'));
      } else if (e instanceof RequestError && e.code === 'rate_limited') {
        errors.setForm(t('auth.rateLimited', { seconds: e.retryAfterSeconds ?? 60 }));
      } else errors.fromError(e, ['email', 'password'], t('common.saveFailed'));
    }
  };

  const resend = async () => {
    try {
      await api.auth.resendConfirmation(email.trim());
      setNotice(t('auth.resent', { email: email.trim() }));
    } catch (e) {
      errors.fromError(e, ['email'], t('common.saveFailed'));
    }
  };

  return (
    <>
      <Form onSubmit={submit} errors={errors} submitLabel={t('auth.signIn')} busyLabel={t('auth.signingIn')}>
        <TextField
          label={t('auth.email')}
          type="email"
          autoComplete="username"
          value={email}
          onChange={setEmail}
          error={errors.fields.email}
          required
        />
        <TextField
          label={t('auth.password')}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
          error={errors.fields.password}
          required
        />
      </Form>
      {unconfirmed && (
        <p>
          <button type="button" className="button" onClick={() => void resend()}>
            {t('auth.resend')}
          </button>
        </p>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
    </>
  );
}

export function SignInPage() {
  const { t } = useI18n();
  const { signedIn } = useAuth();
  const { query } = useLocation();
  const next = query.get('next');
  return (
    <>
      <PageHeader title={t('auth.signInTitle')} />
      {query.get('signedOut') && (
        <p className="notice" role="status">
          {t('auth.signedOut')}
        </p>
      )}
      <SignInForm
        initialEmail={query.get('email') ?? ''}
        onSignedIn={(me) => {
          signedIn(me);
          navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/providers', {
            replace: true,
          });
        }}
      />
      <p>
        <Link to="/forgot-password">{t('auth.forgot')}</Link>
      </p>
      <p>
        {t('auth.noAccount')} <Link to="/register">{t('auth.createAccount')}</Link>
      </p>
    </>
  );
}
