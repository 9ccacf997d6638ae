// A form that validates nothing by itself (noValidate: our messages, not the browser's), shows a
// summary alert, and moves focus to the first field in error after a failed submit.
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import type { FormErrors } from './form-errors.ts';

interface FormProps {
  readonly onSubmit: () => Promise<void> | void;
  readonly errors: FormErrors;
  readonly children: ReactNode;
  readonly submitLabel: string;
  readonly busyLabel?: string;
  readonly onCancel?: () => void;
  readonly className?: string;
  readonly danger?: boolean;
  /** Accessible name of the form (e.g. the dialog or section title). */
  readonly label?: string;
}

export function Form(props: FormProps) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const ref = useRef<HTMLFormElement>(null);
  const { fields, form } = props.errors;
  const hasFieldErrors = Object.keys(fields).length > 0;

  useEffect(() => {
    if (attempt === 0) return;
    const target =
      ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
      ref.current?.querySelector<HTMLElement>('.form-alert');
    target?.focus();
  }, [attempt]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      await props.onSubmit();
    } finally {
      setBusy(false);
      setAttempt((n) => n + 1);
    }
  };

  return (
    <form ref={ref} noValidate onSubmit={submit} className={props.className} aria-label={props.label}>
      {(form || hasFieldErrors) && (
        <div className="form-alert" role="alert" tabIndex={-1}>
          {form ?? t('common.fixErrors')}
        </div>
      )}
      {props.children}
      <div className="form-actions">
        <button type="submit" className={props.danger ? 'button danger' : 'button primary'} disabled={busy}>
          {busy ? (props.busyLabel ?? t('common.saving')) : props.submitLabel}
        </button>
        {props.onCancel && (
          <button type="button" className="button" onClick={props.onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
