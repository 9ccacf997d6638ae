// The two faces of the app: activation until the device has a configuration, then the Home
// screen. A reset of the activation code in the portal signs the app out back to activation.
import { useEffect, useSyncExternalStore } from 'react';
import { ActivationScreen } from './activation/activation-screen.tsx';
import { HomeScreen } from './home/home-screen.tsx';
import { browserLanguage, I18nProvider } from './i18n/i18n.tsx';
import { useApp, useStore } from './ui/app-context.tsx';

export interface SignedOutSource {
  current(): string | undefined;
  subscribe(listener: (reason: string) => void): () => void;
}

export function App({ signedOut }: { readonly signedOut: SignedOutSource }) {
  const { stores, engine } = useApp();
  const device = useStore(stores.device);
  const settings = useStore(stores.settings);
  const signedOutReason = useSyncExternalStore(signedOut.subscribe, signedOut.current);
  const token = device?.token;

  useEffect(() => {
    const current = stores.device.get();
    if (current) engine.start(current);
  }, [token, engine, stores]);

  return (
    <I18nProvider language={settings.language ?? browserLanguage()}>
      {device ? <HomeScreen /> : <ActivationScreen signedOut={signedOutReason !== undefined} />}
    </I18nProvider>
  );
}
