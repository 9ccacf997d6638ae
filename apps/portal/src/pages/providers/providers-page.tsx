// Service Providers: the list (built-in PBX first), Add Provider, and each provider's gear menu
// (edit, delete with a confirmation that says what else goes).
import { useState } from 'react';
import type { Provider } from '@switchboard/contracts';
import { api } from '../../api/endpoints.ts';
import { RequestError } from '../../api/client.ts';
import { useResource } from '../../api/use-resource.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAnnounce } from '../../components/announcer.tsx';
import { ConfirmDialog } from '../../components/dialog.tsx';
import { GearMenu } from '../../components/gear-menu.tsx';
import { PlusIcon } from '../../components/icons.tsx';
import { LoadError, Loading, PageHeader } from '../../components/page.tsx';
import { Link } from '../../router/router.tsx';
import { ProviderDialog } from './provider-form.tsx';

type Open = { kind: 'add' } | { kind: 'edit'; provider: Provider } | { kind: 'delete'; provider: Provider };

export function ProvidersPage() {
  const { t } = useI18n();
  const announce = useAnnounce();
  const providers = useResource(() => api.providers.list(), []);
  const [open, setOpen] = useState<Open | null>(null);
  const [inUse, setInUse] = useState(false);

  const close = () => {
    setOpen(null);
    setInUse(false);
  };

  const remove = async (provider: Provider) => {
    try {
      await api.providers.remove(provider.id, inUse);
    } catch (e) {
      if (e instanceof RequestError && e.code === 'provider_in_use') {
        setInUse(true);
        return;
      }
      throw e;
    }
    close();
    announce(t('providers.deleted', { name: provider.name }));
    providers.reload();
  };

  return (
    <>
      <PageHeader
        title={t('providers.title')}
        intro={t('providers.intro')}
        actions={
          <button type="button" className="button primary" onClick={() => setOpen({ kind: 'add' })}>
            <PlusIcon /> {t('providers.add')}
          </button>
        }
      />
      {providers.error && <LoadError message={providers.error.message} retry={providers.reload} />}
      {!providers.data && !providers.error && <Loading />}
      {providers.data && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t('providers.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('providers.name')}</th>
                <th scope="col">{t('providers.host')}</th>
                <th scope="col">{t('providers.port')}</th>
                <th scope="col">{t('providers.transport')}</th>
                <th scope="col">{t('providers.accounts')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {providers.data.items.map((p) => (
                <tr key={p.id}>
                  <th scope="row" data-label={t('providers.name')}>
                    <Link to={`/providers/${p.id}`}>{p.name}</Link>
                    {p.builtIn && <span className="badge plain neutral tag">{t('providers.builtIn')}</span>}
                  </th>
                  <td data-label={t('providers.host')}>{p.host}</td>
                  <td data-label={t('providers.port')}>{p.port}</td>
                  <td data-label={t('providers.transport')}>{p.transport.toUpperCase()}</td>
                  <td data-label={t('providers.accounts')}>{p.accountCount}</td>
                  <td className="actions">
                    <GearMenu
                      label={t('common.actionsFor', { name: p.name })}
                      items={[
                        {
                          label: t('providers.edit'),
                          onSelect: () => setOpen({ kind: 'edit', provider: p }),
                        },
                        ...(p.builtIn
                          ? []
                          : [
                              {
                                label: t('providers.delete'),
                                danger: true,
                                onSelect: () => setOpen({ kind: 'delete', provider: p }),
                              },
                            ]),
                      ]}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open && open.kind !== 'delete' && (
        <ProviderDialog
          provider={open.kind === 'edit' ? open.provider : undefined}
          onClose={close}
          onSaved={(saved) => {
            close();
            announce(t('providers.saved', { name: saved.name }));
            providers.reload();
          }}
        />
      )}
      {open?.kind === 'delete' && (
        <ConfirmDialog
          title={t('providers.deleteTitle', { name: open.provider.name })}
          confirmLabel={inUse ? t('providers.deleteAnyway') : t('providers.delete')}
          onClose={close}
          onConfirm={() => remove(open.provider)}
        >
          <p>{t('providers.deleteText', { count: open.provider.accountCount })}</p>
          {inUse && (
            <p className="warning" role="alert">
              {t('providers.deleteInUse')}
            </p>
          )}
        </ConfirmDialog>
      )}
    </>
  );
}
