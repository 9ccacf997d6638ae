// The call detail record the PBX produces for every call attempt (issue: CDRs).

export type Disposition = 'answered' | 'busy' | 'no_answer' | 'failed' | 'cancelled';
export type HangupSide = 'caller' | 'callee' | 'system';

export interface CallRecord {
  /** A UUID: writing the same record twice (a retry at shutdown) stores it once. */
  readonly id: string;
  readonly tenantId: string;
  readonly caller: string;
  /** Who answered or was rung last: after forwarding, the final target (`voicemail:1002` for a mailbox). */
  readonly callee: string;
  /** The number the caller dialled (the first extension rung, before any forwarding). */
  readonly dialled?: string;
  /**
   * The extensions that diverted the call, in order (forwarding, or voicemail answering for
   * them): 1001 → 1002 → 1003 is `['1002']` with callee 1003. Empty or absent: not diverted.
   */
  readonly divertedFrom?: readonly string[];
  readonly direction: 'internal' | 'inbound' | 'outbound';
  /** The SIP trunk of an inbound or outbound call. */
  readonly trunkId?: string;
  readonly startedAt: Date;
  readonly answeredAt: Date | undefined;
  readonly endedAt: Date;
  /** Whole seconds from start to end. */
  readonly durationSeconds: number;
  /** Whole seconds from answer to end (0 when unanswered). */
  readonly billableSeconds: number;
  readonly disposition: Disposition;
  /** SIP status or a reason such as `bye`, `rtp-timeout`, `max-duration`, `shutdown`. */
  readonly hangupCause: string;
  readonly hangupSide: HangupSide;
  /** Call-IDs of every SIP dialog of the call (caller leg first). */
  readonly sipCallIds: readonly string[];
}

/** Where finished call records go (the database in production). */
export interface CdrSink {
  write(record: CallRecord): Promise<void>;
}
