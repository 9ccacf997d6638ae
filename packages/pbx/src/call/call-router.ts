// Where an admitted call goes: Do Not Disturb refuses it, call forwarding (always, busy, no
// answer, not registered) sends it on loop-safe, voicemail takes it, the callee's registered
// devices ring, or an external number goes out through a SIP trunk. CallManager admits each
// INVITE and hands it here; ringing itself is CallManager's (a new CallSession per attempt).
import type { IncomingInvite, SessionDescription } from '@switchboard/sip';
import type { CallFeatures } from '../features/call-features.ts';
import { DEFAULT_CALL_SETTINGS, type CallSettings } from '../features/call-settings.ts';
import type { FeatureCodeMap } from '../features/feature-codes.ts';
import { forwardTarget, type DiversionChain, type ForwardReason } from '../features/forwarding.ts';
import type { UnansweredCause } from '../features/media-app/pbx-apps.ts';
import type { Binding } from '../registrar/binding.ts';
import type { LocationStore } from '../registrar/location-store.ts';
import type { Directory, Extension, Tenant } from '../store/directory.ts';
import type { TrunkTarget } from '../trunks/trunk-target.ts';
import type { Trunks } from '../trunks/trunks.ts';
import { checkMaxForwards, type AdmittedCall } from './call-admission.ts';
import type { CallOptions } from './call-options.ts';
import { recordRefusedCall, type RefusedCallDeps } from './refused-call-record.ts';
import { parseBody } from './sdp-bridge.ts';

export interface CallRouterDeps extends RefusedCallDeps {
  readonly directory: Directory;
  readonly locations: LocationStore;
  readonly log?: (fields: Record<string, unknown>, message: string) => void;
  /** DND, forwarding, voicemail; without them, the callee's devices just ring. */
  readonly features?: CallFeatures;
  /** SIP trunks for external numbers; without them, extensions only. */
  readonly trunks?: Trunks;
}

/** Rings `targets` (devices, or a trunk) for the caller's INVITE in a new call session. */
export type RingTargets = (
  invite: IncomingInvite,
  call: AdmittedCall,
  offer: SessionDescription,
  codes: FeatureCodeMap | undefined,
  options: CallOptions,
  targets: readonly (Binding | TrunkTarget)[],
  unanswered?: (reason: 'busy' | 'no-answer') => boolean,
) => Promise<void>;

export class CallRouter {
  constructor(
    private readonly deps: CallRouterDeps,
    private readonly options: CallOptions,
    private readonly ring: RingTargets,
  ) {}

  /**
   * Rings the callee — or not: Do Not Disturb refuses the call (480, RFC 3261 §21.4.18), and
   * forwarding (unconditional, busy, no answer, not registered) sends it on to another
   * extension, loop-safe (features/forwarding.ts).
   */
  async route(
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
      await recordRefusedCall(this.deps, invite, attempt, status);
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
    await this.ring(invite, call, offer, codes, options, bindings, (reason) => {
      const target = forwardTarget(settings, reason);
      const next = target === undefined ? undefined : chain.to(target);
      if (!target || !next) return toVoicemail(reason);
      void this.forward(invite, call, offer, codes, next, target, reason);
      return true;
    });
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

  /**
   * Sends the caller's INVITE out through a trunk when `number` matches an outbound route:
   * `permittedBy` (the caller, or the extension forwarding the call) must be allowed to call
   * out, else 403. False when no route matches (not an external number).
   */
  async dialExternal(
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
      await recordRefusedCall(this.deps, invite, attempt, external.status);
      return true;
    }
    const { target, party } = external;
    const failed = { ...attempt, callee: party.username, trunkId: target.trunkId };
    const maxForwards = forwarded?.maxForwards ?? checkMaxForwards(invite.request) ?? 0;
    if (maxForwards <= 0 || invite.request.body.length === 0 || invite.state !== 'waiting') {
      const status = maxForwards <= 0 ? 483 : 488;
      if (invite.state === 'waiting') invite.reject(status);
      await recordRefusedCall(this.deps, invite, failed, status);
      return true;
    }
    const offer = parseBody(invite.request.body);
    if (!offer.ok) {
      invite.reject(400, { reason: `Bad Request (${offer.reason})` });
      await recordRefusedCall(this.deps, invite, failed, 400);
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
    await this.ring(invite, call, offer.value, codes, this.options, [target]);
    return true;
  }
}
