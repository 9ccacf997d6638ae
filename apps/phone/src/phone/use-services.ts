// React's view of the PBX services (phone/pbx-services.ts).
import { useSyncExternalStore } from 'react';
import { useApp } from '../ui/app-context.tsx';
import type { ServicesSnapshot } from './pbx-services.ts';

export function useServices(): ServicesSnapshot {
  const { engine } = useApp();
  return useSyncExternalStore(engine.services.subscribe, engine.services.getSnapshot);
}
