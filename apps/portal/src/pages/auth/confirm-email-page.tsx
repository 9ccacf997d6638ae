// The landing page of the confirmation e-mail's link: /portal/confirm-email?token=…
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api/endpoints.ts';
import { RequestError } from '../../api/client.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { PageHeader } from '../../components/page.tsx';
import { Link, useLocation } from '../../router/router.tsx';

type State = { kind: 'working' } | { kind: 'done' } | { kind: 'failed'; reason: string };

export function ConfirmEmailPage() {
  const { t } = useI18n();
  const { query } = useLocation();
  const token = query.get('token');
  const [state, setState] = useState<State>(
    token ? { kind: 'working' } : { kind: 'failed', reason: t('confirm.missing') },
  );
  const started = useRef(false);
  useEffect(() => {
    if (!token || started.current) return;
    started.current = true;
    api.auth.confirmEmail(token).then(
      () => setState({ kind: 'done' }),
      (e: unknown) => setState({ kind: 'failed', reason: e instanceof RequestError ? e.message : String(e) }),
    );
  }, [token]);

  return (
    <>
      <PageHeader title={t('confirm.title')} />
      {state.kind === 'working' && <p role="status">{t('confirm.working')}</p>}
      {state.kind === 'done' && (
        <>
          <p className="notice success" role="status">
            {t('confirm.done')}
          </p>
          <p>
            <Link to="/sign-in" className="button primary">
              {t('auth.signIn')}
            </Link>
          </p>
        </>
      )}
      {state.kind === 'failed' && (
        <>
          <p className="form-alert" role="alert">
            {t('confirm.failed', { reason: state.reason })}
          </p>
          <p>
            <Link to="/sign-in">{t('auth.signIn')}</Link>
          </p>
        </>
      )}
    </>
  );
}
