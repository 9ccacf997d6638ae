// Who is where on the Home screen: calls in the Home Circle (talking, calling) or on the
// Activities Wheel (ringing, held, muted), and the wheel's people not in a call.
import type { CallSnapshot } from '../calls/call.ts';
import { CallPhase } from '../calls/call-phase.ts';
import { findContactByNumber, type Contact } from '../model/contacts.ts';
import type { DragSource } from '../model/drag-actions.ts';
import { visibleWheel, type WheelEntry } from '../model/wheel.ts';

export interface PartyView {
  /** `contact:<id>` or `number:<number>`. */
  readonly key: string;
  readonly name: string;
  readonly number: string;
  readonly contact: Contact | undefined;
  readonly call: CallSnapshot | undefined;
  readonly pinned: boolean;
  readonly source: DragSource;
}

export function keyOf(contacts: readonly Contact[], number: string): string {
  const contact = findContactByNumber(contacts, number);
  return contact ? `contact:${contact.id}` : `number:${number}`;
}

export function partyFromKey(
  contacts: readonly Contact[],
  key: string,
): { contact?: Contact; number: string; name: string } {
  if (key.startsWith('contact:')) {
    const contact = contacts.find((c) => c.id === key.slice(8));
    if (contact) {
      const number = (contact.numbers[contact.defaultNumber] ?? contact.numbers[0])?.number ?? '';
      return { contact, number, name: contact.name };
    }
    return { number: '', name: '?' };
  }
  const number = key.replace(/^number:/, '');
  return { number, name: number };
}

function callSource(call: CallSnapshot): DragSource {
  if (call.phase === CallPhase.Ringing) return { kind: 'ringing', callId: call.id };
  if (call.phase === CallPhase.Dialing) return { kind: 'dialing', callId: call.id };
  if (call.held) return { kind: 'held', callId: call.id };
  if (call.muted) return { kind: 'muted', callId: call.id };
  return { kind: 'talking', callId: call.id };
}

export function inCircle(call: CallSnapshot): boolean {
  if (call.phase === CallPhase.Dialing) return true;
  return call.phase === CallPhase.Active && !call.held && !call.muted;
}

export function homeParties(
  calls: readonly CallSnapshot[],
  contacts: readonly Contact[],
  wheel: readonly WheelEntry[],
): { circle: PartyView[]; wheel: PartyView[] } {
  const circle: PartyView[] = [];
  const around: PartyView[] = [];
  const taken = new Set<string>();
  for (const call of calls) {
    if (call.phase === CallPhase.Ended) continue;
    const contact = findContactByNumber(contacts, call.number);
    const key = contact ? `contact:${contact.id}` : `number:${call.number}`;
    taken.add(key);
    const party: PartyView = {
      key,
      name: contact?.name ?? call.name ?? call.number,
      number: call.number,
      contact,
      call,
      pinned: wheel.some((w) => w.key === key && w.pinned),
      source: callSource(call),
    };
    (inCircle(call) ? circle : around).push(party);
  }
  for (const entry of visibleWheel(wheel)) {
    if (taken.has(entry.key)) continue;
    const found = partyFromKey(contacts, entry.key);
    if (entry.key.startsWith('contact:') && !found.contact) continue; // a deleted contact
    around.push({
      key: entry.key,
      name: found.name,
      number: found.number,
      contact: found.contact,
      call: undefined,
      pinned: entry.pinned,
      source: { kind: 'contact', key: entry.key, onWheel: true },
    });
  }
  return { circle, wheel: around };
}

/** The call the Phone Function Menu acts on. */
export function primaryCall(calls: readonly CallSnapshot[]): CallSnapshot | undefined {
  const live = calls.filter((c) => c.phase !== CallPhase.Ended);
  return (
    live.find((c) => c.phase === CallPhase.Active && !c.held) ??
    live.find((c) => c.phase === CallPhase.Dialing) ??
    live.find((c) => c.phase === CallPhase.Active)
  );
}
