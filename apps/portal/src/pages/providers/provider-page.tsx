// A provider's page: its settings and its SIP accounts table (Name, SIP Username, SIP Status,
// Push Notification, Assigned to, Actions), live SIP status, add / edit / delete.
import { useState } from 'react';
import type { SipAccount } from '@switchboard/contracts';
import { api } from '../../api/endpoints.ts';
import { useLive } from '../../api/live.tsx';
import { useResource } from '../../api/use-resource.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAnnounce } from '../../components/announcer.tsx';
import { ConfirmDialog } from '../../components/dialog.tsx';
import { GearMenu } from '../../components/gear-menu.tsx';
import { PlusIcon } from '../../components/icons.tsx';
import { LoadError, Loading, PageHeader } from '../../components/page.tsx';
import { PushBadge, SipStatusBadge } from '../../components/status.tsx';
import { Link } from '../../router/router.tsx';
import { AccountDialog } from './account-form.tsx';

type Open = { kind: 'add' } | { kind: 'edit'; account: SipAccount } | { kind: 'delete'; account: SipAccount };

export function ProviderPage({ id }: { readonly id: string }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const provider = useResource(() => api.providers.get(id), [id]);
  const accounts = useResource(() => api.accounts.list(id), [id]);
  const [open, setOpen] = useState<Open | null>(null);

  useLive((event) => {
    if (event.type === 'account' && event.providerId === id) {
      accounts.setData(
        (list) =>
          list && {
            ...list,
            items: list.items.map((a) =>
              a.id === event.accountId ? { ...a, sipStatus: event.sipStatus } : a,
            ),
          },
      );
    } else if (event.type === 'device' || event.type === 'device-deleted' || event.type === 'resync') {
      // "Assigned to" may have changed.
      accounts.reload();
    }
  });

  const remove = async (account: SipAccount) => {
    await api.accounts.remove(id, account.id, account.assignedTo.length > 0);
    setOpen(null);
    announce(t('accounts.deleted', { name: account.name }));
    accounts.reload();
    provider.reload();
  };

  const p = provider.data;
  const error = provider.error ?? accounts.error;
  return (
    <>
      <PageHeader
        title={p?.name ?? t('app.loading')}
        back={<Link to="/providers">← {t('provider.back')}</Link>}
        intro={
          p &&
          `${t('provider.server', { host: p.host, port: p.port, transport: p.transport.toUpperCase() })}${
            p.proxy ? `, ${t('provider.proxy', { proxy: p.proxy })}` : ''
          }`
        }
      />
      {error && (
        <LoadError
          message={error.message}
          retry={() => {
            provider.reload();
            accounts.reload();
          }}
        />
      )}
      <section aria-labelledby="accounts-title">
        <div className="section-title-row">
          <h2 id="accounts-title">{t('accounts.title')}</h2>
          {p && (
            <button type="button" className="button primary" onClick={() => setOpen({ kind: 'add' })}>
              <PlusIcon /> {t('accounts.add')}
            </button>
          )}
        </div>
        {!accounts.data && !error && <Loading />}
        {accounts.data && accounts.data.items.length === 0 && <p className="empty">{t('accounts.empty')}</p>}
        {accounts.data && accounts.data.items.length > 0 && (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">{t('accounts.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('accounts.col.name')}</th>
                  <th scope="col">{t('accounts.col.username')}</th>
                  <th scope="col">{t('accounts.col.status')}</th>
                  <th scope="col">{t('accounts.col.push')}</th>
                  <th scope="col">{t('accounts.col.assigned')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {accounts.data.items.map((a) => (
                  <tr key={a.id}>
                    <th scope="row" data-label={t('accounts.col.name')}>
                      {a.name || a.username}
                    </th>
                    <td data-label={t('accounts.col.username')} className="mono">
                      {a.username}
                    </td>
                    <td data-label={t('accounts.col.status')}>
                      <SipStatusBadge status={a.sipStatus} />
                    </td>
                    <td data-label={t('accounts.col.push')}>
                      <PushBadge status={a.pushStatus} />
                    </td>
                    <td data-label={t('accounts.col.assigned')}>
                      {a.assignedTo.length === 0
                        ? t('common.none')
                        : a.assignedTo.map((d, i) => (
                            <span key={d.deviceId}>
                              {i > 0 && ', '}
                              <Link to={`/contacts/${d.contactId}`}>
                                {d.deviceName} ({d.contactName})
                              </Link>
                            </span>
                          ))}
                    </td>
                    <td className="actions" data-label={t('common.actions')}>
                      <GearMenu
                        label={t('common.actionsFor', { name: a.name || a.username })}
                        items={[
                          {
                            label: t('accounts.edit'),
                            onSelect: () => setOpen({ kind: 'edit', account: a }),
                          },
                          {
                            label: t('accounts.delete'),
                            danger: true,
                            onSelect: () => setOpen({ kind: 'delete', account: a }),
                          },
                        ]}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {p && open && open.kind !== 'delete' && (
        <AccountDialog
          provider={p}
          account={open.kind === 'edit' ? open.account : undefined}
          onClose={() => setOpen(null)}
          onSaved={(saved) => {
            setOpen(null);
            announce(t('accounts.saved', { name: saved.name || saved.username }));
            accounts.reload();
            provider.reload();
          }}
        />
      )}
      {open?.kind === 'delete' && (
        <ConfirmDialog
          title={t('accounts.deleteTitle', { name: open.account.name || open.account.username })}
          confirmLabel={t('accounts.delete')}
          onClose={() => setOpen(null)}
          onConfirm={() => remove(open.account)}
        >
          <p>{t('accounts.deleteText')}</p>
          {open.account.assignedTo.length > 0 && (
            <p className="warning">
              {t('accounts.deleteInUse', {
                devices: open.account.assignedTo.map((d) => `${d.deviceName} (${d.contactName})`).join(', '),
              })}
            </p>
          )}
        </ConfirmDialog>
      )}
    </>
  );
}
