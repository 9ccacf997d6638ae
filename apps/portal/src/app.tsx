// Routes of the portal. Signed-out visitors reach only the public pages (sign in, register,
// e-mail confirmation, password reset); a signed-in session opens the app, with live updates.
import { useEffect, type ReactNode } from 'react';
import { useAuth } from './auth.tsx';
import { LiveProvider } from './api/live.tsx';
import { useI18n } from './i18n/i18n.tsx';
import { AppShell, PublicShell } from './layout/app-shell.tsx';
import { Dialog } from './components/dialog.tsx';
import { Loading, PageHeader } from './components/page.tsx';
import { Link, match, navigate, useLocation } from './router/router.tsx';
import { ConfirmEmailPage } from './pages/auth/confirm-email-page.tsx';
import { ForgotPasswordPage, ResetPasswordPage } from './pages/auth/password-pages.tsx';
import { RegisterPage } from './pages/auth/register-page.tsx';
import { SignInForm, SignInPage } from './pages/auth/sign-in-page.tsx';
import { ProvidersPage } from './pages/providers/providers-page.tsx';
import { ProviderPage } from './pages/providers/provider-page.tsx';
import { ContactsPage } from './pages/contacts/contacts-page.tsx';
import { ContactPage } from './pages/contacts/contact-page.tsx';
import { ActivationPage } from './pages/contacts/activation-page.tsx';
import { OutboxPage } from './pages/outbox-page.tsx';
import { SettingsPage } from './pages/settings/settings-page.tsx';

const PUBLIC: Record<string, () => ReactNode> = {
  '/sign-in': () => <SignInPage />,
  '/register': () => <RegisterPage />,
  '/confirm-email': () => <ConfirmEmailPage />,
  '/forgot-password': () => <ForgotPasswordPage />,
  '/reset-password': () => <ResetPasswordPage />,
};

const PRIVATE: readonly [string, (p: Record<string, string>) => ReactNode][] = [
  ['/providers', () => <ProvidersPage />],
  ['/providers/:id', (p) => <ProviderPage key={p.id} id={p.id!} />],
  ['/contacts', () => <ContactsPage />],
  ['/contacts/:id', (p) => <ContactPage key={p.id} id={p.id!} />],
  ['/devices/:id/activation', (p) => <ActivationPage key={p.id} id={p.id!} />],
  ['/outbox', () => <OutboxPage />],
  ['/outbox/:id', (p) => <OutboxPage mailId={p.id!} />],
  ['/settings', () => <SettingsPage />],
];

function NotFound() {
  const { t } = useI18n();
  return (
    <>
      <PageHeader title={t('common.notFound')} />
      <Link to="/providers">{t('common.backHome')}</Link>
    </>
  );
}

function Redirect({ to }: { readonly to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function SessionExpiredDialog() {
  const { t } = useI18n();
  const { signedIn, signOut, user } = useAuth();
  // Closing it gives up the page: signed out, to the sign-in page.
  const giveUp = () => void signOut().then(() => navigate('/sign-in'));
  return (
    <Dialog title={t('auth.expiredTitle')} onClose={giveUp}>
      <p>{t('auth.expiredText')}</p>
      <SignInForm initialEmail={user?.email ?? ''} onSignedIn={signedIn} />
    </Dialog>
  );
}

export function App() {
  const { user, expired } = useAuth();
  const { path, query } = useLocation();
  const publicPage = PUBLIC[path];

  if (publicPage) {
    // Signed in already: the sign-in and register pages lead into the app.
    if (user && (path === '/sign-in' || path === '/register')) return <Redirect to="/providers" />;
    return <PublicShell>{publicPage()}</PublicShell>;
  }
  if (user === undefined) return <Loading />;
  if (user === null) {
    const next = path === '/' ? '' : `?next=${encodeURIComponent(path + (query.size ? `?${query}` : ''))}`;
    return <Redirect to={`/sign-in${next}`} />;
  }
  if (path === '/') return <Redirect to="/providers" />;
  let page: ReactNode = <NotFound />;
  for (const [pattern, render] of PRIVATE) {
    const params = match(pattern, path);
    if (params) {
      page = render(params);
      break;
    }
  }
  return (
    <LiveProvider enabled={!expired}>
      <AppShell>{page}</AppShell>
      {expired && <SessionExpiredDialog />}
    </LiveProvider>
  );
}
