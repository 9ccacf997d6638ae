// SIP passwords the user enters: for lines whose administrator chose "enter the password on the
// device" — asked after activation, and editable later from Account Info. After Save the dialog
// stays open while the lines register with the new passwords: it closes by itself when they are
// Connected, and says so plainly when the server refuses a password (401/403), so the user can
// correct it at once.
import { useEffect, useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import type { LineView } from '../phone/phone-engine.ts';
import { LineStatus } from '../sip/line-status.ts';
import { useApp, usePhone } from '../ui/app-context.tsx';
import { Dialog } from '../ui/dialog.tsx';

type Outcome = 'checking' | 'connected' | 'refused' | 'failed';

function outcomeOf(line: LineView): Outcome {
  if (line.status === LineStatus.Connected) return 'connected';
  if (line.status === LineStatus.NotConnected && line.failure && line.failure !== 'password-needed')
    return /^(401|403)\b/.test(line.failure) ? 'refused' : 'failed';
  return 'checking';
}

export function PasswordsDialog({ onClose }: { readonly onClose: () => void }) {
  const { t } = useI18n();
  const { engine } = useApp();
  const phone = usePhone();
  const manual = phone.lines.filter((l) => l.manualPassword);
  const [values, setValues] = useState<Record<string, string>>({});
  /** Lines restarted with a new password and being checked, by id. */
  const [checking, setChecking] = useState<readonly string[]>([]);

  const outcomes = new Map(
    manual.filter((l) => checking.includes(l.id)).map((l) => [l.id, outcomeOf(l)] as const),
  );
  const allConnected = checking.length > 0 && [...outcomes.values()].every((o) => o === 'connected');
  useEffect(() => {
    if (allConnected) onClose();
  }, [allConnected, onClose]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const entered = Object.entries(values).filter(([, password]) => password);
    setChecking([]);
    await Promise.all(entered.map(([id, password]) => engine.setLinePassword(id, password)));
    setValues({});
    setChecking(entered.map(([id]) => id));
  };

  const message = (line: LineView, outcome: Outcome | undefined) => {
    switch (outcome) {
      case 'checking':
        return <p role="status">{t('passwords.checking', { line: line.name })}</p>;
      case 'connected':
        return <p role="status">{t('passwords.connected', { line: line.name })}</p>;
      case 'refused':
        return (
          <p role="alert" className="error">
            {t('passwords.refused', { line: line.name, reason: line.failure ?? '' })}
          </p>
        );
      case 'failed':
        return (
          <p role="alert" className="error">
            {t('passwords.failed', { line: line.name, reason: line.failure ?? '' })}
          </p>
        );
      case undefined:
        return null;
    }
  };

  return (
    <Dialog title={t('passwords.title')} onClose={onClose}>
      <form onSubmit={(e) => void save(e)}>
        <p>{t('passwords.intro')}</p>
        {manual.map((line) => (
          <div key={line.id}>
            <label className="field">
              <span>{t('passwords.field', { line: line.name })}</span>
              <input
                type="password"
                autoComplete="current-password"
                value={values[line.id] ?? ''}
                onChange={(e) => setValues((v) => ({ ...v, [line.id]: e.target.value }))}
              />
            </label>
            {message(line, outcomes.get(line.id))}
          </div>
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
