// What an ended call leaves behind: a Recents record, and its party first on the Activities Wheel.
import type { CallSnapshot } from '../calls/call.ts';
import { findContactByNumber } from '../model/contacts.ts';
import { MAX_RECORDS, type CallRecord } from '../model/recents.ts';
import { touchWheel } from '../model/wheel.ts';
import type { AppStores } from '../storage/app-stores.ts';
import { newId } from '../storage/local-store.ts';

/** The wheel/notes key of a party: its contact, or its bare number. */
export function partyKey(stores: AppStores, number: string): string {
  const contact = findContactByNumber(stores.contacts.get(), number);
  return contact ? `contact:${contact.id}` : `number:${number}`;
}

export function recordEndedCall(stores: AppStores, call: CallSnapshot): void {
  const endedAt = call.endedAt ?? Date.now();
  const record: CallRecord = {
    id: newId('call'),
    direction: call.direction,
    number: call.number,
    ...(call.name !== undefined && { name: call.name }),
    lineId: call.lineId,
    startedAt: new Date(call.startedAt).toISOString(),
    ...(call.answeredAt !== undefined && { answeredAt: new Date(call.answeredAt).toISOString() }),
    endedAt: new Date(endedAt).toISOString(),
    durationSeconds: call.answeredAt !== undefined ? Math.round((endedAt - call.answeredAt) / 1000) : 0,
    outcome: call.outcome ?? 'failed',
  };
  stores.recents.set((list) => [record, ...list].slice(0, MAX_RECORDS));
  stores.wheel.set((entries) => touchWheel(entries, partyKey(stores, call.number), endedAt));
}
