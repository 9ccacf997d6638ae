// Activation (the first screen): type or paste the code, open the click-to-activate link
// (`/phone/?activate=CODE` activates at once), or scan the QR code with the camera.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/en.ts';
import { APP_VERSION } from '../phone/phone-engine.ts';
import { activateDevice, ProvisioningError } from '../provisioning/provisioning-client.ts';
import { useApp } from '../ui/app-context.tsx';
import { describePlatform } from '../ui/platform.ts';
import { QrScanner } from './qr-scanner.tsx';

const KNOWN_ERRORS = [
  'activation_code_unknown',
  'activation_code_used',
  'activation_code_replaced',
  'rate_limited',
];

export function ActivationScreen({ signedOut }: { readonly signedOut: boolean }) {
  const { t } = useI18n();
  const { stores, log } = useApp();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [scanning, setScanning] = useState(false);
  const started = useRef(false);

  const activate = async (value: string): Promise<void> => {
    if (!value.trim()) return;
    setBusy(true);
    setError(undefined);
    try {
      const result = await activateDevice(location.origin, value, describePlatform(), APP_VERSION);
      log.info('activation', 'activated', {
        device: result.config.device.name,
        lines: result.config.accounts.length,
      });
      // The link's code must not stay in the address bar (or in the history).
      const url = new URL(location.href);
      url.searchParams.delete('activate');
      history.replaceState(null, '', url);
      stores.device.set({
        token: result.deviceToken,
        config: result.config,
        activatedAt: new Date().toISOString(),
      });
    } catch (e) {
      const code = e instanceof ProvisioningError ? e.code : '';
      log.warn('activation', 'activation failed', { code, error: String(e) });
      setError(
        KNOWN_ERRORS.includes(code)
          ? t(`activate.error.${code}` as MessageKey)
          : t('activate.error.other', { message: e instanceof Error ? e.message : String(e) }),
      );
      setBusy(false);
    }
  };

  // Click-to-activate: the link from the portal or the e-mail carries the code.
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const fromLink = new URLSearchParams(location.search).get('activate');
    if (fromLink) {
      setCode(fromLink);
      void activate(fromLink);
    }
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void activate(code);
  };

  return (
    <main className="activation" aria-labelledby="activation-title">
      <img className="activation-logo" src="./icons/phone.svg" alt="" width={96} height={96} />
      <h1 id="activation-title">{t('activate.title')}</h1>
      {signedOut && (
        <p className="notice" role="status">
          {t('activate.signedOut')}
        </p>
      )}
      <p>{t('activate.intro')}</p>
      <form onSubmit={submit} noValidate>
        <label htmlFor="activation-code">{t('activate.code')}</label>
        <input
          id="activation-code"
          name="code"
          autoComplete="one-time-code"
          autoCapitalize="characters"
          spellCheck={false}
          placeholder="XXXX-XXXX-XXXX-XXXX"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'activation-error' : undefined}
        />
        {error && (
          <p id="activation-error" className="error" role="alert">
            {error}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={busy || !code.trim()}>
            {busy ? t('activate.busy') : t('activate.submit')}
          </button>
          <button type="button" onClick={() => setScanning(true)} disabled={busy}>
            {t('activate.scan')}
          </button>
        </div>
      </form>
      {scanning && (
        <QrScanner
          onClose={() => setScanning(false)}
          onCode={(value) => {
            setScanning(false);
            setCode(value);
            void activate(value);
          }}
        />
      )}
    </main>
  );
}
