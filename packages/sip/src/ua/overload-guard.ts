// Admission of new requests under overload (RFC 3261 §21.5.4; the spirit of RFC 7339): a server
// that cannot keep up answers new work with 503 Service Unavailable and a Retry-After, instead of
// queueing it until every peer retransmits into the queue. Requests inside dialogs (BYE, re-INVITE,
// in-dialog ACK) and ACK/CANCEL are never refused: they finish work already accepted.
import type { SipRequest } from '../message/sip-request.ts';

/** Decides, for each new request outside a dialog, whether the UA core takes it. */
export interface AdmissionControl {
  /** Seconds for Retry-After when the request is to be refused with 503; undefined admits it. */
  refuse(request: SipRequest): number | undefined;
}

/** What the host measures; the guard compares it with its thresholds. */
export interface OverloadSignals {
  /**
   * Requests handed to the TU and not answered yet (TransactionLayer.pendingServerRequests),
   * counting the one being admitted.
   */
  pendingRequests(): number;
  /** Current event-loop (or equivalent) lag in milliseconds; 0 where not measured. */
  lagMs(): number;
}

export interface OverloadGuardOptions {
  /** Refuse a new request that would make more than this many pending. 0 or less: no limit. */
  readonly maxPendingRequests: number;
  /** Refuse new requests while the lag is above this. 0 or less: no limit. */
  readonly maxLagMs: number;
  /** Retry-After in seconds (RFC 3261 §20.33). */
  readonly retryAfterS: number;
  /**
   * Methods that may be refused (default INVITE, REGISTER, SUBSCRIBE, MESSAGE, PUBLISH, REFER).
   * OPTIONS stays answered: it is how peers and load balancers probe us. ACK and CANCEL can
   * never be refused (§9.2, §17: they belong to transactions already accepted).
   */
  readonly methods?: readonly string[];
}

export const DEFAULT_GUARDED_METHODS: readonly string[] = [
  'INVITE',
  'REGISTER',
  'SUBSCRIBE',
  'MESSAGE',
  'PUBLISH',
  'REFER',
];

export class OverloadGuard implements AdmissionControl {
  /** Requests refused so far (for metrics). */
  refused = 0;
  private readonly methods: ReadonlySet<string>;

  constructor(
    private readonly signals: OverloadSignals,
    private readonly options: OverloadGuardOptions,
  ) {
    const methods = (options.methods ?? DEFAULT_GUARDED_METHODS).filter((m) => m !== 'ACK' && m !== 'CANCEL');
    this.methods = new Set(methods);
  }

  /** Whether either signal is above its threshold right now. */
  get overloaded(): boolean {
    const { maxPendingRequests, maxLagMs } = this.options;
    if (maxPendingRequests > 0 && this.signals.pendingRequests() > maxPendingRequests) return true;
    return maxLagMs > 0 && this.signals.lagMs() > maxLagMs;
  }

  refuse(request: SipRequest): number | undefined {
    if (!this.methods.has(request.method) || !this.overloaded) return undefined;
    this.refused++;
    return this.options.retryAfterS;
  }
}
