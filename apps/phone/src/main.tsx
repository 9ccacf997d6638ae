// Entry point of the softphone: the stores, the log and the phone engine, then the React tree.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { AppLog } from './log/app-log.ts';
import { APP_VERSION, PhoneEngine } from './phone/phone-engine.ts';
import { createStores } from './storage/app-stores.ts';
import { describePlatform } from './ui/platform.ts';
import { AppContext } from './ui/app-context.tsx';
import './styles.css';

const log = new AppLog();
const stores = createStores();
let signedOutReason: string | undefined;
const signedOut = new Set<(reason: string) => void>();
const engine = new PhoneEngine({
  stores,
  log,
  origin: location.origin,
  os: describePlatform(),
  onSignedOut: (reason) => {
    signedOutReason = reason;
    signedOut.forEach((listener) => listener(reason));
  },
});
log.info('app', 'started', { version: APP_VERSION, platform: describePlatform() });
window.addEventListener('error', (event) => log.error('app', 'uncaught error', { message: event.message }));
window.addEventListener('unhandledrejection', (event) =>
  log.error('app', 'unhandled rejection', { reason: String(event.reason) }),
);

if ('serviceWorker' in navigator && import.meta.env.PROD) {
  navigator.serviceWorker
    .register('./sw.js', { scope: './' })
    .catch((error: unknown) => log.warn('app', 'service worker not registered', { error: String(error) }));
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppContext.Provider value={{ stores, engine, log }}>
      <App
        signedOut={{
          current: () => signedOutReason,
          subscribe: (listener) => {
            signedOut.add(listener);
            return () => signedOut.delete(listener);
          },
        }}
      />
    </AppContext.Provider>
  </StrictMode>,
);
