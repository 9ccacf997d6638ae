// Create or edit a contact (from scratch, or from a recent number): name, account (local
// contacts), phone numbers with labels, e-mail, company, picture; Delete when editing.
import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import type { Contact, PhoneNumberEntry } from '../model/contacts.ts';
import { removeFromWheel } from '../model/wheel.ts';
import { newId } from '../storage/local-store.ts';
import { useApp, useStore } from '../ui/app-context.tsx';
import { Dialog } from '../ui/dialog.tsx';
import { readPicture } from '../ui/picture.ts';
import { Icon } from '../ui/icons.tsx';

export function ContactForm({
  contactId,
  number,
  onClose,
}: {
  readonly contactId?: string;
  readonly number?: string;
  /** With the key of the saved contact (to show it), or nothing when cancelled or deleted. */
  readonly onClose: (savedKey?: string) => void;
}) {
  const { t } = useI18n();
  const { stores } = useApp();
  const contacts = useStore(stores.contacts);
  const existing = contacts.find((c) => c.id === contactId);
  const [name, setName] = useState(existing?.name ?? '');
  const [numbers, setNumbers] = useState<PhoneNumberEntry[]>(
    existing ? [...existing.numbers] : [{ label: 'Mobile', number: number ?? '' }],
  );
  const [email, setEmail] = useState(existing?.email ?? '');
  const [company, setCompany] = useState(existing?.company ?? '');
  const [avatar, setAvatar] = useState(existing?.avatar);
  const [errors, setErrors] = useState<{ name?: string; numbers?: string }>({});

  const save = (event: FormEvent) => {
    event.preventDefault();
    const cleaned = numbers
      .map((n) => ({ label: n.label.trim() || 'Phone', number: n.number.trim() }))
      .filter((n) => n.number);
    const problems = {
      ...(!name.trim() && { name: t('contact.nameRequired') }),
      ...(cleaned.length === 0 && { numbers: t('contact.numberRequired') }),
    };
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    const now = new Date().toISOString();
    const fields = {
      name: name.trim(),
      numbers: cleaned,
      ...(email.trim() && { email: email.trim() }),
      ...(company.trim() && { company: company.trim() }),
      ...(avatar && { avatar }),
    };
    if (existing) {
      const next: Contact = {
        ...existing,
        name: fields.name,
        numbers: cleaned,
        email: email.trim() || undefined,
        company: company.trim() || undefined,
        avatar,
        // The default stays the same number when others are removed or added before it.
        defaultNumber: Math.max(
          0,
          cleaned.findIndex((n) => n.number === existing.numbers[existing.defaultNumber]?.number),
        ),
        updatedAt: now,
      };
      stores.contacts.set((list) => list.map((c) => (c.id === existing.id ? next : c)));
      onClose(`contact:${existing.id}`);
    } else {
      const id = newId('contact');
      stores.contacts.set((list) => [
        ...list,
        { id, ...fields, defaultNumber: 0, favorite: false, createdAt: now, updatedAt: now },
      ]);
      // The unknown number on the wheel is now this contact.
      if (number)
        stores.wheel.set((w) =>
          w.map((e) => (e.key === `number:${number}` ? { ...e, key: `contact:${id}` } : e)),
        );
      onClose(`contact:${id}`);
    }
  };

  return (
    <Dialog title={existing ? t('contact.editTitle') : t('contact.create')} onClose={() => onClose()}>
      <form onSubmit={save} noValidate className="contact-form">
        <label className="field">
          <span>{t('contact.name')}</span>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={errors.name ? true : undefined}
            autoFocus
          />
          {errors.name && <span className="error">{errors.name}</span>}
        </label>
        <label className="field">
          <span>{t('contact.account')}</span>
          <select defaultValue="local">
            <option value="local">{t('contact.localContacts')}</option>
          </select>
        </label>
        <fieldset>
          <legend>{t('contact.numbers')}</legend>
          {numbers.map((n, i) => (
            <div className="number-row" key={i}>
              <input
                aria-label={t('contact.phoneLabel')}
                className="number-label-input"
                value={n.label}
                onChange={(e) =>
                  setNumbers((list) => list.map((x, j) => (j === i ? { ...x, label: e.target.value } : x)))
                }
              />
              <input
                type="tel"
                aria-label={t('contact.phoneNumber', { index: i + 1 })}
                value={n.number}
                onChange={(e) =>
                  setNumbers((list) => list.map((x, j) => (j === i ? { ...x, number: e.target.value } : x)))
                }
              />
              {numbers.length > 1 && (
                <button
                  type="button"
                  className="icon-button"
                  aria-label={t('contact.removeNumber', { index: i + 1 })}
                  onClick={() => setNumbers((list) => list.filter((_, j) => j !== i))}
                >
                  <Icon name="close" size={16} />
                </button>
              )}
            </div>
          ))}
          {errors.numbers && <span className="error">{errors.numbers}</span>}
          <button
            type="button"
            onClick={() => setNumbers((list) => [...list, { label: 'Work', number: '' }])}
          >
            {t('contact.addNumber')}
          </button>
        </fieldset>
        <label className="field">
          <span>{t('contact.email')}</span>
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('contact.company')}</span>
          <input value={company} onChange={(e) => setCompany(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('contact.avatar')}</span>
          <input
            type="file"
            accept="image/*"
            onChange={(e) => void readPicture(e.target.files?.[0]).then((p) => p && setAvatar(p))}
          />
        </label>
        <div className="row">
          {existing && (
            <button
              type="button"
              className="danger"
              onClick={() => {
                if (!confirm(t('contact.deleteConfirm', { name: existing.name }))) return;
                stores.contacts.set((list) => list.filter((c) => c.id !== existing.id));
                stores.wheel.set((w) => removeFromWheel(w, `contact:${existing.id}`));
                onClose();
              }}
            >
              {t('app.delete')}
            </button>
          )}
          <button type="button" onClick={() => onClose()}>
            {t('app.cancel')}
          </button>
          <button type="submit" className="primary">
            {t('app.confirm')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
