/** States of the non-INVITE server transaction (RFC 3261 §17.2.2). */
export enum NonInviteServerTransactionState {
  Trying = 'Trying',
  Proceeding = 'Proceeding',
  Completed = 'Completed',
  Terminated = 'Terminated',
}
