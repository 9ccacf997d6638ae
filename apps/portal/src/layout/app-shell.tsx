// The frame of every signed-in page: skip link, header with the main navigation, preferences and
// sign out, the live-updates indicator, and the page in <main>.
import { useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { useAuth } from '../auth.tsx';
import { useLiveConnected } from '../api/live.tsx';
import { Link, navigate, useLocation } from '../router/router.tsx';
import { Preferences } from './preferences.tsx';

const NAV = [
  { to: '/providers', key: 'nav.providers' },
  { to: '/contacts', key: 'nav.contacts' },
  { to: '/outbox', key: 'nav.outbox' },
  { to: '/settings', key: 'nav.settings' },
] as const;

export function AppShell({ children }: { readonly children: ReactNode }) {
  const { t } = useI18n();
  const { user, signOut } = useAuth();
  const { path } = useLocation();
  const connected = useLiveConnected();
  const [menuOpen, setMenuOpen] = useState(false);
  const current = (to: string) =>
    path === to || path.startsWith(`${to}/`) || (to === '/contacts' && path.startsWith('/devices/'));

  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="app-header">
        <div className="brand-row">
          <Link to="/providers" className="brand">
            <span aria-hidden="true" className="brand-mark">
              ☎
            </span>{' '}
            {t('app.name')}
          </Link>
          <button
            type="button"
            className="button menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="main-nav"
            onClick={() => setMenuOpen((o) => !o)}
          >
            {t('app.menu')}
          </button>
        </div>
        <nav id="main-nav" aria-label={t('nav.main')} className={menuOpen ? 'main-nav open' : 'main-nav'}>
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <Link
                  to={item.to}
                  aria-current={current(item.to) ? 'page' : undefined}
                  onClick={() => setMenuOpen(false)}
                >
                  {t(item.key)}
                </Link>
              </li>
            ))}
          </ul>
          <div className="header-tools">
            <Preferences />
            <span className="user-name">{user ? `${user.firstName} ${user.lastName}` : ''}</span>
            <button
              type="button"
              className="button"
              onClick={() => void signOut().then(() => navigate('/sign-in?signedOut=1'))}
            >
              {t('nav.signOut')}
            </button>
          </div>
        </nav>
        <p className={connected ? 'live-indicator on' : 'live-indicator'}>
          <span aria-hidden="true" className="dot" />{' '}
          {connected ? t('live.connected') : t('live.disconnected')}
        </p>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

/** The frame of the signed-out pages (sign in, register, …). */
export function PublicShell({ children }: { readonly children: ReactNode }) {
  const { t } = useI18n();
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="public-header">
        <span className="brand">
          <span aria-hidden="true" className="brand-mark">
            ☎
          </span>{' '}
          {t('app.name')}
        </span>
        <Preferences />
      </header>
      <main id="main" tabIndex={-1} className="public-main">
        <div className="card">{children}</div>
      </main>
    </>
  );
}
