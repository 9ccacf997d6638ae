// The call record of a call refused before any device rang (not found, Do Not Disturb, not
// registered, no route out…): an authenticated caller still sees it in their history.
import type { IncomingInvite } from '@switchboard/sip';
import type { PbxEventBus } from '../events/pbx-events.ts';
import type { FailedAttempt } from './call-admission.ts';
import { dispositionOf } from './call-outcome.ts';
import type { CallRecord, CdrSink } from './call-record.ts';

/** A refused attempt, with what its record says of direction, trunk and forwarding. */
export type RefusedAttempt = FailedAttempt & {
  readonly direction?: 'inbound' | 'outbound';
  readonly trunkId?: string;
  readonly divertedFrom?: readonly string[];
};

export interface RefusedCallDeps {
  readonly events: PbxEventBus;
  readonly cdrs: CdrSink;
  readonly now?: () => Date;
}

/** Publishes and writes the record of `invite`, refused with `status`. */
export async function recordRefusedCall(
  deps: RefusedCallDeps,
  invite: IncomingInvite,
  attempt: RefusedAttempt,
  status: number,
): Promise<void> {
  const now = (deps.now ?? (() => new Date()))();
  const record: CallRecord = {
    id: crypto.randomUUID(),
    tenantId: attempt.tenant.id,
    caller: attempt.caller.username,
    callee: attempt.callee,
    dialled: attempt.divertedFrom?.[0] ?? attempt.callee,
    ...(attempt.divertedFrom && { divertedFrom: attempt.divertedFrom }),
    direction: attempt.direction ?? 'internal',
    ...(attempt.trunkId !== undefined && { trunkId: attempt.trunkId }),
    startedAt: now,
    answeredAt: undefined,
    endedAt: now,
    durationSeconds: 0,
    billableSeconds: 0,
    disposition: dispositionOf(status),
    hangupCause: String(status),
    hangupSide: 'system',
    sipCallIds: [invite.request.callId],
  };
  deps.events.publish({ type: 'call-ended', record });
  await deps.cdrs.write(record);
}
