// What every screen reaches: the stores on the device, the phone engine, and the app log.
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { AppLog } from '../log/app-log.ts';
import type { PhoneEngine, PhoneSnapshot } from '../phone/phone-engine.ts';
import type { AppStores } from '../storage/app-stores.ts';
import type { LocalStore } from '../storage/local-store.ts';

export interface AppServices {
  readonly stores: AppStores;
  readonly engine: PhoneEngine;
  readonly log: AppLog;
}

export const AppContext = createContext<AppServices | null>(null);

export function useApp(): AppServices {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside AppContext');
  return value;
}

export function useStore<T>(store: LocalStore<T>): T {
  return useSyncExternalStore(store.subscribe, store.get);
}

export function usePhone(): PhoneSnapshot {
  const { engine } = useApp();
  return useSyncExternalStore(engine.subscribe, engine.getSnapshot);
}
