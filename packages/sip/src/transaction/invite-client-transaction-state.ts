/** States of the INVITE client transaction (RFC 3261 §17.1.1, with RFC 6026 §7.2 Accepted). */
export enum InviteClientTransactionState {
  Calling = 'Calling',
  Proceeding = 'Proceeding',
  Completed = 'Completed',
  Accepted = 'Accepted',
  Terminated = 'Terminated',
}
