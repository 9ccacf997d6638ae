/** States of an INVITE session (the dialog usage of RFC 3261 §13–15 once a 2xx was sent or received). */
export enum SessionState {
  /** Established: 2xx sent or received; the UAS may still wait for the ACK. */
  Confirmed = 'Confirmed',
  /** BYE sent or received, or the session failed. */
  Terminated = 'Terminated',
}

/** Why a session ended. */
export type SessionEndReason =
  /** We sent BYE (§15.1.1). */
  | 'local-bye'
  /** The peer sent BYE (§15.1.2). */
  | 'remote-bye'
  /** Our 2xx was never acknowledged (§13.3.1.4); we sent BYE. */
  | 'ack-timeout'
  /** No session refresh in time (RFC 4028 §10); we sent BYE. */
  | 'session-expired'
  /** A request inside the dialog got 481 or 408 (§12.2.1.2); we sent BYE. */
  | 'dialog-failed';
