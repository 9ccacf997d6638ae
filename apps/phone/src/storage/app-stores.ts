// Everything the app keeps on the device, one LocalStore each. Signing out (or a reset of the
// activation code) forgets the credential and the line passwords; contacts, history, notes and
// settings belong to the user and stay.
import type { DeviceConfig } from '@switchboard/contracts';
import type { Contact } from '../model/contacts.ts';
import type { Note } from '../model/notes.ts';
import type { CallRecord } from '../model/recents.ts';
import type { WheelEntry } from '../model/wheel.ts';
import { LocalStore } from './local-store.ts';

export interface DeviceState {
  readonly token: string;
  readonly config: DeviceConfig;
  readonly activatedAt: string;
}

export type Language = 'en' | 'fr';

export interface Settings {
  readonly language: Language | undefined;
  readonly notifications: boolean;
  /** A small data: URL, the user's picture in the Home Circle. */
  readonly avatar: string | undefined;
  readonly inputDeviceId: string | undefined;
  readonly outputDeviceId: string | undefined;
  readonly ringerDeviceId: string | undefined;
  readonly dnd: boolean;
  readonly forwardEnabled: boolean;
  readonly forwardNumber: string;
  /** The line for outgoing calls (account id). */
  readonly selectedLineId: string | undefined;
}

export const DEFAULT_SETTINGS: Settings = {
  language: undefined,
  notifications: false,
  avatar: undefined,
  inputDeviceId: undefined,
  outputDeviceId: undefined,
  ringerDeviceId: undefined,
  dnd: false,
  forwardEnabled: false,
  forwardNumber: '',
  selectedLineId: undefined,
};

const PREFIX = 'switchboard.phone.';

export interface AppStores {
  readonly device: LocalStore<DeviceState | null>;
  /** Passwords the user typed for manual-password lines, by account id. */
  readonly passwords: LocalStore<Record<string, string>>;
  readonly settings: LocalStore<Settings>;
  readonly contacts: LocalStore<Contact[]>;
  readonly recents: LocalStore<CallRecord[]>;
  readonly notes: LocalStore<Note[]>;
  readonly wheel: LocalStore<WheelEntry[]>;
}

export function createStores(storage: Storage | undefined = globalThis.localStorage): AppStores {
  return {
    device: new LocalStore<DeviceState | null>(PREFIX + 'device', null, storage),
    passwords: new LocalStore<Record<string, string>>(PREFIX + 'passwords', {}, storage),
    settings: new LocalStore<Settings>(PREFIX + 'settings', DEFAULT_SETTINGS, storage),
    contacts: new LocalStore<Contact[]>(PREFIX + 'contacts', [], storage),
    recents: new LocalStore<CallRecord[]>(PREFIX + 'recents', [], storage),
    notes: new LocalStore<Note[]>(PREFIX + 'notes', [], storage),
    wheel: new LocalStore<WheelEntry[]>(PREFIX + 'wheel', [], storage),
  };
}
