// What the user's gestures and buttons do on the Home screen, in one place: calling a person
// (default number on the default line), the drag actions, pinning and clearing the wheel.
import { useCallback } from 'react';
import type { DragAction } from '../model/drag-actions.ts';
import { pinOnWheel, removeFromWheel, touchWheel } from '../model/wheel.ts';
import { useApp } from '../ui/app-context.tsx';
import { partyFromKey } from './parties.ts';

export type HomeDialog =
  | { readonly kind: 'contact'; readonly key: string }
  | { readonly kind: 'contact-form'; readonly contactId?: string; readonly number?: string }
  | { readonly kind: 'account' }
  | { readonly kind: 'settings' }
  | { readonly kind: 'passwords' }
  | { readonly kind: 'transfer'; readonly callId: string }
  | { readonly kind: 'transfer-menu'; readonly callId: string; readonly key: string };

export interface HomeActions {
  /** Calls a person by key (`contact:<id>` / `number:<n>`); `number` picks one of theirs. */
  callKey(key: string, options?: { number?: string; conference?: boolean }): void;
  run(action: DragAction): void;
  pin(key: string, pinned: boolean): void;
}

export function useHomeActions(open: (dialog: HomeDialog) => void): HomeActions {
  const { engine, stores } = useApp();

  const callKey = useCallback<HomeActions['callKey']>(
    (key, options = {}) => {
      const party = partyFromKey(stores.contacts.get(), key);
      const number = options.number ?? party.number;
      if (!number) return;
      engine.dial(number, {
        ...(party.contact?.defaultLineId && { lineId: party.contact.defaultLineId }),
        ...(party.contact && { name: party.contact.name }),
        conference: options.conference ?? false,
      });
      stores.wheel.set((w) => touchWheel(w, key, Date.now()));
    },
    [engine, stores],
  );

  const pin = useCallback(
    (key: string, pinned: boolean) => stores.wheel.set((w) => pinOnWheel(w, key, pinned, Date.now())),
    [stores],
  );

  const run = useCallback(
    (action: DragAction) => {
      switch (action.kind) {
        case 'call':
          return callKey(action.key);
        case 'conference':
          return callKey(action.key, { conference: true });
        case 'answer':
          return void engine.answer(action.callId);
        case 'decline':
          return engine.decline(action.callId);
        case 'hang-up':
          return engine.hangUp(action.callId);
        case 'hold':
          return void engine.hold(action.callId, true);
        case 'resume':
          return void engine.hold(action.callId, false);
        case 'unmute':
          return engine.mute(action.callId, false);
        case 'transfer-menu':
          return open({ kind: 'transfer-menu', callId: action.callId, key: action.key });
        case 'pin':
          return pin(action.key, true);
        case 'remove-from-wheel':
          return stores.wheel.set((w) => removeFromWheel(w, action.key));
        case 'none':
          return;
      }
    },
    [callKey, engine, open, pin, stores],
  );

  return { callKey, run, pin };
}
