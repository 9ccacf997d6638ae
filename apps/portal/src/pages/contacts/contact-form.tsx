// Add contact / edit one: first and last name, and e-mail addresses each labelled Work or Home
// ("Add new" adds a row; at least one address).
import { useRef, useState } from 'react';
import type { Contact, ContactInput, EmailLabel } from '@switchboard/contracts';
import { api } from '../../api/endpoints.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { SelectField, TextField } from '../../components/field.tsx';
import { Form } from '../../components/form.tsx';
import { useFormErrors } from '../../components/form-errors.ts';
import { Dialog } from '../../components/dialog.tsx';
import { PlusIcon, TrashIcon } from '../../components/icons.tsx';

const MAX_EMAILS = 10;

interface Row {
  readonly key: number;
  address: string;
  label: EmailLabel;
}

interface Props {
  readonly contact?: Contact;
  readonly onSaved: (contact: Contact) => void;
  readonly onClose: () => void;
}

export const fullName = (c: { firstName: string; lastName: string }): string =>
  `${c.firstName} ${c.lastName}`;

export function ContactDialog({ contact, onSaved, onClose }: Props) {
  const { t } = useI18n();
  const errors = useFormErrors();
  const nextKey = useRef(0);
  const row = (address = '', label: EmailLabel = 'work'): Row => ({ key: nextKey.current++, address, label });
  const [firstName, setFirstName] = useState(contact?.firstName ?? '');
  const [lastName, setLastName] = useState(contact?.lastName ?? '');
  const [emails, setEmails] = useState<Row[]>(() =>
    contact && contact.emails.length > 0 ? contact.emails.map((e) => row(e.address, e.label)) : [row()],
  );
  const focusRow = useRef<number | null>(null);

  const update = (index: number, patch: Partial<Row>) => {
    setEmails((list) => list.map((r, i) => (i === index ? { ...r, ...patch } : r)));
    errors.clearField(`emails[${index}].address`);
  };
  const addRow = () => {
    focusRow.current = emails.length;
    setEmails((list) => [...list, row()]);
  };
  const removeRow = (index: number) => setEmails((list) => list.filter((_, i) => i !== index));

  const fieldNames = [
    'firstName',
    'lastName',
    'emails',
    ...emails.flatMap((_, i) => [`emails[${i}].address`, `emails[${i}].label`, `emails[${i}]`]),
  ];

  const submit = async () => {
    const e: Record<string, string> = {};
    if (!firstName.trim()) e.firstName = t('common.fieldRequired', { field: t('contacts.firstName') });
    if (!lastName.trim()) e.lastName = t('common.fieldRequired', { field: t('contacts.lastName') });
    const filled = emails.filter((r) => r.address.trim() !== '');
    if (filled.length === 0) e['emails[0].address'] = t('contacts.emailRequired');
    errors.setFields(e);
    errors.setForm(null);
    if (Object.keys(e).length > 0) return;
    // Empty rows are dropped; indexes of API errors then refer to the kept rows, so keep them in place.
    if (filled.length !== emails.length) setEmails(filled);
    const body: ContactInput = {
      firstName: firstName.trim(),
      lastName: lastName.trim(),
      emails: filled.map((r) => ({ address: r.address.trim(), label: r.label })),
    };
    try {
      onSaved(contact ? await api.contacts.update(contact.id, body) : await api.contacts.create(body));
    } catch (err) {
      errors.fromError(err, fieldNames, t('common.saveFailed'));
    }
  };

  return (
    <Dialog
      title={contact ? t('contacts.editTitle', { name: fullName(contact) }) : t('contacts.addTitle')}
      onClose={onClose}
      wide
    >
      <Form onSubmit={submit} errors={errors} submitLabel={t('common.save')} onCancel={onClose}>
        <div className="field-row">
          <TextField
            label={t('contacts.firstName')}
            autoComplete="off"
            value={firstName}
            onChange={(v) => {
              setFirstName(v);
              errors.clearField('firstName');
            }}
            error={errors.fields.firstName}
            required
          />
          <TextField
            label={t('contacts.lastName')}
            autoComplete="off"
            value={lastName}
            onChange={(v) => {
              setLastName(v);
              errors.clearField('lastName');
            }}
            error={errors.fields.lastName}
            required
          />
        </div>
        <fieldset>
          <legend>
            {t('contacts.emails')}
            <span className="field-flag" aria-hidden="true">
              {' '}
              *
            </span>
          </legend>
          <p className="field-hint">{t('contacts.emailsHint')}</p>
          {errors.fields.emails && <p className="field-error">{errors.fields.emails}</p>}
          {emails.map((r, i) => (
            <div className="repeat-row" key={r.key}>
              <TextField
                label={t('contacts.emailN', { n: i + 1 })}
                type="email"
                autoComplete="off"
                value={r.address}
                onChange={(v) => update(i, { address: v })}
                error={errors.fields[`emails[${i}].address`] ?? errors.fields[`emails[${i}]`]}
                inputRef={(el) => {
                  if (el && focusRow.current === i) {
                    focusRow.current = null;
                    el.focus();
                  }
                }}
                className="grow"
              />
              <SelectField
                label={t('contacts.labelN', { n: i + 1 })}
                hideLabel
                value={r.label}
                onChange={(v) => update(i, { label: v as EmailLabel })}
                options={[
                  { value: 'work', label: t('contacts.label.work') },
                  { value: 'home', label: t('contacts.label.home') },
                ]}
                error={errors.fields[`emails[${i}].label`]}
              />
              <button
                type="button"
                className="icon-button"
                aria-label={t('contacts.removeEmailN', { n: i + 1 })}
                title={t('contacts.removeEmailN', { n: i + 1 })}
                disabled={emails.length === 1}
                onClick={() => removeRow(i)}
              >
                <TrashIcon />
              </button>
            </div>
          ))}
          <button type="button" className="button" onClick={addRow} disabled={emails.length >= MAX_EMAILS}>
            <PlusIcon /> {t('contacts.addEmail')}
          </button>
        </fieldset>
      </Form>
    </Dialog>
  );
}
