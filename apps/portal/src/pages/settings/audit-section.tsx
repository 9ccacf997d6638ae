// The audit log: every change by an administrator or a token, newest first, paged.
import { useState } from 'react';
import { api } from '../../api/endpoints.ts';
import { useResource } from '../../api/use-resource.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { LoadError, Loading } from '../../components/page.tsx';

const PAGE_SIZE = 20;

const describe = (details: Record<string, unknown>): string =>
  Object.entries(details)
    .map(
      ([k, v]) =>
        `${k}: ${Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v)}`,
    )
    .join('; ');

export function AuditSection() {
  const { t, formatDateTime } = useI18n();
  const [page, setPage] = useState(0);
  const audit = useResource(() => api.audit.list({ limit: PAGE_SIZE, offset: page * PAGE_SIZE }), [page]);
  const pages = Math.max(1, Math.ceil((audit.data?.total ?? 0) / PAGE_SIZE));
  return (
    <section aria-labelledby="audit-title" className="panel">
      <h2 id="audit-title">{t('settings.audit')}</h2>
      <p>{t('settings.auditIntro')}</p>
      {audit.error && <LoadError message={audit.error.message} retry={audit.reload} />}
      {!audit.data && !audit.error && <Loading />}
      {audit.data && audit.data.items.length === 0 && <p className="empty">{t('settings.auditEmpty')}</p>}
      {audit.data && audit.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="audit">
            <caption className="visually-hidden">{t('settings.audit')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('settings.col.when')}</th>
                <th scope="col">{t('settings.col.who')}</th>
                <th scope="col">{t('settings.col.action')}</th>
                <th scope="col">{t('settings.col.details')}</th>
              </tr>
            </thead>
            <tbody>
              {audit.data.items.map((e) => (
                <tr key={e.id}>
                  <td data-label={t('settings.col.when')}>{formatDateTime(e.at)}</td>
                  <td data-label={t('settings.col.who')}>{e.actor}</td>
                  <td data-label={t('settings.col.action')} className="mono">
                    {e.action}
                  </td>
                  <td data-label={t('settings.col.details')} className="details">
                    {describe(e.details)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 && (
        <nav className="pager" aria-label={t('settings.audit')}>
          <button type="button" className="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
            {t('common.previous')}
          </button>
          <span>{t('common.pageOf', { page: page + 1, pages })}</span>
          <button
            type="button"
            className="button"
            disabled={page + 1 >= pages}
            onClick={() => setPage(page + 1)}
          >
            {t('common.next')}
          </button>
        </nav>
      )}
    </section>
  );
}
