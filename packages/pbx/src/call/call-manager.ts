// Entry point for new calls: admits each INVITE (call-admission.ts; from a trunk, its DID),
// hands it to CallRouter (call-router.ts) to find where it goes, starts a CallSession for each
// ringing, and tracks the live calls (metrics, shutdown).
import {
  SipHeaderError,
  type Clock,
  type DigestServer,
  type IncomingInvite,
  type SessionDescription,
  type UserAgent,
} from '@switchboard/sip';
import type { PbxEventBus } from '../events/pbx-events.ts';
import type { CallFeatures } from '../features/call-features.ts';
import { handleDialledCode } from '../features/dialled-code.ts';
import { looksLikeFeatureCode, type FeatureCodeMap } from '../features/feature-codes.ts';
import { DiversionChain } from '../features/forwarding.ts';
import type { LocationStore } from '../registrar/location-store.ts';
import type { Binding } from '../registrar/binding.ts';
import type { RequestSource } from '../routing/request-source.ts';
import type { IsLocalHost } from '../routing/tenant-resolver.ts';
import type { Directory } from '../store/directory.ts';
import type { Trunks } from '../trunks/trunks.ts';
import type { TrunkTarget } from '../trunks/trunk-target.ts';
import { admitCall, checkMaxForwards, type AdmittedCall } from './call-admission.ts';
import { DEFAULT_CALL_OPTIONS, type CallOptions } from './call-options.ts';
import type { CdrSink } from './call-record.ts';
import { CallRouter } from './call-router.ts';
import { CallSession } from './call-session.ts';
import type { MediaPort } from './media-port.ts';
import { recordRefusedCall } from './refused-call-record.ts';
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
  /** Hold, transfer, DND, forwarding, feature codes (issue 7); without it, plain calls. */
  readonly features?: CallFeatures;
  /** SIP trunks: external numbers out, DIDs in (trunks/); without them, extensions only. */
  readonly trunks?: Trunks;
}

export class CallManager {
  private readonly calls = new Set<CallSession>();
  private accepting = true;
  private readonly options: CallOptions;
  private sessionCounter = 0;
  /** Where each admitted call goes (DND, forwarding, voicemail, devices, trunks). */
  private readonly router: CallRouter;

  constructor(private readonly deps: CallManagerDeps) {
    this.options = { ...DEFAULT_CALL_OPTIONS, ...deps.options };
    this.router = new CallRouter(deps, this.options, (...args) => this.startSession(...args));
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
    // From a trunk's provider (its source address): a call to one of the tenant's DIDs. If the
    // trunks cannot be read, calls between extensions still work.
    const inbound = await this.deps.trunks?.inbound(request, source).catch((error: unknown) => {
      this.deps.log?.({ error: String(error) }, 'trunk: inbound matching failed');
      return undefined;
    });
    if (inbound) return this.admitInbound(invite, inbound);
    const admission = await admitCall(this.deps, request, source);
    // A number that is no extension may be a feature code (`*78`): the caller is authenticated.
    const tried = !admission.ok && admission.rejection.status === 404 ? admission.attempt : undefined;
    if (tried && this.deps.features && looksLikeFeatureCode(tried.callee)) {
      const call = { tenant: tried.tenant, caller: tried.caller, dialled: tried.callee };
      if (await handleDialledCode(this.deps.features, invite, call)) return;
    }
    // A number that is no extension may be external: out through a trunk if a route matches.
    if (tried && this.deps.trunks) {
      const caller = tried.caller;
      if (await this.router.dialExternal(invite, tried.tenant, caller, caller.username, tried.callee)) return;
    }
    if (!admission.ok) {
      invite.reject(admission.rejection.status, {
        reason: admission.rejection.reason,
        ...(admission.rejection.headers ? { headers: admission.rejection.headers } : {}),
      });
      if (admission.attempt)
        await recordRefusedCall(this.deps, invite, admission.attempt, admission.rejection.status);
      return;
    }
    const { call } = admission;
    const attempt = { tenant: call.tenant, caller: call.caller, callee: call.callee.username };
    const fail = async (status: number, reason: string): Promise<void> => {
      invite.reject(status, { reason });
      await recordRefusedCall(this.deps, invite, attempt, status);
    };
    // NOTE: offerless INVITEs (the offer comes in our 2xx) are not anchored yet.
    if (request.body.length === 0) return fail(488, 'Not Acceptable Here (an SDP offer is required)');
    const offer = parseBody(request.body);
    if (!offer.ok) return fail(400, `Bad Request (${offer.reason})`);
    const codes = await this.deps.features?.codes(call.tenant.id);
    await this.router.route(invite, call, offer.value, codes, new DiversionChain([call.callee.username]));
  }

