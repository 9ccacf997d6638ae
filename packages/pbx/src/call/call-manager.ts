// Entry point for new calls: admits each INVITE, finds the callee's devices, starts a
// CallSession, and tracks the live calls (metrics, shutdown).
import {
  SipHeaderError,
  type Clock,
  type DigestServer,
  type IncomingInvite,
  type UserAgent,
} from '@switchboard/sip';
import type { PbxEventBus } from '../events/pbx-events.ts';
import type { LocationStore } from '../registrar/location-store.ts';
import type { RequestSource } from '../routing/request-source.ts';
import type { IsLocalHost } from '../routing/tenant-resolver.ts';
import type { Directory } from '../store/directory.ts';
import { admitCall, type FailedAttempt } from './call-admission.ts';
import { dispositionOf } from './call-outcome.ts';
import { DEFAULT_CALL_OPTIONS, type CallOptions } from './call-options.ts';
import type { CallRecord, CdrSink } from './call-record.ts';
import { CallSession } from './call-session.ts';
import type { MediaPort } from './media-port.ts';
import { parseBody } from './sdp-bridge.ts';

export interface CallManagerDeps {
  readonly ua: UserAgent;
  readonly directory: Directory;
  readonly locations: LocationStore;
  readonly digest: DigestServer;
  readonly events: PbxEventBus;
  readonly media: MediaPort;
  readonly cdrs: CdrSink;
  readonly clock: Clock;
  readonly isLocalHost: IsLocalHost;
  readonly now?: () => Date;
  readonly options?: Partial<CallOptions>;
  readonly log?: (fields: Record<string, unknown>, message: string) => void;
}

export class CallManager {
  private readonly calls = new Set<CallSession>();
  private accepting = true;
  private readonly options: CallOptions;
  private sessionCounter = 0;

  constructor(private readonly deps: CallManagerDeps) {
    this.options = { ...DEFAULT_CALL_OPTIONS, ...deps.options };
  }

  /** Calls ringing or answered. */
  get activeCalls(): number {
    return this.calls.size;
  }

  onInvite(invite: IncomingInvite, source: RequestSource): void {
    void this.admit(invite, source).catch((error: unknown) => {
      const bad = error instanceof SipHeaderError;
      if (!bad) this.deps.log?.({ error: String(error) }, 'call: admission failed');
      invite.reject(bad ? 400 : 500, {
        reason: bad ? `Bad Request (${(error as Error).message})` : 'Server Internal Error',
      });
    });
  }

  private async admit(invite: IncomingInvite, source: RequestSource): Promise<void> {
    if (!this.accepting) {
      invite.reject(503, { reason: 'Service Unavailable (shutting down)', headers: [['Retry-After', '30']] });
      return;
    }
    const request = invite.request;
    const admission = await admitCall(this.deps, request, source);
    if (!admission.ok) {
      invite.reject(admission.rejection.status, {
        reason: admission.rejection.reason,
        ...(admission.rejection.headers ? { headers: admission.rejection.headers } : {}),
      });
      if (admission.attempt) await this.recordFailure(invite, admission.attempt, admission.rejection.status);
      return;
    }
    const { call } = admission;
    const attempt = { tenant: call.tenant, caller: call.caller, callee: call.callee.username };
    const fail = async (status: number, reason: string): Promise<void> => {
      invite.reject(status, { reason });
      await this.recordFailure(invite, attempt, status);
    };
    // NOTE: offerless INVITEs (the offer comes in our 2xx) are not anchored yet.
    if (request.body.length === 0) return fail(488, 'Not Acceptable Here (an SDP offer is required)');
    const offer = parseBody(request.body);
    if (!offer.ok) return fail(400, `Bad Request (${offer.reason})`);
    const bindings = await this.deps.locations.lookup(call.tenant.id, call.callee.username, Date.now());
    if (bindings.length === 0) return fail(480, 'Temporarily Unavailable (not registered)');
    const session = new CallSession(
      {
        ua: this.deps.ua,
        media: this.deps.media,
        events: this.deps.events,
        cdrs: this.deps.cdrs,
        clock: this.deps.clock,
        now: this.deps.now ?? (() => new Date()),
        options: this.options,
        sessionId: () => String(Date.now() * 1000 + (this.sessionCounter++ % 1000)),
        log: this.deps.log ?? (() => undefined),
      },
      invite,
      call,
      offer.value,
    );
    this.calls.add(session);
    void session.done.then(() => this.calls.delete(session));
    await session.start(bindings);
  }

  /** The record of a call that was refused before any device rang. */
  private async recordFailure(invite: IncomingInvite, attempt: FailedAttempt, status: number): Promise<void> {
    const now = (this.deps.now ?? (() => new Date()))();
    const record: CallRecord = {
      id: crypto.randomUUID(),
      tenantId: attempt.tenant.id,
      caller: attempt.caller.username,
      callee: attempt.callee,
      direction: 'internal',
      startedAt: now,
      answeredAt: undefined,
      endedAt: now,
      durationSeconds: 0,
      billableSeconds: 0,
      disposition: dispositionOf(status),
      hangupCause: String(status),
      hangupSide: 'system',
      sipCallIds: [invite.request.callId],
    };
    this.deps.events.publish({ type: 'call-ended', record });
    await this.deps.cdrs.write(record);
  }

  /** Refuses new calls, ends every call (BYE or 503) and waits for their records. */
  async shutdown(): Promise<void> {
    this.accepting = false;
    await Promise.all([...this.calls].map((call) => call.hangup('shutdown', 'system')));
  }
}
