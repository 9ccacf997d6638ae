// Create an Account: the seed's three steps (you, your organisation, a password and the
// checkboxes) as three groups of one form, so every field and its error stay in sight.
import { useState } from 'react';
import { PASSWORD_MIN, type RegisterRequest } from '@switchboard/contracts';
import { api } from '../../api/endpoints.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { CheckboxField, TextField } from '../../components/field.tsx';
import { Form } from '../../components/form.tsx';
import { useFormErrors } from '../../components/form-errors.ts';
import { PageHeader } from '../../components/page.tsx';
import { Link } from '../../router/router.tsx';

const FIELDS = [
  'firstName',
  'lastName',
  'email',
  'organisationName',
  'website',
  'password',
  'passwordConfirmation',
  'privacyAccepted',
  'newsSubscription',
] as const;

export function RegisterPage() {
  const { t } = useI18n();
  const errors = useFormErrors();
  const [form, setForm] = useState({
    firstName: '',
    lastName: '',
    email: '',
    organisationName: '',
    website: '',
    password: '',
    passwordConfirmation: '',
    privacyAccepted: false,
    newsSubscription: false,
  });
  const [done, setDone] = useState<{ email: string; sent: boolean } | null>(null);
  const set =
    <K extends keyof typeof form>(key: K) =>
    (value: (typeof form)[K]) => {
      setForm((f) => ({ ...f, [key]: value }));
      errors.clearField(key);
    };

  const validate = (): Record<string, string> => {
    const e: Record<string, string> = {};
    const need = (key: 'firstName' | 'lastName' | 'email', label: string) => {
      if (!form[key].trim()) e[key] = t('common.fieldRequired', { field: label });
    };
    need('firstName', t('register.firstName'));
    need('lastName', t('register.lastName'));
    need('email', t('auth.email'));
    if (form.password.length < PASSWORD_MIN) e.password = t('register.passwordShort', { min: PASSWORD_MIN });
    if (form.passwordConfirmation !== form.password) e.passwordConfirmation = t('register.passwordMismatch');
    if (!form.privacyAccepted) e.privacyAccepted = t('register.privacyRequired');
    return e;
  };

  const submit = async () => {
    const problems = validate();
    errors.setFields(problems);
    errors.setForm(null);
    if (Object.keys(problems).length > 0) return;
    const body: RegisterRequest = {
      firstName: form.firstName.trim(),
      lastName: form.lastName.trim(),
      email: form.email.trim(),
      password: form.password,
      passwordConfirmation: form.passwordConfirmation,
      privacyAccepted: form.privacyAccepted,
      newsSubscription: form.newsSubscription,
      ...(form.organisationName.trim() && { organisationName: form.organisationName.trim() }),
      ...(form.website.trim() && { website: form.website.trim() }),
    };
    try {
      const result = await api.auth.register(body);
      setDone({ email: result.email, sent: result.confirmationSent });
    } catch (e) {
      errors.fromError(e, FIELDS, t('common.saveFailed'));
    }
  };

  if (done) {
    return (
      <>
        <PageHeader title={t('register.doneTitle')} />
        <p role="status" className={done.sent ? undefined : 'warning'}>
          {t(done.sent ? 'register.doneText' : 'register.doneNotSent', { email: done.email })}
        </p>
        <p>
          <Link to={`/sign-in?email=${encodeURIComponent(done.email)}`}>{t('auth.signIn')}</Link>
        </p>
      </>
    );
  }

  return (
    <>
      <PageHeader title={t('register.title')} intro={t('register.intro')} />
      <Form
        onSubmit={submit}
        errors={errors}
        submitLabel={t('register.submit')}
        busyLabel={t('register.submitting')}
      >
        <fieldset>
          <legend>{t('register.you')}</legend>
          <div className="field-row">
            <TextField
              label={t('register.firstName')}
              autoComplete="given-name"
              value={form.firstName}
              onChange={set('firstName')}
              error={errors.fields.firstName}
              required
            />
            <TextField
              label={t('register.lastName')}
              autoComplete="family-name"
              value={form.lastName}
              onChange={set('lastName')}
              error={errors.fields.lastName}
              required
            />
          </div>
          <TextField
            label={t('auth.email')}
            type="email"
            autoComplete="email"
            value={form.email}
            onChange={set('email')}
            error={errors.fields.email}
            required
          />
        </fieldset>
        <fieldset>
          <legend>{t('register.organisation')}</legend>
          <TextField
            label={t('register.organisationName')}
            autoComplete="organization"
            value={form.organisationName}
            onChange={set('organisationName')}
            error={errors.fields.organisationName}
            optional
          />
          <TextField
            label={t('register.website')}
            type="url"
            autoComplete="url"
            value={form.website}
            onChange={set('website')}
            error={errors.fields.website}
            optional
          />
        </fieldset>
        <fieldset>
          <legend>{t('register.security')}</legend>
          <TextField
            label={t('auth.password')}
            type="password"
            autoComplete="new-password"
            value={form.password}
            onChange={set('password')}
            error={errors.fields.password}
            hint={t('register.passwordHint', { min: PASSWORD_MIN })}
            required
          />
          <TextField
            label={t('register.passwordConfirm')}
            type="password"
            autoComplete="new-password"
            value={form.passwordConfirmation}
            onChange={set('passwordConfirmation')}
            error={errors.fields.passwordConfirmation}
            required
          />
          <CheckboxField
            label={t('register.privacy')}
            checked={form.privacyAccepted}
            onChange={set('privacyAccepted')}
            error={errors.fields.privacyAccepted}
            required
          />
          <CheckboxField
            label={t('register.news')}
            checked={form.newsSubscription}
            onChange={set('newsSubscription')}
          />
        </fieldset>
      </Form>
      <p>
        {t('auth.haveAccount')} <Link to="/sign-in">{t('auth.signIn')}</Link>
      </p>
    </>
  );
}
