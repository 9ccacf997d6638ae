// Activation Instructions for a device: the code, its QR code and the click-to-activate link;
// "Send e-mail to" one of the contact's addresses (the code is then hidden and the device shows
// "Instructions sent"); reset code, with the warning that an activated device is deactivated.
import { useEffect, useState } from 'react';
import type { Activation, Contact, Device } from '@switchboard/contracts';
import { api } from '../../api/endpoints.ts';
import { useLive } from '../../api/live.tsx';
import { useResource } from '../../api/use-resource.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useAnnounce } from '../../components/announcer.tsx';
import { ConfirmDialog } from '../../components/dialog.tsx';
import { SelectField } from '../../components/field.tsx';
import { Form } from '../../components/form.tsx';
import { useFormErrors } from '../../components/form-errors.ts';
import { LoadError, Loading, PageHeader } from '../../components/page.tsx';
import { DeviceStatusBadge } from '../../components/status.tsx';
import { Link } from '../../router/router.tsx';
import { fullName } from './contact-form.tsx';

interface Loaded {
  readonly device: Device;
  readonly contact: Contact;
  readonly activation: Activation;
  readonly delivery: 'smtp' | 'outbox';
}

async function load(id: string): Promise<Loaded> {
  const [device, activation, status] = await Promise.all([
    api.devices.get(id),
    api.activation.get(id),
    api.outbox.status(),
  ]);
  const contact = await api.contacts.get(device.contactId);
  return { device, contact, activation, delivery: status.delivery };
}

export function ActivationPage({ id }: { readonly id: string }) {
  const { t, formatDateTime } = useI18n();
  const announce = useAnnounce();
  const data = useResource(() => load(id), [id]);
  const [resetting, setResetting] = useState(false);

  useLive((event) => {
    if (event.type === 'device' && event.device.id === id) {
      const changedActivation = event.device.status !== data.data?.device.status;
      data.setData((d) => d && { ...d, device: event.device });
      if (changedActivation)
        void api.activation.get(id).then((a) => data.setData((d) => d && { ...d, activation: a }));
    } else if (event.type === 'resync') data.reload();
  });

  if (data.error) return <LoadError message={data.error.message} retry={data.reload} />;
  if (!data.data) return <Loading />;
  const { device, contact, activation, delivery } = data.data;
  const setActivation = (a: Activation) => data.setData((d) => d && { ...d, activation: a });

  return (
    <>
      <PageHeader
        title={t('activation.title')}
        back={
          <Link to={`/contacts/${contact.id}`}>← {t('activation.back', { name: fullName(contact) })}</Link>
        }
        intro={t('activation.for', { device: device.name, contact: fullName(contact) })}
      />
      <p className="status-line">
        <span className="muted">{t('activation.status')}:</span>{' '}
        <DeviceStatusBadge status={device.status} subStatus={device.subStatus} />
      </p>

      {activation.code ? (
        <section aria-label={t('activation.title')} className="activation">
          <p>{t('activation.intro')}</p>
          <div className="activation-grid">
            <div className="activation-way">
              <h3>1. {t('activation.click')}</h3>
              <p>{t('activation.clickText')}</p>
              {activation.link && (
                <a className="button primary" href={activation.link}>
                  {t('activation.clickButton')}
                </a>
              )}
            </div>
            <div className="activation-way">
              <h3>2. {t('activation.qr')}</h3>
              <p>{t('activation.qrText')}</p>
              {activation.qrPng && (
                <img
                  className="qr"
                  src={activation.qrPng}
                  width={200}
                  height={200}
                  alt={t('activation.qrAlt', { code: activation.code })}
                />
              )}
            </div>
            <div className="activation-way">
              <h3>3. {t('activation.code')}</h3>
              <p>{t('activation.codeText')}</p>
              <p className="activation-code mono">{activation.code}</p>
              <CopyButton text={activation.code} label={t('activation.copyCode')} />
            </div>
          </div>
        </section>
      ) : (
        <p className="notice" role="status">
          {activation.activated
            ? t('activation.hiddenActivated')
            : t('activation.hiddenSent', {
                email: activation.instructionsSentTo ?? '',
                date: activation.instructionsSentAt ? formatDateTime(activation.instructionsSentAt) : '',
              })}
        </p>
      )}

      {!activation.activated && (
        <SendInstructions
          deviceId={id}
          contact={contact}
          delivery={delivery}
          onSent={(a, email) => {
            setActivation(a);
            announce(t('activation.sent', { email }));
            void api.devices.get(id).then((d) => data.setData((x) => x && { ...x, device: d }));
          }}
        />
      )}

      <section aria-labelledby="reset-title" className="panel">
        <h2 id="reset-title">{t('activation.reset')}</h2>
        <p className="warning">{t('activation.resetWarning')}</p>
        <button type="button" className="button danger" onClick={() => setResetting(true)}>
          {t('activation.reset')}
        </button>
      </section>

      {resetting && (
        <ConfirmDialog
          title={t('activation.resetTitle')}
          confirmLabel={t('activation.reset')}
          onClose={() => setResetting(false)}
          onConfirm={async () => {
            setActivation(await api.activation.reset(id));
            setResetting(false);
            announce(t('activation.resetDone'));
            data.setData((x) => x && { ...x, device: { ...x.device } });
            void api.devices.get(id).then((d) => data.setData((x) => x && { ...x, device: d }));
          }}
        >
          <p>{t('activation.resetText')}</p>
          <p className="warning">{t('activation.resetWarning')}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

function SendInstructions(props: {
  deviceId: string;
  contact: Contact;
  delivery: 'smtp' | 'outbox';
  onSent: (activation: Activation, email: string) => void;
}) {
  const { t } = useI18n();
  const errors = useFormErrors();
  const [email, setEmail] = useState(props.contact.emails[0]?.address ?? '');
  const [sentNote, setSentNote] = useState(false);
  useEffect(() => setEmail(props.contact.emails[0]?.address ?? ''), [props.contact]);
  const submit = async () => {
    if (!email) {
      errors.setFields({ email: t('common.fieldRequired', { field: t('activation.sendTo') }) });
      return;
    }
    errors.clear();
    try {
      props.onSent(await api.activation.send(props.deviceId, email), email);
      setSentNote(props.delivery === 'outbox');
    } catch (err) {
      errors.fromError(err, ['email'], t('common.saveFailed'));
    }
  };
  return (
    <section aria-labelledby="send-title" className="panel">
      <h2 id="send-title">{t('activation.send')}</h2>
      {props.contact.emails.length === 0 ? (
        <p className="warning">{t('activation.noEmails')}</p>
      ) : (
        <Form
          onSubmit={submit}
          errors={errors}
          submitLabel={t('activation.sendButton')}
          busyLabel={t('activation.sending')}
          className="inline-form"
        >
          <SelectField
            label={t('activation.sendTo')}
            value={email}
            onChange={setEmail}
            options={props.contact.emails.map((e) => ({
              value: e.address,
              label: `${e.address} (${t(`contacts.label.${e.label}`)})`,
            }))}
            hint={t('activation.sendHint')}
            error={errors.fields.email}
          />
        </Form>
      )}
      {sentNote && (
        <p className="notice">
          {t('activation.sentOutbox')} <Link to="/outbox">{t('nav.outbox')}</Link>
        </p>
      )}
    </section>
  );
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  return (
    <button
      type="button"
      className="button"
      onClick={() =>
        void navigator.clipboard.writeText(text).then(
          () => announce(t('common.copied')),
          () => announce(t('common.copyFailed')),
        )
      }
    >
      {label}
    </button>
  );
}
