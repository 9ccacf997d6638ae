// Account settings: profile, password, API tokens, audit log.
import { useI18n } from '../../i18n/i18n.tsx';
import { useAuth } from '../../auth.tsx';
import { PageHeader } from '../../components/page.tsx';
import { AuditSection } from './audit-section.tsx';
import { PasswordSection } from './password-section.tsx';
import { ProfileSection } from './profile-section.tsx';
import { TokensSection } from './tokens-section.tsx';

export function SettingsPage() {
  const { t } = useI18n();
  const { user } = useAuth();
  if (!user) return null;
  return (
    <>
      <PageHeader title={t('settings.title')} />
      <nav aria-label={t('settings.title')} className="in-page-nav">
        <a href="#profile-title">{t('settings.profile')}</a>
        <a href="#password-title">{t('settings.password')}</a>
        <a href="#tokens-title">{t('settings.tokens')}</a>
        <a href="#audit-title">{t('settings.audit')}</a>
      </nav>
      <ProfileSection me={user} />
      <PasswordSection />
      <TokensSection />
      <AuditSection />
    </>
  );
}
