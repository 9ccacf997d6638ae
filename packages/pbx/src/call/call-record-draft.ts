// The call record of a call still going on: who is on each side now, every SIP Call-ID seen,
// when the call (or its latest stretch) started and was answered. A transfer closes one stretch
// as its own record and starts the next, so each user's history shows whom they talked to.
// CallSession owns one; it writes the records (call-record.ts says what a record holds).
import type { CallSide } from '../features/answered-call.ts';
import type { Extension } from '../store/directory.ts';
import type { AdmittedCall } from './call-admission.ts';
import type { CallRecord, Disposition, HangupSide } from './call-record.ts';

/** How the call (or a stretch of it) ended. */
export interface CallEnd {
  readonly disposition: Disposition;
  readonly cause: string;
  readonly side: HangupSide;
}

export class CallRecordDraft {
  /** Who is on each side now: a the caller, b the callee, or whoever a transfer put there. */
  private readonly parties: Record<CallSide, Extension>;
  /** The trunk of each side whose party is an external number (the call record's direction). */
  private readonly trunks: Record<CallSide, string | undefined>;
  private readonly callIds: string[];
  /** Start of the call — or of its latest stretch, after a transfer wrote a record. */
  private startedAt: Date;
  private answeredAt: Date | undefined;

  constructor(
    private readonly call: AdmittedCall,
    callerCallId: string,
    startedAt: Date,
  ) {
    this.callIds = [callerCallId];
    this.startedAt = startedAt;
    this.parties = { a: call.caller, b: call.callee };
    this.trunks = {
      a: call.direction === 'inbound' ? call.trunkId : undefined,
      b: call.direction === 'outbound' ? call.trunkId : undefined,
    };
  }

  party(side: CallSide): Extension {
    return this.parties[side];
  }

  trunk(side: CallSide): string | undefined {
    return this.trunks[side];
  }

  /** Another SIP dialog became part of the call (a fork, a transferred leg). */
  addCallId(callId: string): void {
    this.callIds.push(callId);
  }

  answered(at: Date): void {
    this.answeredAt = at;
  }

  /** True when `party` taking `side` starts a new stretch: someone else, on an answered call. */
  changesParty(side: CallSide, party: Extension): boolean {
    return party.username !== this.parties[side].username && this.answeredAt !== undefined;
  }

  /** `party` (through `trunkId`, if external) is on `side` now, in the dialog `callId`. */
  seat(side: CallSide, party: Extension, trunkId: string | undefined, callId: string): void {
    this.parties[side] = party;
    this.trunks[side] = trunkId;
    this.callIds.push(callId);
  }

  /**
   * Another party takes a side (a transfer): returns the record of the stretch so far (answered,
   * `transferred`), and starts a new stretch at `now` between the dialog that stays and the one
   * arriving.
   */
  nextStretch(now: Date, stayingCallId: string | undefined, arrivingCallId: string): CallRecord {
    const record = this.record({ disposition: 'answered', cause: 'transferred', side: 'system' }, now);
    this.callIds.splice(0, this.callIds.length, ...(stayingCallId ? [stayingCallId] : []), arrivingCallId);
    this.startedAt = now;
    this.answeredAt = now;
    return record;
  }

  /** The call record of the call (or of its latest stretch), ending at `endedAt`. */
  record(end: CallEnd, endedAt: Date): CallRecord {
    const answeredAt = end.disposition === 'answered' ? this.answeredAt : undefined;
    return {
      id: crypto.randomUUID(),
      tenantId: this.call.tenant.id,
      // Side a is the caller's, b the callee's — after a transfer, whoever took those places.
      caller: this.parties.a.username,
      callee: this.parties.b.username,
      dialled: this.call.divertedFrom?.[0] ?? this.call.callee.username,
      ...(this.call.divertedFrom && { divertedFrom: this.call.divertedFrom }),
      // From an external number: inbound; to one: outbound (after a transfer too).
      direction:
        this.trunks.a !== undefined ? 'inbound' : this.trunks.b !== undefined ? 'outbound' : 'internal',
      ...((this.trunks.b ?? this.trunks.a) !== undefined && { trunkId: this.trunks.b ?? this.trunks.a }),
      startedAt: this.startedAt,
      answeredAt,
      endedAt,
      durationSeconds: Math.round((endedAt.getTime() - this.startedAt.getTime()) / 1000),
      billableSeconds: answeredAt ? Math.round((endedAt.getTime() - answeredAt.getTime()) / 1000) : 0,
      disposition: answeredAt ? 'answered' : end.disposition === 'answered' ? 'failed' : end.disposition,
      hangupCause: end.cause,
      hangupSide: end.side,
      sipCallIds: [...new Set(this.callIds)],
    };
  }
}
