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
import type { CallFeatures } from '../features/call-features.ts';
import { DEFAULT_CALL_SETTINGS, type CallSettings } from '../features/call-settings.ts';
import { handleDialledCode } from '../features/dialled-code.ts';
import { looksLikeFeatureCode, type FeatureCodeMap } from '../features/feature-codes.ts';
import type { UnansweredCause } from '../features/media-app/pbx-apps.ts';
import { DiversionChain, forwardTarget, type ForwardReason } from '../features/forwarding.ts';
import type { LocationStore } from '../registrar/location-store.ts';
import type { Binding } from '../registrar/binding.ts';
import type { RequestSource } from '../routing/request-source.ts';
import type { IsLocalHost } from '../routing/tenant-resolver.ts';
import type { Directory, Extension, Tenant } from '../store/directory.ts';
import type { Trunks } from '../trunks/trunks.ts';
import type { TrunkTarget } from '../trunks/trunk-target.ts';
import { admitCall, checkMaxForwards, type AdmittedCall } from './call-admission.ts';
import { DEFAULT_CALL_OPTIONS, type CallOptions } from './call-options.ts';
import type { CdrSink } from './call-record.ts';
import { CallSession } from './call-session.ts';
import type { MediaPort } from './media-port.ts';
import { recordRefusedCall, type RefusedAttempt } from './refused-call-record.ts';
import { parseBody } from './sdp-bridge.ts';
import type { SessionDescription } from '@switchboard/sip';

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
      if (await this.dialExternal(invite, tried.tenant, caller, caller.username, tried.callee)) return;
    }
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
    const codes = await this.deps.features?.codes(call.tenant.id);
    await this.route(invite, call, offer.value, codes, new DiversionChain([call.callee.username]));
  }

  /**
   * Rings the callee — or not: Do Not Disturb refuses the call (480, RFC 3261 §21.4.18), and
   * forwarding (unconditional, busy, no answer, not registered) sends it on to another
   * extension, loop-safe (features/forwarding.ts).
   */
  private async route(
    invite: IncomingInvite,
    call: AdmittedCall,
    offer: SessionDescription,
    codes: FeatureCodeMap | undefined,
    chain: DiversionChain,
  ): Promise<void> {
    const attempt = {
      tenant: call.tenant,
      caller: call.caller,
      callee: call.callee.username,
      ...(call.divertedFrom && { divertedFrom: call.divertedFrom }),
    };
    const fail = async (status: number, reason: string): Promise<void> => {
      invite.reject(status, { reason });
      await this.recordFailure(invite, attempt, status);
    };
    const settings: CallSettings =
      (this.deps.features &&
        (await this.deps.directory.callSettings?.(call.tenant.id, call.callee.username))) ??
      DEFAULT_CALL_SETTINGS;
    if (await this.divert(invite, call, offer, codes, chain, settings, 'always')) return;
    const apps = this.deps.features?.apps;
    const voicemail = (await apps?.voicemailFor?.(call).catch(() => false)) ?? false;
    const toVoicemail = (cause: UnansweredCause): boolean => {
      if (!voicemail || !apps?.toVoicemail) return false;
      apps.toVoicemail(invite, call, cause);
      return true;
    };
    if (settings.dnd) {
      if (toVoicemail('dnd')) return;
      return fail(480, 'Temporarily Unavailable (Do Not Disturb)');
    }
    const bindings = await this.deps.locations.lookup(call.tenant.id, call.callee.username, Date.now());
    if (bindings.length === 0) {
      if (await this.divert(invite, call, offer, codes, chain, settings, 'unavailable')) return;
      if (toVoicemail('unavailable')) return;
      return fail(480, 'Temporarily Unavailable (not registered)');
    }
    // The caller may have given up while we looked things up (CANCEL already answered 487).
    if (invite.state !== 'waiting') return;
    const options =
      settings.forwardNoAnswer || voicemail
        ? { ...this.options, ringTimeoutMs: settings.noAnswerSeconds * 1000 }
        : this.options;
    await this.startSession(invite, call, offer, codes, options, bindings, (reason) => {
      const target = forwardTarget(settings, reason);
      const next = target === undefined ? undefined : chain.to(target);
      if (!target || !next) return toVoicemail(reason);
      void this.forward(invite, call, offer, codes, next, target, reason);
      return true;
    });
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

  /** Forwards before ringing (`always`, `unavailable`) when the settings say so; true if done. */
  private async divert(
    invite: IncomingInvite,
    call: AdmittedCall,
    offer: SessionDescription,
    codes: FeatureCodeMap | undefined,
    chain: DiversionChain,
    settings: CallSettings,
    reason: ForwardReason,
  ): Promise<boolean> {
    const target = forwardTarget(settings, reason);
    const next = target === undefined ? undefined : chain.to(target);
    if (!target || !next) return false;
    return this.forward(invite, call, offer, codes, next, target, reason);
  }

  /** Routes the caller's INVITE to `target` instead; false (nothing done) if it is no extension. */
  private async forward(
    invite: IncomingInvite,
    call: AdmittedCall,
    offer: SessionDescription,
    codes: FeatureCodeMap | undefined,
    chain: DiversionChain,
    target: string,
    reason: ForwardReason,
  ): Promise<boolean> {
    const divertedFrom = call.callee.username;
    const callee = await this.deps.directory.findExtension(call.tenant.id, target);
    // Not an extension: an external number through a trunk, if the forwarding extension may call out.
    if (!callee && this.deps.trunks && call.maxForwards > 0 && invite.state === 'waiting') {
      const forwarded = {
        ...call,
        maxForwards: call.maxForwards - 1,
        divertedFrom: [...(call.divertedFrom ?? []), divertedFrom],
      };
      if (await this.dialExternal(invite, call.tenant, call.caller, divertedFrom, target, forwarded))
        return true;
    }
    const usable = callee?.enabled === true && call.maxForwards > 0;
    this.deps.log?.(
      { callId: invite.request.callId, from: divertedFrom, to: target, reason, usable },
      'call: forwarded',
    );
    if (!usable) {
      // A "busy" or "no answer" forward that leads nowhere: the caller hears the original outcome.
      if (reason === 'busy') invite.reject(486);
      else if (reason === 'no-answer') invite.reject(480, { reason: 'Temporarily Unavailable (no answer)' });
      return reason === 'busy' || reason === 'no-answer';
    }
    if (invite.state !== 'waiting') return true;
    await this.route(
      invite,
      {
        ...call,
        callee,
        maxForwards: call.maxForwards - 1,
        divertedFrom: [...(call.divertedFrom ?? []), divertedFrom],
      },
      offer,
      codes,
      chain,
    ).catch((error: unknown) => {
      this.deps.log?.({ error: String(error) }, 'call: forwarding failed');
      invite.reject(500);
    });
    return true;
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
      await this.recordFailure(invite, attempt, status);
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
    await this.route(invite, call, offer.value, codes, new DiversionChain([callee.username]));
  }

  /**
   * Sends the caller's INVITE out through a trunk when `number` matches an outbound route:
   * `permittedBy` (the caller, or the extension forwarding the call) must be allowed to call
   * out, else 403. False when no route matches (not an external number).
   */
  private async dialExternal(
    invite: IncomingInvite,
    tenant: Tenant,
    caller: Extension,
    permittedBy: string,
    number: string,
    forwarded?: AdmittedCall,
  ): Promise<boolean> {
    const external = await this.deps.trunks?.external(tenant, caller, permittedBy, number);
    if (!external) return false;
    const attempt = { tenant, caller, callee: number, direction: 'outbound' as const };
    if (!external.ok) {
      invite.reject(external.status, { reason: external.reason });
      await this.recordFailure(invite, attempt, external.status);
      return true;
    }
    const { target, party } = external;
    const failed = { ...attempt, callee: party.username, trunkId: target.trunkId };
    const maxForwards = forwarded?.maxForwards ?? checkMaxForwards(invite.request) ?? 0;
    if (maxForwards <= 0 || invite.request.body.length === 0 || invite.state !== 'waiting') {
      const status = maxForwards <= 0 ? 483 : 488;
      if (invite.state === 'waiting') invite.reject(status);
      await this.recordFailure(invite, failed, status);
      return true;
    }
    const offer = parseBody(invite.request.body);
    if (!offer.ok) {
      invite.reject(400, { reason: `Bad Request (${offer.reason})` });
      await this.recordFailure(invite, failed, 400);
      return true;
    }
    this.deps.log?.(
      { callId: invite.request.callId, trunk: target.trunkName, number: party.username, from: permittedBy },
      'trunk: outbound call',
    );
    const call: AdmittedCall = {
      tenant,
      caller: forwarded?.caller ?? caller,
      callee: party,
      maxForwards,
      direction: 'outbound',
      trunkId: target.trunkId,
      ...(forwarded?.divertedFrom && { divertedFrom: forwarded.divertedFrom }),
    };
    const codes = await this.deps.features?.codes(tenant.id);
    await this.startSession(invite, call, offer.value, codes, this.options, [target]);
    return true;
  }

  /** The record of a call that was refused before any device rang. */
  private recordFailure(invite: IncomingInvite, attempt: RefusedAttempt, status: number): Promise<void> {
    return recordRefusedCall(this.deps, invite, attempt, status);
  }

  /** Refuses new calls, ends every call (BYE or 503) and waits for their records. */
  async shutdown(): Promise<void> {
    this.accepting = false;
    await Promise.all([...this.calls].map((call) => call.hangup('shutdown', 'system')));
  }
}
