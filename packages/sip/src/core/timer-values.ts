// RFC 3261 §17.1.1.1 and Appendix A: the timer base values and the timers derived from them.
// Every transaction timer keeps its RFC name (timerB = 64 * T1) so a reader can find it in
// the RFC's tables. Timers L and M come from RFC 6026 §8.11.

/** The three base values of Appendix A, in milliseconds. */
export interface TimerValues {
  /** RTT estimate, 500 ms default. */
  readonly T1: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses, 4 s. */
  readonly T2: number;
  /** Maximum duration a message will remain in the network, 5 s. */
  readonly T4: number;
}

export const DEFAULT_TIMER_VALUES: TimerValues = Object.freeze({ T1: 500, T2: 4000, T4: 5000 });

/** Timer A: INVITE request retransmit interval, for UDP only; starts at T1 and doubles. */
export const timerA = (t: TimerValues): number => t.T1;
/** Timer B: INVITE transaction timeout, 64*T1. */
export const timerB = (t: TimerValues): number => 64 * t.T1;
/** Timer D: wait time for response retransmits; > 32 s for UDP, 0 s for TCP/SCTP. */
export const timerD = (t: TimerValues, reliable: boolean): number =>
  reliable ? 0 : Math.max(32_000, 64 * t.T1);
/** Timer E: non-INVITE request retransmit interval, UDP only; starts at T1. */
export const timerE = (t: TimerValues): number => t.T1;
/** Timer F: non-INVITE transaction timeout, 64*T1. */
export const timerF = (t: TimerValues): number => 64 * t.T1;
/** Timer G: INVITE response retransmit interval; starts at T1. */
export const timerG = (t: TimerValues): number => t.T1;
/** Timer H: wait time for ACK receipt, 64*T1. */
export const timerH = (t: TimerValues): number => 64 * t.T1;
/** Timer I: wait time for ACK retransmits; T4 for UDP, 0 s for TCP/SCTP. */
export const timerI = (t: TimerValues, reliable: boolean): number => (reliable ? 0 : t.T4);
/** Timer J: wait time for non-INVITE request retransmits; 64*T1 for UDP, 0 s for TCP/SCTP. */
export const timerJ = (t: TimerValues, reliable: boolean): number => (reliable ? 0 : 64 * t.T1);
/** Timer K: wait time for response retransmits; T4 for UDP, 0 s for TCP/SCTP. */
export const timerK = (t: TimerValues, reliable: boolean): number => (reliable ? 0 : t.T4);
/** Timer L (RFC 6026 §8.11): wait time for accepted INVITE request retransmits, 64*T1. */
export const timerL = (t: TimerValues): number => 64 * t.T1;
/** Timer M (RFC 6026 §8.11): wait time for retransmission of 2xx to INVITE, 64*T1. */
export const timerM = (t: TimerValues): number => 64 * t.T1;
