// How the PBX's own applications (voicemail, conferences, call recording) plug into calls:
// dialled feature codes they serve, a handler per answered call, and voicemail for a call
// nobody answered (when no forwarding applies). CallFeatures holds one PbxApps (the server builds it); none of it is needed
// for plain calls.
import type { IncomingInvite } from '@switchboard/sip';
import type { AdmittedCall } from '../../call/call-admission.ts';
import type { AnsweredCall, AnsweredCallHandler, CallSide } from '../answered-call.ts';
import type { Tenant } from '../../store/directory.ts';
import type { ConferencePhone } from '../conference/conferences.ts';
import type { DialledCodeCall } from '../dialled-code.ts';
import type { FeatureCodeMap, FeatureMatch } from '../feature-codes.ts';

/** Why an unanswered call may go to voicemail. */
export type UnansweredCause = 'busy' | 'no-answer' | 'unavailable' | 'dnd';

export interface PbxApps {
  /** A dialled feature code (`*97`, `*8…`): true when an app took the INVITE. */
  dialled?(invite: IncomingInvite, call: DialledCodeCall, match: FeatureMatch): Promise<boolean>;
  /** Per answered call (recording): its handler sees the call's events. */
  answered?(call: AnsweredCall, codes: FeatureCodeMap): AnsweredCallHandler | undefined;
  /** Whether calls to this callee that nobody answers go to voicemail (asked once per call). */
  voicemailFor?(call: AdmittedCall): Promise<boolean>;
  /** Takes the caller's INVITE to the callee's voicemail (busy, no answer, DND, not registered). */
  toVoicemail?(invite: IncomingInvite, call: AdmittedCall, cause: UnansweredCause): void;
  /** Moves a phone of an answered call into a conference room (REFER to the conference code). */
  joinConference?(tenant: Tenant, room: string, phone: ConferencePhone, owner: boolean): Promise<boolean>;
}

/** Several handlers as one: events go to all; the first that handles a request or BYE wins. */
export function combineHandlers(
  ...handlers: readonly (AnsweredCallHandler | undefined)[]
): AnsweredCallHandler {
  const all = handlers.filter((h): h is AnsweredCallHandler => h !== undefined);
  if (all.length === 1) return all[0]!;
  return {
    onDtmf: (side: CallSide, digit: string) => all.forEach((h) => h.onDtmf?.(side, digit)),
    onReinvite: (side, reinvite, offer) => all.some((h) => h.onReinvite?.(side, reinvite, offer) ?? false),
    onRequest: (side, request) => all.some((h) => h.onRequest?.(side, request) ?? false),
    onBye: (side) => all.some((h) => h.onBye?.(side) ?? false),
    onEnded: () => all.forEach((h) => h.onEnded?.()),
  };
}
