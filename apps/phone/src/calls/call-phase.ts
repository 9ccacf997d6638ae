// Where a call is in its life, with one guarded move (RFC 3261 §13 INVITE dialog usage as the
// user sees it).
//
//   outgoing: Dialing ──2xx──▶ Active ──BYE either way──▶ Ended
//                 └──────3xx–6xx / CANCEL──────────────────▲
//   incoming: Ringing ──we answer──▶ Active                │
//                 └──decline / caller cancels──────────────┘
export enum CallPhase {
  Dialing = 'dialing',
  Ringing = 'ringing',
  Active = 'active',
  Ended = 'ended',
}

const ALLOWED: Record<CallPhase, readonly CallPhase[]> = {
  [CallPhase.Dialing]: [CallPhase.Active, CallPhase.Ended],
  [CallPhase.Ringing]: [CallPhase.Active, CallPhase.Ended],
  [CallPhase.Active]: [CallPhase.Ended],
  [CallPhase.Ended]: [],
};

export function nextCallPhase(from: CallPhase, to: CallPhase): CallPhase {
  if (from === to) return to;
  if (!ALLOWED[from].includes(to)) throw new Error(`call phase: illegal move ${from} → ${to}`);
  return to;
}

/** How a call ended, as Recents shows it. */
export type CallOutcome =
  /** Talked (the arrow is green). */
  | 'answered'
  /** Incoming, not answered: the caller gave up (red). */
  | 'missed'
  /** Incoming, refused by the user (or by Do Not Disturb). */
  | 'declined'
  /** Incoming, sent on to the forwarding number. */
  | 'forwarded'
  /** Outgoing, the far end was busy or refused. */
  | 'busy'
  /** Outgoing, we gave up before an answer. */
  | 'cancelled'
  /** Anything else: unreachable, no answer, no common codec, network. */
  | 'failed';

export type CallDirection = 'inbound' | 'outbound';
