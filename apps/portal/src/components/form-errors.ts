// Turns a failed save into messages next to the fields they concern: each API `details` entry
// goes to its field (`emails[1].address`), anything else to the form's own message. The form's
// values are untouched, so nothing typed is lost.
import { useCallback, useState } from 'react';
import { RequestError } from '../api/client.ts';

export type FieldErrors = Record<string, string>;

export interface FormErrors {
  readonly fields: FieldErrors;
  readonly form: string | null;
  /** Sets client-side errors (an empty object clears them). */
  readonly setFields: (fields: FieldErrors) => void;
  readonly setForm: (message: string | null) => void;
  /** Spreads a RequestError over the fields in `known` (field paths the form shows). */
  readonly fromError: (error: unknown, known: readonly string[], fallback: string) => void;
  readonly clear: () => void;
  readonly clearField: (field: string) => void;
}

export function useFormErrors(): FormErrors {
  const [fields, setFields] = useState<FieldErrors>({});
  const [form, setForm] = useState<string | null>(null);
  const fromError = useCallback((error: unknown, known: readonly string[], fallback: string) => {
    if (!(error instanceof RequestError)) {
      setFields({});
      setForm(fallback);
      return;
    }
    const next: FieldErrors = {};
    const others: string[] = [];
    for (const d of error.details) {
      if (known.includes(d.field)) next[d.field] ??= d.message;
      else others.push(`${d.field}: ${d.message}`);
    }
    setFields(next);
    const placed = Object.keys(next).length > 0;
    setForm(placed && others.length === 0 ? null : [error.message, ...others].join(' — '));
  }, []);
  const clear = useCallback(() => {
    setFields({});
    setForm(null);
  }, []);
  const clearField = useCallback(
    (field: string) =>
      setFields((current) => {
        if (!(field in current)) return current;
        const { [field]: _removed, ...rest } = current;
        return rest;
      }),
    [],
  );
  return { fields, form, setFields, setForm, fromError, clear, clearField };
}
