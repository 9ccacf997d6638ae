// A page's heading (focused after navigation, so screen readers announce the new page), its
// intro and its main actions; plus the loading and error states every page shares.
import { useEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.tsx';

interface PageHeaderProps {
  readonly title: string;
  readonly intro?: ReactNode;
  readonly actions?: ReactNode;
  readonly back?: ReactNode;
}

export function PageHeader({ title, intro, actions, back }: PageHeaderProps) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Switchboard`;
    ref.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <header className="page-header">
      {back && <p className="back-link">{back}</p>}
      <div className="page-title-row">
        <h1 ref={ref} tabIndex={-1}>
          {title}
        </h1>
        {actions && <div className="page-actions">{actions}</div>}
      </div>
      {intro && <p className="page-intro">{intro}</p>}
    </header>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="loading" role="status">
      {t('app.loading')}
    </p>
  );
}

export function LoadError({ message, retry }: { readonly message: string; readonly retry: () => void }) {
  const { t } = useI18n();
  return (
    <div className="form-alert" role="alert">
      <p>{message}</p>
      <button type="button" className="button" onClick={retry}>
        {t('app.retry')}
      </button>
    </div>
  );
}
