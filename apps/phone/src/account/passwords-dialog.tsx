// SIP passwords the user enters: for lines whose administrator chose "enter the password on the
// device" — asked after activation, and editable later from Account Info.
import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { useApp, usePhone } from '../ui/app-context.tsx';
import { Dialog } from '../ui/dialog.tsx';

export function PasswordsDialog({ onClose }: { readonly onClose: () => void }) {
  const { t } = useI18n();
  const { engine } = useApp();
  const phone = usePhone();
  const manual = phone.lines.filter((l) => l.manualPassword);
  const [values, setValues] = useState<Record<string, string>>({});
  const save = (e: FormEvent) => {
    e.preventDefault();
    for (const [id, password] of Object.entries(values)) if (password) engine.setLinePassword(id, password);
    onClose();
  };
  return (
    <Dialog title={t('passwords.title')} onClose={onClose}>
      <form onSubmit={save}>
        <p>{t('passwords.intro')}</p>
        {manual.map((line) => (
          <label className="field" key={line.id}>
            <span>{t('passwords.field', { line: line.name })}</span>
            <input
              type="password"
              autoComplete="current-password"
              value={values[line.id] ?? ''}
              onChange={(e) => setValues((v) => ({ ...v, [line.id]: e.target.value }))}
            />
          </label>
        ))}
        <div className="row">
          <button type="button" onClick={onClose}>
            {t('app.cancel')}
          </button>
          <button type="submit" className="primary" disabled={!Object.values(values).some(Boolean)}>
            {t('app.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
