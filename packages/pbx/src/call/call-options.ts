// Call limits, with the defaults of common PBXs.

export interface CallOptions {
  /** How long callee devices may ring before the caller gets "no answer" (ms). */
  readonly ringTimeoutMs: number;
  /** Longest call; then both legs get BYE and the CDR says `max_duration` (ms). */
  readonly maxDurationMs: number;
  /** Silence on an answered call's RTP for this long ends it as a dead call (ms). */
  readonly rtpTimeoutMs: number;
}

export const DEFAULT_CALL_OPTIONS: CallOptions = {
  ringTimeoutMs: 60_000,
  maxDurationMs: 4 * 60 * 60_000,
  rtpTimeoutMs: 60_000,
};
