// Dialing rules with inline validation as you type (the same parser the API and the softphone
// use, from @switchboard/contracts), an example, and a tester: type a number, see what is dialed.
import { useId, useMemo, useState } from 'react';
import { matchDialingRules, parseDialingRules } from '@switchboard/contracts';
import { useI18n } from '../../i18n/i18n.tsx';
import { errorText } from '../../components/field.tsx';

export const DIALING_EXAMPLE = `# International: 00 becomes +
00|X. => +
# National: 0 and 10 digits becomes +44 and the 10 digits
0|ZXXXXXXXXX => +44`;

interface Props {
  readonly value: string;
  readonly onChange: (value: string) => void;
  /** From the API, after a failed save. */
  readonly error?: string | undefined;
}

export function DialingRulesField({ value, onChange, error }: Props) {
  const { t } = useI18n();
  const id = useId();
  const [sample, setSample] = useState('');
  const parsed = useMemo(() => parseDialingRules(value), [value]);
  const problems = parsed.ok ? [] : parsed.problems;
  const invalid = problems.length > 0 || Boolean(error);
  const tried = useMemo(() => {
    if (!parsed.ok || sample.trim() === '') return null;
    const result = matchDialingRules(sample, parsed.rules);
    return result.rule
      ? t('accounts.dialingResult', { input: sample.trim(), output: result.number })
      : t('accounts.dialingNoMatch', { input: sample.trim() });
  }, [parsed, sample, t]);
  const label = t('accounts.dialingRules');
  const describedBy = [invalid ? `${id}-problems` : '', `${id}-hint`].filter(Boolean).join(' ');

  return (
    <div className="field dialing-rules">
      <label htmlFor={id} className="field-label">
        {label}
        <span className="field-flag"> ({t('common.optional')})</span>
      </label>
      <textarea
        id={id}
        rows={4}
        spellCheck={false}
        className="mono"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        placeholder="00|X. => +"
      />
      {invalid && (
        <ul id={`${id}-problems`} className="field-error" aria-live="polite">
          {error && <li>{errorText(label, error)}</li>}
          {problems.map((p) => (
            <li key={`${p.line}:${p.column}`}>
              <span aria-hidden="true">⚠ </span>
              {t('accounts.dialingProblem', { line: p.line, column: p.column, message: p.message })}
            </li>
          ))}
        </ul>
      )}
      <p id={`${id}-hint`} className="field-hint">
        {t('accounts.dialingRulesHint')}
      </p>
      <details className="example">
        <summary>{t('accounts.dialingExample')}</summary>
        <pre className="mono">{DIALING_EXAMPLE}</pre>
        <button type="button" className="button small" onClick={() => onChange(DIALING_EXAMPLE)}>
          {t('accounts.dialingUseExample')}
        </button>
      </details>
      <div className="field dialing-try">
        <label htmlFor={`${id}-try`} className="field-label">
          {t('accounts.dialingTry')}
        </label>
        <input
          id={`${id}-try`}
          inputMode="tel"
          value={sample}
          onChange={(e) => setSample(e.target.value)}
          placeholder="00 44 20 7946 0000"
          aria-describedby={`${id}-tried`}
        />
        <output id={`${id}-tried`} htmlFor={`${id}-try ${id}`} aria-live="polite">
          {tried}
        </output>
      </div>
    </div>
  );
}
