// Session timers (RFC 4028): Session-Expires / Min-SE negotiation, the 422 retry rule, and
// the refresh / expiry timers of an established session.
import type { Clock, TimerHandle } from '../core/clock.ts';
import { parseParams } from '../header/params.ts';
import type { SipMessage } from '../message/sip-message.ts';
import type { SipRequest } from '../message/sip-request.ts';
import type { SipResponse } from '../message/sip-response.ts';

export interface SessionTimerOptions {
  /** Ask for and accept session timers (default true). */
  readonly enabled: boolean;
  /** The session interval we ask for, in seconds (default 1800, §4 recommends 1800). */
  readonly interval: number;
  /** The smallest interval we accept, in seconds (default and floor 90, §5). */
  readonly minSE: number;
}

export const DEFAULT_SESSION_TIMER_OPTIONS: SessionTimerOptions = Object.freeze({
  enabled: true,
  interval: 1800,
  minSE: 90,
});

/** The negotiated result: the interval and which side of the negotiating transaction refreshes. */
export interface SessionTimerParams {
  readonly interval: number;
  readonly refresher: 'uac' | 'uas';
}

export interface SessionExpires {
  readonly interval: number;
  readonly refresher: 'uac' | 'uas' | undefined;
}

/** §4: Session-Expires = delta-seconds *(;se-params), se-params = refresher-param / generic. */
export function parseSessionExpires(message: SipMessage): SessionExpires | undefined {
  const raw = message.headers.get('Session-Expires');
  if (raw === undefined) return undefined;
  const semi = raw.indexOf(';');
  const num = (semi === -1 ? raw : raw.slice(0, semi)).trim();
  if (!/^\d{1,10}$/.test(num)) return undefined;
  const params = semi === -1 ? undefined : parseParams(raw, semi);
  const refresher = params?.ok ? params.value.get('refresher')?.toLowerCase() : undefined;
  return {
    interval: Number(num),
    refresher: refresher === 'uac' || refresher === 'uas' ? refresher : undefined,
  };
}

/** §5: Min-SE = delta-seconds *(;generic-param). */
export function parseMinSE(message: SipMessage): number | undefined {
  const raw = message.headers.get('Min-SE');
  if (raw === undefined) return undefined;
  const num = raw.split(';')[0]!.trim();
  return /^\d{1,10}$/.test(num) ? Number(num) : undefined;
}

/** Option tags of Supported / Require, lower case. */
export function optionTags(message: SipMessage, header: 'Supported' | 'Require'): Set<string> {
  return new Set(message.headers.getAll(header).map((t) => t.trim().toLowerCase()));
}

/** Headers a UAC puts on an INVITE or UPDATE that asks for a session timer (§7.1). */
export function uacRequestHeaders(
  options: SessionTimerOptions,
  refresher?: 'uac' | 'uas',
): Array<[string, string]> {
  if (!options.enabled) return [];
  const interval = Math.max(options.interval, options.minSE);
  return [
    ['Session-Expires', refresher ? `${interval};refresher=${refresher}` : String(interval)],
    ['Min-SE', String(options.minSE)],
  ];
}

/**
 * §7.3: on a 422 the UAC retries with Session-Expires raised to the Min-SE of the 422 (and a
 * Min-SE of that value). Updates `next` in place; false when the 422 gives nothing to use.
 */
export function applySessionIntervalTooSmall(response: SipResponse, next: SipRequest): boolean {
  if (response.status !== 422) return false;
  const minSE = parseMinSE(response);
  if (minSE === undefined) return false;
  const current = parseSessionExpires(next);
  if (current && current.interval >= minSE) return false;
  next.headers.set(
    'Session-Expires',
    current?.refresher ? `${minSE};refresher=${current.refresher}` : String(minSE),
  );
  next.headers.set('Min-SE', String(minSE));
  return true;
}

/**
 * §7.2: what the UAC learns from the 2xx. "If the 2xx response did not contain a
 * Session-Expires header field, there is no session expiration."
 */
export function uacParamsFromResponse(response: SipResponse): SessionTimerParams | undefined {
  const se = parseSessionExpires(response);
  if (!se) return undefined;
  return { interval: se.interval, refresher: se.refresher ?? 'uac' };
}

export type UasNegotiation =
  | { readonly kind: 'reject'; readonly minSE: number }
  | {
      readonly kind: 'accept';
      readonly params: SessionTimerParams | undefined;
      readonly headers: Array<[string, string]>;
    };

/**
 * §9 (UAS): decides the timer for a session-refreshing request (INVITE, re-INVITE, UPDATE).
 * - "If the Session-Expires value in the request is smaller than the Min-SE of the UAS, it
 *   MUST reject with 422 ... containing a Min-SE header field with the UAS's value."
 * - Otherwise the 2xx carries Session-Expires with a refresher: the one the UAC asked for, else
 *   `uac` when the UAC supports timers, else `uas`; "If the refresher is uac, the UAS MUST
 *   place a Require header field into the response with the value timer."
 */
export function negotiateAsUas(request: SipRequest, options: SessionTimerOptions): UasNegotiation {
  if (!options.enabled) return { kind: 'accept', params: undefined, headers: [] };
  const se = parseSessionExpires(request);
  const uacSupports = optionTags(request, 'Supported').has('timer');
  if (se && se.interval < options.minSE) return { kind: 'reject', minSE: options.minSE };
  const requestMin = parseMinSE(request) ?? 90;
  const interval = se ? se.interval : Math.max(options.interval, requestMin, options.minSE);
  const refresher = se?.refresher ?? (uacSupports ? 'uac' : 'uas');
  const headers: Array<[string, string]> = [['Session-Expires', `${interval};refresher=${refresher}`]];
  if (refresher === 'uac') headers.push(['Require', 'timer']);
  return { kind: 'accept', params: { interval, refresher }, headers };
}

/** §10: when the non-refresher gives up: "the minimum of 32 seconds and one third of the interval" before expiry. */
export function expiryDelaySeconds(interval: number): number {
  return interval - Math.min(32, interval / 3);
}

/**
 * The running timers of one session. The refresher refreshes at half the interval (§10:
 * "the refresher SHOULD send a refresh ... halfway through the interval"); both sides end
 * the session if no refresh succeeded by the expiry delay.
 */
export class SessionTimer {
  private refreshTimer: TimerHandle | undefined;
  private expiryTimer: TimerHandle | undefined;
  params: SessionTimerParams | undefined;
  weRefresh = false;

  constructor(
    private readonly clock: Clock,
    private readonly onRefreshDue: () => void,
    private readonly onExpired: () => void,
  ) {}

  /** (Re)starts after a successful negotiation; `params` undefined stops the timer. */
  start(params: SessionTimerParams | undefined, ourRole: 'uac' | 'uas'): void {
    this.stop();
    this.params = params;
    if (!params) return;
    this.weRefresh = params.refresher === ourRole;
    if (this.weRefresh)
      this.refreshTimer = this.clock.setTimer((params.interval * 1000) / 2, this.onRefreshDue);
    this.expiryTimer = this.clock.setTimer(expiryDelaySeconds(params.interval) * 1000, this.onExpired);
  }

  /** Tries the refresh again later (another INVITE was in progress). */
  retryRefreshIn(ms: number): void {
    this.refreshTimer?.cancel();
    this.refreshTimer = this.clock.setTimer(ms, this.onRefreshDue);
  }

  stop(): void {
    this.refreshTimer?.cancel();
    this.expiryTimer?.cancel();
    this.refreshTimer = undefined;
    this.expiryTimer = undefined;
  }
}
