// What the API needs from the running PBX about trunks: tell it they changed (it re-reads them
// and follows with its registrations), and each trunk's live registration.
import type { TrunkRegistration } from '@switchboard/contracts';

export interface TrunkControl {
  changed(): void;
  registration(trunkId: string): TrunkRegistration | undefined;
}
