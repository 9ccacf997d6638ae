/** States of the non-INVITE client transaction (RFC 3261 §17.1.2). */
export enum NonInviteClientTransactionState {
  Trying = 'Trying',
  Proceeding = 'Proceeding',
  Completed = 'Completed',
  Terminated = 'Terminated',
}