  /** Rings `targets` (devices, or a trunk) for the caller's INVITE in a new CallSession. */
  private async startSession(
    invite: IncomingInvite,
    call: AdmittedCall,
    offer: SessionDescription,
    codes: FeatureCodeMap | undefined,
    options: CallOptions,
    targets: readonly (Binding | TrunkTarget)[],
    unanswered?: (reason: 'busy' | 'no-answer') => boolean,
  ): Promise<void> {
    if (invite.state !== 'waiting') return;
    const features = this.deps.features;
    const session = new CallSession(
      {
        ua: this.deps.ua,
        media: this.deps.media,
        events: this.deps.events,
        cdrs: this.deps.cdrs,
        clock: this.deps.clock,
        now: this.deps.now ?? (() => new Date()),
        options,
        sessionId: () => String(Date.now() * 1000 + (this.sessionCounter++ % 1000)),
        log: this.deps.log ?? (() => undefined),
        ...(features && {
          features: {
            answered: (answered) => features.answered(answered, codes ?? new Map()),
            unanswered: (reason) => unanswered?.(reason) ?? false,
          },
        }),
      },
      invite,
      call,
      offer,
    );
    this.calls.add(session);
    void session.done.then(() => this.calls.delete(session));
    await session.start(targets);
  }

  /** An INVITE from a trunk: the DID's extension rings as for an internal call (DND, forwarding…). */
  private async admitInbound(
    invite: IncomingInvite,
    inbound: NonNullable<Awaited<ReturnType<Trunks['inbound']>>>,
  ): Promise<void> {
    const maxForwards = checkMaxForwards(invite.request);
    if (maxForwards === undefined) {
      invite.reject(483, { reason: 'Too Many Hops' });
      return;
    }
    if (!inbound.ok) {
      this.deps.log?.({ callId: invite.request.callId, trunk: inbound.trunk.name }, 'trunk: unknown number');
      invite.reject(inbound.status, { reason: inbound.reason });
      return;
    }
    const { tenant, caller, trunk } = inbound;
    const attempt = {
      tenant,
      caller,
      callee: inbound.extension,
      direction: 'inbound' as const,
      trunkId: trunk.id,
    };
    const fail = async (status: number, reason: string): Promise<void> => {
      invite.reject(status, { reason });
      await recordRefusedCall(this.deps, invite, attempt, status);
    };
    const callee = await this.deps.directory.findExtension(tenant.id, inbound.extension);
    if (!callee?.enabled) return fail(callee ? 480 : 404, callee ? 'Temporarily Unavailable' : 'Not Found');
    if (invite.request.body.length === 0) return fail(488, 'Not Acceptable Here (an SDP offer is required)');
    const offer = parseBody(invite.request.body);
    if (!offer.ok) return fail(400, `Bad Request (${offer.reason})`);
    const call: AdmittedCall = {
      tenant,
      caller,
      callee,
      maxForwards,
      direction: 'inbound',
      trunkId: trunk.id,
    };
    const codes = await this.deps.features?.codes(tenant.id);
    await this.router.route(invite, call, offer.value, codes, new DiversionChain([callee.username]));
  }

  /** Refuses new calls, ends every call (BYE or 503) and waits for their records. */
  async shutdown(): Promise<void> {
    this.accepting = false;
    await Promise.all([...this.calls].map((call) => call.hangup('shutdown', 'system')));
  }
}
