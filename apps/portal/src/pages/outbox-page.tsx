// The outbox: with no SMTP server configured, e-mails (confirmations, password resets,
// activation instructions) are kept here so an administrator can deliver them by hand.
import { useState } from 'react';
import type { OutboxMail } from '@switchboard/contracts';
import { api } from '../api/endpoints.ts';
import { useResource } from '../api/use-resource.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { LoadError, Loading, PageHeader } from '../components/page.tsx';
import { Link } from '../router/router.tsx';

async function load() {
  const [mails, status] = await Promise.all([api.outbox.list({ limit: 100 }), api.outbox.status()]);
  return { mails, delivery: status.delivery };
}

export function OutboxPage({ mailId }: { readonly mailId?: string }) {
  const { t, formatDateTime } = useI18n();
  const data = useResource(load, []);
  return (
    <>
      <PageHeader
        title={t('outbox.title')}
        intro={data.data?.delivery === 'smtp' ? t('outbox.smtp') : t('outbox.intro')}
      />
      {data.error && <LoadError message={data.error.message} retry={data.reload} />}
      {!data.data && !data.error && <Loading />}
      {data.data && data.data.mails.items.length === 0 && <p className="empty">{t('outbox.empty')}</p>}
      {data.data && data.data.mails.items.length > 0 && (
        <div className="outbox">
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">{t('outbox.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('outbox.col.subject')}</th>
                  <th scope="col">{t('outbox.col.to')}</th>
                  <th scope="col">{t('outbox.col.date')}</th>
                </tr>
              </thead>
              <tbody>
                {data.data.mails.items.map((m) => (
                  <tr key={m.id} className={m.id === mailId ? 'selected' : undefined}>
                    <th scope="row" data-label={t('outbox.col.subject')}>
                      <Link to={`/outbox/${m.id}`} aria-current={m.id === mailId ? 'true' : undefined}>
                        {m.subject}
                      </Link>
                    </th>
                    <td data-label={t('outbox.col.to')}>{m.to}</td>
                    <td data-label={t('outbox.col.date')}>{formatDateTime(m.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {mailId && <MailView id={mailId} />}
        </div>
      )}
    </>
  );
}

function MailView({ id }: { readonly id: string }) {
  const { t, formatDateTime } = useI18n();
  const mail = useResource(() => api.outbox.get(id), [id]);
  const [view, setView] = useState<'html' | 'text'>('html');
  if (mail.error) return <LoadError message={mail.error.message} retry={mail.reload} />;
  if (!mail.data) return <Loading />;
  const m: OutboxMail = mail.data;
  return (
    <article className="mail panel" aria-labelledby="mail-subject">
      <h2 id="mail-subject">{m.subject}</h2>
      <dl className="mail-meta">
        <dt>{t('outbox.col.to')}</dt>
        <dd>{m.to}</dd>
        <dt>{t('outbox.col.date')}</dt>
        <dd>{formatDateTime(m.createdAt)}</dd>
      </dl>
      <div className="segmented" role="group" aria-label={t('outbox.title')}>
        {m.html && (
          <button type="button" aria-pressed={view === 'html'} onClick={() => setView('html')}>
            {t('outbox.html')}
          </button>
        )}
        <button type="button" aria-pressed={view === 'text' || !m.html} onClick={() => setView('text')}>
          {t('outbox.text')}
        </button>
      </div>
      {view === 'html' && m.html ? (
        <iframe
          className="mail-frame"
          title={t('outbox.mailFrame', { subject: m.subject })}
          sandbox="allow-popups allow-popups-to-escape-sandbox"
          srcDoc={m.html.replace('<head>', '<head><base target="_blank">')}
        />
      ) : (
        <pre className="mail-text">{m.text}</pre>
      )}
    </article>
  );
}
