// Profile: name, organisation name and website, news subscription.
import { useState } from 'react';
import type { Me } from '@switchboard/contracts';
import { api, type ProfilePatch } from '../../api/endpoints.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAuth } from '../../auth.tsx';
import { useAnnounce } from '../../components/announcer.tsx';
import { CheckboxField, TextField } from '../../components/field.tsx';
import { Form } from '../../components/form.tsx';
import { useFormErrors } from '../../components/form-errors.ts';

const FIELDS = ['firstName', 'lastName', 'organisationName', 'website', 'supportEmail', 'newsSubscription'];

export function ProfileSection({ me }: { readonly me: Me }) {
  const { t } = useI18n();
  const { signedIn } = useAuth();
  const announce = useAnnounce();
  const errors = useFormErrors();
  const [form, setForm] = useState({
    firstName: me.firstName,
    lastName: me.lastName,
    organisationName: me.organisation.name,
    website: me.organisation.website ?? '',
    supportEmail: me.organisation.supportEmail ?? '',
    newsSubscription: me.newsSubscription,
  });
  const set =
    <K extends keyof typeof form>(key: K) =>
    (value: (typeof form)[K]) => {
      setForm((f) => ({ ...f, [key]: value }));
      errors.clearField(key);
    };
  const submit = async () => {
    const e: Record<string, string> = {};
    if (!form.firstName.trim()) e.firstName = t('common.fieldRequired', { field: t('register.firstName') });
    if (!form.lastName.trim()) e.lastName = t('common.fieldRequired', { field: t('register.lastName') });
    if (!form.organisationName.trim())
      e.organisationName = t('common.fieldRequired', { field: t('register.organisationName') });
    errors.setFields(e);
    errors.setForm(null);
    if (Object.keys(e).length > 0) return;
    // Only what changed: the audit log then says what was changed.
    const next = {
      firstName: form.firstName.trim(),
      lastName: form.lastName.trim(),
      organisationName: form.organisationName.trim(),
      website: form.website.trim() || null,
      supportEmail: form.supportEmail.trim() || null,
      newsSubscription: form.newsSubscription,
    };
    const before = {
      firstName: me.firstName,
      lastName: me.lastName,
      organisationName: me.organisation.name,
      website: me.organisation.website,
      supportEmail: me.organisation.supportEmail,
      newsSubscription: me.newsSubscription,
    };
    const patch = Object.fromEntries(
      Object.entries(next).filter(([k, v]) => before[k as keyof typeof before] !== v),
    ) as ProfilePatch;
    try {
      const updated = await api.auth.updateProfile(patch);
      signedIn(updated);
      announce(t('settings.profileSaved'));
    } catch (err) {
      errors.fromError(err, FIELDS, t('common.saveFailed'));
    }
  };
  return (
    <section aria-labelledby="profile-title" className="panel">
      <h2 id="profile-title">{t('settings.profile')}</h2>
      <dl className="facts">
        <dt>{t('auth.email')}</dt>
        <dd>{me.email}</dd>
        <dt>{t('settings.sipDomain')}</dt>
        <dd className="mono">{me.organisation.sipDomain}</dd>
      </dl>
      <Form onSubmit={submit} errors={errors} submitLabel={t('common.save')}>
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
        <div className="field-row">
          <TextField
            label={t('register.organisationName')}
            autoComplete="organization"
            value={form.organisationName}
            onChange={set('organisationName')}
            error={errors.fields.organisationName}
            required
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
        </div>
        <TextField
          label={t('settings.supportEmail')}
          hint={t('settings.supportEmailHint')}
          type="email"
          autoComplete="email"
          value={form.supportEmail}
          onChange={set('supportEmail')}
          error={errors.fields.supportEmail}
          optional
        />
        <CheckboxField
          label={t('register.news')}
          checked={form.newsSubscription}
          onChange={set('newsSubscription')}
        />
      </Form>
    </section>
  );
}
