/** Dialog states (RFC 3261 §12: early, confirmed; §15 terminated). */
export enum DialogState {
  Early = 'Early',
  Confirmed = 'Confirmed',
  Terminated = 'Terminated',
}
