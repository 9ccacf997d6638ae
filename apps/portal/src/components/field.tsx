// Form fields: a visible <label> that is also the control's accessible name, an optional hint,
// and the error (from the form or from the API) right under the control, linked with
// aria-describedby and aria-invalid so screen readers read it with the field.
import { useId, type ChangeEvent, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';
import { useI18n } from '../i18n/i18n.tsx';

interface Common {
  readonly label: string;
  readonly error?: string | undefined;
  readonly hint?: ReactNode;
  readonly required?: boolean;
  /** Shows "optional" after the label. */
  readonly optional?: boolean;
  readonly className?: string;
}

/** An API detail is a fragment ("is required"): put the label in front so it reads as a sentence. */
export function errorText(label: string, error: string): string {
  return /^[a-z]/.test(error) ? `${label} ${error}` : error;
}

function useIds(error: string | undefined, hint: ReactNode | undefined) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return { id, hintId, errorId, describedBy };
}

function Label({ htmlFor, label, required, optional }: { htmlFor: string } & Common) {
  const { t } = useI18n();
  // The required mark stays outside the <label>: the accessible name is exactly the visible
  // label, and aria-required tells screen readers the rest.
  return (
    <span className="field-label-row">
      <label htmlFor={htmlFor} className="field-label">
        {label}
        {optional && <span className="field-flag"> ({t('common.optional')})</span>}
      </label>
      {required && (
        <span className="field-flag" aria-hidden="true">
          {' '}
          *
        </span>
      )}
    </span>
  );
}

function Messages({ label, error, hint, hintId, errorId }: Common & { hintId?: string; errorId?: string }) {
  return (
    <>
      {error && (
        <p id={errorId} className="field-error">
          <span aria-hidden="true">⚠ </span>
          {errorText(label, error)}
        </p>
      )}
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
    </>
  );
}

interface TextFieldProps
  extends
    Common,
    Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'required' | 'className'> {
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly inputRef?: Ref<HTMLInputElement>;
}

export function TextField(props: TextFieldProps) {
  const { label, error, hint, required, optional, className, value, onChange, inputRef, ...input } = props;
  const { id, hintId, errorId, describedBy } = useIds(error, hint);
  return (
    <div className={`field ${className ?? ''}`}>
      <Label htmlFor={id} label={label} required={required} optional={optional} />
      <input
        id={id}
        ref={inputRef}
        value={value}
        onChange={(e: ChangeEvent<HTMLInputElement>) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-required={required || undefined}
        aria-describedby={describedBy}
        {...input}
      />
      <Messages label={label} error={error} hint={hint} hintId={hintId} errorId={errorId} />
    </div>
  );
}

interface TextAreaProps extends Common {
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly rows?: number;
  readonly placeholder?: string;
  readonly spellCheck?: boolean;
}

export function TextArea(props: TextAreaProps) {
  const { label, error, hint, required, optional, className, value, onChange, ...rest } = props;
  const { id, hintId, errorId, describedBy } = useIds(error, hint);
  return (
    <div className={`field ${className ?? ''}`}>
      <Label htmlFor={id} label={label} required={required} optional={optional} />
      <textarea
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...rest}
      />
      <Messages label={label} error={error} hint={hint} hintId={hintId} errorId={errorId} />
    </div>
  );
}

export interface Option {
  readonly value: string;
  readonly label: string;
  readonly group?: string;
  readonly disabled?: boolean;
}

interface SelectFieldProps extends Common {
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly options: readonly Option[];
  /** A first, empty choice ("Choose…"). */
  readonly placeholder?: string;
  readonly disabled?: boolean;
  /** Visually hides the label (it stays the accessible name); for compact rows. */
  readonly hideLabel?: boolean;
}

export function SelectField(props: SelectFieldProps) {
  const { label, error, hint, required, optional, className, value, onChange, options, placeholder } = props;
  const { id, hintId, errorId, describedBy } = useIds(error, hint);
  const groups = [...new Set(options.map((o) => o.group ?? ''))];
  const render = (o: Option) => (
    <option key={o.value} value={o.value} disabled={o.disabled}>
      {o.label}
    </option>
  );
  return (
    <div className={`field ${className ?? ''}`}>
      <div className={props.hideLabel ? 'visually-hidden' : undefined}>
        <Label htmlFor={id} label={label} required={required} optional={optional} />
      </div>
      <select
        id={id}
        value={value}
        disabled={props.disabled}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-required={required || undefined}
        aria-describedby={describedBy}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {groups.length <= 1
          ? options.map(render)
          : groups.map((g) => (
              <optgroup key={g} label={g}>
                {options.filter((o) => (o.group ?? '') === g).map(render)}
              </optgroup>
            ))}
      </select>
      <Messages label={label} error={error} hint={hint} hintId={hintId} errorId={errorId} />
    </div>
  );
}

interface CheckProps {
  readonly label: ReactNode;
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
  readonly error?: string | undefined;
  readonly hint?: ReactNode;
  readonly required?: boolean;
  /** Renders as an on/off switch (role="switch"). */
  readonly switch?: boolean;
  readonly disabled?: boolean;
}

export function CheckboxField(props: CheckProps) {
  const { id, hintId, errorId, describedBy } = useIds(props.error, props.hint);
  return (
    <div className={`field field-check ${props.switch ? 'field-switch' : ''}`}>
      <input
        id={id}
        type="checkbox"
        role={props.switch ? 'switch' : undefined}
        checked={props.checked}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.checked)}
        aria-invalid={props.error ? true : undefined}
        aria-required={props.required || undefined}
        aria-describedby={describedBy}
      />
      <label htmlFor={id}>{props.label}</label>
      {props.required && (
        <span className="field-flag field-check-flag" aria-hidden="true">
          *
        </span>
      )}
      {props.error && (
        <p id={errorId} className="field-error">
          <span aria-hidden="true">⚠ </span>
          {props.error}
        </p>
      )}
      {props.hint && (
        <p id={hintId} className="field-hint">
          {props.hint}
        </p>
      )}
    </div>
  );
}
