// A contact's page: their e-mail addresses and devices table (Display Name, OS/Device, App
// Version, Device Status with sub-status, Actions), live device status, Add device, and each
// device's Activation Instructions and gear menu (edit, move, delete).
import { useState } from 'react';
import type { Device } from '@switchboard/contracts';
import { api } from '../../api/endpoints.ts';
import { useLive } from '../../api/live.tsx';
import { useResource } from '../../api/use-resource.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAnnounce } from '../../components/announcer.tsx';
import { ConfirmDialog } from '../../components/dialog.tsx';
import { GearMenu } from '../../components/gear-menu.tsx';
import { KeyIcon, PlusIcon } from '../../components/icons.tsx';
import { LoadError, Loading, PageHeader } from '../../components/page.tsx';
import { DeviceStatusBadge } from '../../components/status.tsx';
import { Link } from '../../router/router.tsx';
import { ContactDialog, fullName } from './contact-form.tsx';
import { DeviceDialog } from './device-form.tsx';
import { MoveDeviceDialog } from './move-device-dialog.tsx';

type Open =
  | { kind: 'edit-contact' }
  | { kind: 'add' }
  | { kind: 'edit'; device: Device }
  | { kind: 'move'; device: Device }
  | { kind: 'delete'; device: Device };

export function ContactPage({ id }: { readonly id: string }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const contact = useResource(() => api.contacts.get(id), [id]);
  const devices = useResource(() => api.devices.list(id), [id]);
  const [open, setOpen] = useState<Open | null>(null);

  useLive((event) => {
    if (event.type === 'device') {
      const d = event.device;
      devices.setData((list) => {
        if (!list) return list;
        const here = list.items.some((x) => x.id === d.id);
        if (d.contactId !== id)
          return here ? { items: list.items.filter((x) => x.id !== d.id), total: list.total - 1 } : list;
        return here
          ? { ...list, items: list.items.map((x) => (x.id === d.id ? d : x)) }
          : { items: [...list.items, d], total: list.total + 1 };
      });
    } else if (event.type === 'device-deleted') {
      devices.setData(
        (list) => list && { items: list.items.filter((x) => x.id !== event.deviceId), total: list.total - 1 },
      );
    } else if (event.type === 'resync') devices.reload();
  });

  const c = contact.data;
  const error = contact.error ?? devices.error;
  const remove = async (device: Device) => {
    await api.devices.remove(device.id);
    setOpen(null);
    announce(t('devices.deleted', { name: device.name }));
    devices.reload();
  };

  return (
    <>
      <PageHeader
        title={c ? fullName(c) : t('app.loading')}
        back={<Link to="/contacts">← {t('contact.back')}</Link>}
        actions={
          c && (
            <button type="button" className="button" onClick={() => setOpen({ kind: 'edit-contact' })}>
              {t('contacts.edit')}
            </button>
          )
        }
        intro={
          c && (
            <span className="email-list">
              {c.emails.map((e) => `${e.address} (${t(`contacts.label.${e.label}`)})`).join(' · ')}
            </span>
          )
        }
      />
      {error && (
        <LoadError
          message={error.message}
          retry={() => {
            contact.reload();
            devices.reload();
          }}
        />
      )}
      <section aria-labelledby="devices-title">
        <div className="section-title-row">
          <h2 id="devices-title">{t('devices.title')}</h2>
          {c && (
            <button type="button" className="button primary" onClick={() => setOpen({ kind: 'add' })}>
              <PlusIcon /> {t('devices.add')}
            </button>
          )}
        </div>
        {!devices.data && !error && <Loading />}
        {devices.data && devices.data.items.length === 0 && <p className="empty">{t('devices.empty')}</p>}
        {devices.data && devices.data.items.length > 0 && (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">{t('devices.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('devices.col.name')}</th>
                  <th scope="col">{t('devices.col.os')}</th>
                  <th scope="col">{t('devices.col.version')}</th>
                  <th scope="col">{t('devices.col.status')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {devices.data.items.map((d) => (
                  <tr key={d.id}>
                    <th scope="row" data-label={t('devices.col.name')}>
                      {d.name}
                    </th>
                    <td data-label={t('devices.col.os')}>{d.os ?? t('devices.unknown')}</td>
                    <td data-label={t('devices.col.version')}>{d.appVersion ?? t('devices.unknown')}</td>
                    <td data-label={t('devices.col.status')}>
                      <DeviceStatusBadge status={d.status} subStatus={d.subStatus} />
                    </td>
                    <td className="actions" data-label={t('common.actions')}>
                      <Link
                        to={`/devices/${d.id}/activation`}
                        className="icon-button"
                        aria-label={t('devices.activationFor', { name: d.name })}
                        title={t('devices.activationFor', { name: d.name })}
                      >
                        <KeyIcon />
                      </Link>
                      <GearMenu
                        label={t('common.actionsFor', { name: d.name })}
                        items={[
                          { label: t('devices.edit'), onSelect: () => setOpen({ kind: 'edit', device: d }) },
                          { label: t('devices.move'), onSelect: () => setOpen({ kind: 'move', device: d }) },
                          {
                            label: t('devices.delete'),
                            danger: true,
                            onSelect: () => setOpen({ kind: 'delete', device: d }),
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
      {c && open?.kind === 'edit-contact' && (
        <ContactDialog
          contact={c}
          onClose={() => setOpen(null)}
          onSaved={(saved) => {
            setOpen(null);
            announce(t('contacts.saved', { name: fullName(saved) }));
            contact.setData(() => saved);
          }}
        />
      )}
      {(open?.kind === 'add' || open?.kind === 'edit') && (
        <DeviceDialog
          contactId={id}
          device={open.kind === 'edit' ? open.device : undefined}
          onClose={() => setOpen(null)}
          onSaved={(saved) => {
            setOpen(null);
            announce(t('devices.saved', { name: saved.name }));
            devices.reload();
          }}
        />
      )}
      {open?.kind === 'move' && (
        <MoveDeviceDialog
          device={open.device}
          onClose={() => setOpen(null)}
          onMoved={(moved, contactName) => {
            setOpen(null);
            announce(t('devices.moved', { name: moved.name, contact: contactName }));
            devices.reload();
          }}
        />
      )}
      {open?.kind === 'delete' && (
        <ConfirmDialog
          title={t('devices.deleteTitle', { name: open.device.name })}
          confirmLabel={t('devices.delete')}
          onClose={() => setOpen(null)}
          onConfirm={() => remove(open.device)}
        >
          <p>{t('devices.deleteText')}</p>
        </ConfirmDialog>
      )}
    </>
  );
}
