// Contacts: search (name or e-mail), paging, Add contact, and each contact's gear menu (edit,
// delete — with its devices, said plainly in the confirmation).
import { useEffect, useState } from 'react';
import type { Contact } from '@switchboard/contracts';
import { api } from '../../api/endpoints.ts';
import { useResource } from '../../api/use-resource.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAnnounce } from '../../components/announcer.tsx';
import { ConfirmDialog } from '../../components/dialog.tsx';
import { GearMenu } from '../../components/gear-menu.tsx';
import { PlusIcon } from '../../components/icons.tsx';
import { LoadError, Loading, PageHeader } from '../../components/page.tsx';
import { Link } from '../../router/router.tsx';
import { ContactDialog, fullName } from './contact-form.tsx';

const PAGE_SIZE = 25;
type Open = { kind: 'add' } | { kind: 'edit'; contact: Contact } | { kind: 'delete'; contact: Contact };

export function ContactsPage() {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(0);
  const [open, setOpen] = useState<Open | null>(null);

  useEffect(() => {
    const timer = window.setTimeout(() => {
      setQuery(search.trim());
      setPage(0);
    }, 250);
    return () => window.clearTimeout(timer);
  }, [search]);

  const contacts = useResource(
    () => api.contacts.list({ search: query, limit: PAGE_SIZE, offset: page * PAGE_SIZE, sort: 'lastName' }),
    [query, page],
  );
  const pages = Math.max(1, Math.ceil((contacts.data?.total ?? 0) / PAGE_SIZE));

  const remove = async (contact: Contact) => {
    await api.contacts.remove(contact.id, contact.deviceCount > 0);
    setOpen(null);
    announce(t('contacts.deleted', { name: fullName(contact) }));
    contacts.reload();
  };

  return (
    <>
      <PageHeader
        title={t('contacts.title')}
        intro={t('contacts.intro')}
        actions={
          <button type="button" className="button primary" onClick={() => setOpen({ kind: 'add' })}>
            <PlusIcon /> {t('contacts.add')}
          </button>
        }
      />
      <div role="search" className="search-bar">
        <label htmlFor="contact-search" className="field-label">
          {t('contacts.search')}
        </label>
        <input
          id="contact-search"
          type="search"
          value={search}
          placeholder={t('contacts.searchHint')}
          onChange={(e) => setSearch(e.target.value)}
        />
      </div>
      {contacts.error && <LoadError message={contacts.error.message} retry={contacts.reload} />}
      {!contacts.data && !contacts.error && <Loading />}
      {contacts.data && (
        <>
          <p className="result-count" role="status">
            {contacts.data.total === 0
              ? query
                ? t('contacts.noMatch', { search: query })
                : t('contacts.empty')
              : t('contacts.count', { count: contacts.data.total })}
          </p>
          {contacts.data.items.length > 0 && (
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">{t('contacts.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('contacts.col.name')}</th>
                    <th scope="col">{t('contacts.col.emails')}</th>
                    <th scope="col">{t('contacts.col.devices')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('common.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {contacts.data.items.map((c) => (
                    <tr key={c.id}>
                      <th scope="row" data-label={t('contacts.col.name')}>
                        <Link to={`/contacts/${c.id}`}>{fullName(c)}</Link>
                      </th>
                      <td data-label={t('contacts.col.emails')}>
                        <ul className="plain-list">
                          {c.emails.map((e) => (
                            <li key={e.address}>
                              {e.address} <span className="muted">({t(`contacts.label.${e.label}`)})</span>
                            </li>
                          ))}
                        </ul>
                      </td>
                      <td data-label={t('contacts.col.devices')}>{c.deviceCount}</td>
                      <td className="actions">
                        <GearMenu
                          label={t('common.actionsFor', { name: fullName(c) })}
                          items={[
                            {
                              label: t('contacts.edit'),
                              onSelect: () => setOpen({ kind: 'edit', contact: c }),
                            },
                            {
                              label: t('contacts.delete'),
                              danger: true,
                              onSelect: () => setOpen({ kind: 'delete', contact: c }),
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
          {pages > 1 && (
            <nav className="pager" aria-label={t('contacts.title')}>
              <button
                type="button"
                className="button"
                disabled={page === 0}
                onClick={() => setPage(page - 1)}
              >
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
        </>
      )}
      {open && open.kind !== 'delete' && (
        <ContactDialog
          contact={open.kind === 'edit' ? open.contact : undefined}
          onClose={() => setOpen(null)}
          onSaved={(saved) => {
            setOpen(null);
            announce(t('contacts.saved', { name: fullName(saved) }));
            contacts.reload();
          }}
        />
      )}
      {open?.kind === 'delete' && (
        <ConfirmDialog
          title={t('contacts.deleteTitle', { name: fullName(open.contact) })}
          confirmLabel={t('contacts.delete')}
          onClose={() => setOpen(null)}
          onConfirm={() => remove(open.contact)}
        >
          <p>{t('contacts.deleteText')}</p>
          {open.contact.deviceCount > 0 && (
            <p className="warning">{t('contacts.deleteDevices', { count: open.contact.deviceCount })}</p>
          )}
        </ConfirmDialog>
      )}
    </>
  );
}
