/** States of the INVITE server transaction (RFC 3261 §17.2.1, with RFC 6026 §7.1 Accepted). */
export enum InviteServerTransactionState {
  Proceeding = 'Proceeding',
  Completed = 'Completed',
  Accepted = 'Accepted',
  Confirmed = 'Confirmed',
  Terminated = 'Terminated',
}
