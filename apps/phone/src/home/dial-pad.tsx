// The dial pad: mouse, keyboard digits anywhere on the page, or paste (a number, a tel:/sip:
// link). It shows the number the line's dialing rules will dial. During a call the keys are
// also sent to the call as DTMF (RFC 4733).
import { useEffect, useRef } from 'react';
import { CallPhase } from '../calls/call-phase.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { numberFromLink } from '../model/phone-numbers.ts';
import { useApp, usePhone, useStore } from '../ui/app-context.tsx';
import { primaryCall } from './parties.ts';
import type { HomeDialog } from './use-home-actions.ts';
import { Icon } from '../ui/icons.tsx';

const KEYS: ReadonlyArray<readonly [string, string]> = [
  ['1', ''],
  ['2', 'ABC'],
  ['3', 'DEF'],
  ['4', 'GHI'],
  ['5', 'JKL'],
  ['6', 'MNO'],
  ['7', 'PQRS'],
  ['8', 'TUV'],
  ['9', 'WXYZ'],
  ['*', ''],
  ['0', '+'],
  ['#', ''],
];

export interface DialPadProps {
  readonly number: string;
  readonly setNumber: (update: (previous: string) => string) => void;
  readonly onCall: () => void;
  readonly open: (dialog: HomeDialog) => void;
}

export function DialPad({ number, setNumber, onCall, open }: DialPadProps) {
  const { t } = useI18n();
  const { engine, stores } = useApp();
  const phone = usePhone();
  const settings = useStore(stores.settings);
  const input = useRef<HTMLInputElement>(null);
  const current = primaryCall(phone.calls);
  const inCall = current?.phase === CallPhase.Active;
  const dialed = number.trim() ? engine.dialString(number, settings.selectedLineId) : '';

  const press = (key: string) => {
    setNumber((n) => n + key);
    if (inCall && current) engine.sendDtmf(current.id, key);
  };

  // Digits typed anywhere (not in another field) go to the pad; so does a paste.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (
        target &&
        (target.closest('input, textarea, select, [contenteditable="true"]') || target.closest('dialog'))
      )
        return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (/^[0-9*#+]$/.test(e.key)) {
        e.preventDefault();
        press(e.key);
      } else if (e.key === 'Backspace') setNumber((n) => n.slice(0, -1));
      else if (e.key === 'Enter' && number.trim()) onCall();
    };
    const onPaste = (e: ClipboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target?.closest('input, textarea')) return;
      const text = e.clipboardData?.getData('text') ?? '';
      if (text.trim()) {
        e.preventDefault();
        setNumber(() => numberFromLink(text));
      }
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('paste', onPaste);
    };
  });

  return (
    <section className="dial-pad" aria-labelledby="dial-pad-title">
      <h2 id="dial-pad-title" className="visually-hidden">
        {t('dialpad.title')}
      </h2>
      <div className="dial-input">
        <label htmlFor="dial-number" className="visually-hidden">
          {t('dialpad.number')}
        </label>
        <input
          id="dial-number"
          ref={input}
          type="tel"
          inputMode="tel"
          autoComplete="off"
          placeholder={t('dialpad.number')}
          value={number}
          onChange={(e) => setNumber(() => e.target.value)}
          onPaste={(e) => {
            const text = e.clipboardData.getData('text');
            if (/^(tel|sips?|callto|web\+callto):/i.test(text.trim())) {
              e.preventDefault();
              setNumber(() => numberFromLink(text));
            }
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && number.trim()) onCall();
          }}
        />
        <button
          type="button"
          className="icon-button"
          aria-label={t('dialpad.backspace')}
          onClick={() => setNumber((n) => n.slice(0, -1))}
        >
          <Icon name="backspace" />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={t('dialpad.createContact')}
          onClick={() => open({ kind: 'contact-form', number: number.trim() })}
        >
          <Icon name="plus" />
        </button>
      </div>
      <p className="dial-hint" aria-live="polite">
        {inCall
          ? t('dialpad.dtmf')
          : dialed && dialed !== number.trim()
            ? t('dialpad.dialsAs', { number: dialed })
            : ' '}
      </p>
      <div className="keys" role="group" aria-label={t('dialpad.title')}>
        {KEYS.map(([key, letters]) => (
          <button key={key} type="button" className="key" onClick={() => press(key)} aria-label={key}>
            <span className="key-digit">{key}</span>
            <span className="key-letters" aria-hidden="true">
              {letters}
            </span>
          </button>
        ))}
      </div>
      {phone.lines.length > 1 && (
        <label className="field">
          <span>{t('dialpad.lineFor')}</span>
          <select
            value={settings.selectedLineId}
            onChange={(e) => stores.settings.set((s) => ({ ...s, selectedLineId: e.target.value }))}
          >
            {phone.lines.map((line) => (
              <option key={line.id} value={line.id}>
                {line.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="button" className="primary call-button" disabled={!number.trim()} onClick={onCall}>
        {t('action.call')}
      </button>
    </section>
  );
}
