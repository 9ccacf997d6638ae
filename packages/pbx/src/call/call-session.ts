// One call through the B2BUA: the caller's leg (an IncomingInvite, then a Session), parallel
// forks to every registered device of the callee (first answer wins, the others are cancelled),
// a media relay anchoring RTP between them, and one call record at the end.
//
//   caller ──INVITE──▶ [leg A | relay a⇄b | leg B*] ──INVITE──▶ each device of the callee
//
// This file holds the call's phases (routing → ringing → answered → ended) and what the features
// see of it (AnsweredCall). Its parts live beside it: callee-forks.ts rings the devices,
// media-anchor.ts holds the relay, browser legs and SDP, reinvite-relay.ts relays mid-call
// re-INVITEs and answers UPDATEs, call-record-draft.ts keeps what the call record will say.
//
// NOTE: SDP is re-generated on each side (the relay's address and ports), never passed through.
import type {
  Clock,
  IncomingInvite,
  IncomingReinvite,
  NegotiatedAudio,
  Session,
  SessionDelegate,
  SessionDescription,
  SipResponse,
  TimerHandle,
  UserAgent,
} from '@switchboard/sip';
import type { PbxEventBus } from '../events/pbx-events.ts';
import {
  otherSide,
  type AnsweredCall,
  type AnsweredCallHandler,
  type CallFeatureHooks,
  type CallLeg,
  type CallSide,
} from '../features/answered-call.ts';
import type { Binding } from '../registrar/binding.ts';
import { isTrunkTarget, trunkOffer, type TrunkTarget } from '../trunks/trunk-target.ts';
import type { Tenant } from '../store/directory.ts';
import type { AdmittedCall } from './call-admission.ts';
import type { CallOptions } from './call-options.ts';
import { dispositionOf } from './call-outcome.ts';
import { CallRecordDraft, type CallEnd } from './call-record-draft.ts';
import type { CdrSink, HangupSide } from './call-record.ts';
import { CalleeForks, isBrowser, type Fork } from './callee-forks.ts';
import { MediaAnchor, type OpenedMedia } from './media-anchor.ts';
import type { MediaLocalEndpoint, MediaPort, MediaRelayHandle, WebRtcLegHandle } from './media-port.ts';
import { answerUpdate, relayReinvite } from './reinvite-relay.ts';
import { isWebRtcOffer, legSettings, offerToCallee, parseBody, sdpText } from './sdp-bridge.ts';

export interface CallSessionDeps {
  readonly ua: UserAgent;
  readonly media: MediaPort;
  readonly events: PbxEventBus;
  readonly cdrs: CdrSink;
  readonly clock: Clock;
  readonly now: () => Date;
  readonly options: CallOptions;
  readonly sessionId: () => string;
  readonly log: (fields: Record<string, unknown>, message: string) => void;
  /** Hold, transfer, in-call codes, forwarding (packages/pbx/src/features). */
  readonly features?: CallFeatureHooks;
}

type Phase = 'routing' | 'ringing' | 'answered' | 'ended';

const SDP = 'application/sdp';

export class CallSession implements AnsweredCall {
  readonly id: string;
  private phase: Phase = 'routing';
  /** The relay, browser legs, and the SDP we last sent each side. */
  private readonly anchor: MediaAnchor;
  private readonly forks: CalleeForks;
  /** The phone on each side once answered (a the caller, b the device that answered). */
  private readonly sessions: Record<CallSide, Session | undefined> = { a: undefined, b: undefined };
  private earlyAnswerSent = false;
  /** What the call record will say: parties, Call-IDs, start and answer of the latest stretch. */
  private readonly record: CallRecordDraft;
  private ringTimer: TimerHandle | undefined;
  private durationTimer: TimerHandle | undefined;
  private ended: Promise<void> | undefined;
  private endResolve: (() => void) | undefined;
  /** The features' view of the answered call. */
  private features: AnsweredCallHandler | undefined;
  /** Resolves once the call is over and its record written. */
  readonly done: Promise<void>;

  constructor(
    private readonly deps: CallSessionDeps,
    private readonly invite: IncomingInvite,
    private readonly call: AdmittedCall,
    private readonly callerOffer: SessionDescription,
  ) {
    this.id = invite.request.callId;
    this.record = new CallRecordDraft(call, invite.request.callId, deps.now());
    this.anchor = new MediaAnchor(deps, this.id, {
      onDtmf: (side, digit) => this.features?.onDtmf?.(side, digit),
      onMediaLost: (cause, side) => void this.hangup(cause, side),
    });
    this.forks = new CalleeForks(deps, call, this.id, {
      onProgress: (fork, response) => this.onForkProgress(fork, response),
      onAccept: (fork, session, response) => this.onForkAccept(fork, session, response),
      onAllFailed: (status) => this.onAllForksFailed(status),
    });
    this.done = new Promise((resolve) => (this.endResolve = resolve));
    invite.delegate = {
      onCancel: () => void this.finish({ disposition: 'cancelled', cause: '487', side: 'caller' }),
    };
  }

  get answered(): boolean {
    return this.phase === 'answered';
  }

  /** Starts ringing every device in `bindings` (already known to be non-empty), or a trunk. */
  async start(bindings: readonly (Binding | TrunkTarget)[]): Promise<void> {
    const { deps } = this;
    this.deps.events.publish({
      type: 'call-started',
      callId: this.id,
      tenantId: this.call.tenant.id,
      from: this.call.caller.username,
      to: this.call.callee.username,
    });
    if (isWebRtcOffer(this.callerOffer) && !deps.media.webrtc) {
      this.invite.reject(488, { reason: 'Not Acceptable Here (WebRTC is not enabled)' });
      return this.finish({ disposition: 'failed', cause: '488', side: 'system' });
    }
    let media: OpenedMedia;
    try {
      media = await this.anchor.open(isWebRtcOffer(this.callerOffer), bindings.map(isBrowser));
    } catch (error) {
      deps.log({ callId: this.id, error: String(error) }, 'call: no media relay');
      this.invite.reject(503, { reason: 'Service Unavailable (no media ports)' });
      return this.finish({ disposition: 'failed', cause: '503', side: 'system' });
    }
    if (this.phase === 'ended')
      return this.finish({ disposition: 'cancelled', cause: '487', side: 'caller' });
    const { relay, browserLegs } = media;
    const offer = offerToCallee(this.callerOffer, relay.b, deps.sessionId());
    if (!offer.ok) {
      this.invite.reject(offer.status, { reason: offer.reason });
      return this.finish({ disposition: 'failed', cause: String(offer.status), side: 'system' });
    }
    this.phase = 'ringing';
    this.ringTimer = deps.clock.setTimer(deps.options.ringTimeoutMs, () => this.ringTimeout());
    this.forks.fanOut(() =>
      bindings.forEach((binding, i) => {
        // A trunk gets an offer in its own codec preference (the relay transcodes G.711 laws).
        if (isTrunkTarget(binding)) return this.ring(binding, trunkOffer(binding, relay.b, deps.sessionId()));
        const webrtc = browserLegs[i];
        const own = webrtc && offerToCallee(this.callerOffer, relay.b, deps.sessionId(), undefined, webrtc);
        if (own && !own.ok) this.forks.refuse(binding, offer.value, 488);
        else this.ring(binding, own ? own.value : offer.value, webrtc);
      }),
    );
  }

  /** Ends the call from the PBX's side (shutdown, timeouts, administrator). */
  hangup(cause: string, side: HangupSide): Promise<void> {
    if (this.phase === 'answered') {
      const byes = Promise.all([this.sessions.a?.bye(), this.sessions.b?.bye()]).catch(() => undefined);
      const finished = this.finish({ disposition: 'answered', cause, side });
      // Wait for both BYEs to be answered (or 2 s at most) so a shutdown ends calls cleanly.
      const grace = new Promise<void>((resolve) => this.deps.clock.setTimer(2000, resolve));
      return Promise.all([finished, Promise.race([byes, grace])]).then(() => undefined);
    }
    if (this.phase === 'ended') return this.done;
    this.forks.cancelAll();
    this.invite.reject(cause === 'shutdown' ? 503 : 480, {
      reason: cause === 'shutdown' ? 'Service Unavailable' : 'Temporarily Unavailable',
    });
    return this.finish({ disposition: cause === 'shutdown' ? 'failed' : 'no_answer', cause, side });
  }

  // ─── Ringing the callee (callee-forks.ts) ────────────────────────────────────────────────

  /** Rings one device (or a trunk); its INVITE's Call-ID belongs to the call record. */
  private ring(binding: Binding | TrunkTarget, offer: SessionDescription, webrtc?: WebRtcLegHandle): void {
    const invite = this.forks.ring(binding, offer, webrtc);
    if (invite) this.record.addCallId(invite.request.callId);
  }

  private onForkProgress(fork: Fork, response: SipResponse): void {
    if (this.phase !== 'ringing' || response.status === 100) return;
    if (response.body.length > 0 && !this.earlyAnswerSent) {
      // Early media (183 with SDP): answer the caller now and open the relay both ways.
      const answer = this.anchor.answerCaller(this.callerOffer, fork, response.body);
      if (answer) {
        this.earlyAnswerSent = true;
        this.invite.progress(183, { body: sdpText(answer), contentType: SDP });
        return;
      }
    }
    if (!this.earlyAnswerSent) this.invite.progress(180);
  }

  private onForkAccept(fork: Fork, session: Session, response: SipResponse): void {
    if (this.phase !== 'ringing') {
      // Another device answered first, or the caller gave up: this one is hung up at once.
      void session.bye();
      return;
    }
    // No SDP in the 2xx: the answer we sent with early media (183), if any, stands.
    const answer =
      response.body.length > 0
        ? this.anchor.answerCaller(this.callerOffer, fork, response.body)
        : this.anchor.local('a');
    if (!answer) {
      void session.bye();
      this.forks.answerUnusable(fork, 488);
      return;
    }
    const callerSession = this.invite.accept({ body: sdpText(answer), contentType: SDP });
    if (!callerSession) {
      // The caller cancelled in the same instant.
      void session.bye();
      return;
    }
    this.phase = 'answered';
    this.record.answered(this.deps.now());
    this.ringTimer?.cancel();
    this.sessions.a = callerSession;
    this.sessions.b = session;
    this.anchor.setLocal('b', fork.offer);
    this.forks.cancelOthers(fork);
    this.wireLeg('a', callerSession);
    this.wireLeg('b', session);
    this.features = this.deps.features?.answered?.(this);
    this.durationTimer = this.deps.clock.setTimer(
      this.deps.options.maxDurationMs,
      () => void this.hangup('max_duration', 'system'),
    );
    this.deps.events.publish({ type: 'call-answered', callId: this.id, tenantId: this.call.tenant.id });
  }

  private onAllForksFailed(status: number): void {
    if (this.phase !== 'ringing' && this.phase !== 'routing') return;
    if (this.deps.features?.unanswered?.(dispositionOf(status) === 'busy' ? 'busy' : 'no-answer', status)) {
      // Forwarded: the caller's INVITE now belongs to another call; this attempt is recorded.
      void this.finish({ disposition: dispositionOf(status), cause: String(status), side: 'callee' });
      return;
    }
    this.invite.reject(status);
    void this.finish({ disposition: dispositionOf(status), cause: String(status), side: 'callee' });
  }

  private ringTimeout(): void {
    if (this.phase !== 'ringing') return;
    this.forks.cancelAll();
    // A ring timeout is 408 "no answer" (the mapping docs/pbx.md documents); 480 means "not registered".
    if (this.deps.features?.unanswered?.('no-answer', 408)) {
      void this.finish({ disposition: 'no_answer', cause: '408', side: 'system' });
      return;
    }
    this.invite.reject(408, { reason: 'Request Timeout (no answer)' });
    void this.finish({ disposition: 'no_answer', cause: '408', side: 'system' });
  }

  // ─── The answered call ──────────────────────────────────────────────────────────────────

  private wireLeg(side: CallSide, session: Session): void {
    const party = side === 'a' ? 'caller' : 'callee';
    session.delegate = {
      onBye: () => {
        if (this.features?.onBye?.(side)) return;
        void this.sessions[otherSide(side)]?.bye();
        void this.finish({ disposition: 'answered', cause: 'normal_clearing', side: party });
      },
      onReinvite: (reinvite) =>
        void this.onReinvite(side, reinvite).catch((error: unknown) => {
          this.deps.log({ callId: this.id, error: String(error) }, 'call: re-INVITE relay failed');
          if (!reinvite.answered) reinvite.reject(500);
        }),
      onUpdate: (request) => void answerUpdate(request),
      // REFER (transfer) and other requests inside the dialog go to the features.
      onRequest: (request) => {
        if (this.features?.onRequest?.(side, request)) return;
        request.respond(request.request.method === 'OPTIONS' ? 200 : 501);
      },
      onTerminated: (reason) => this.onLegTerminated(party, reason),
    };
  }

  /** A re-INVITE from `from`: the features' (hold, resume), else relayed to the other side. */
  private async onReinvite(from: CallSide, reinvite: IncomingReinvite): Promise<void> {
    // Hold and resume are answered by the PBX itself (music on hold, features/hold.ts).
    const offered = reinvite.offer && parseBody(reinvite.offer.body);
    if (offered?.ok && this.features?.onReinvite?.(from, reinvite, offered.value)) return;
    await relayReinvite(from, reinvite, this.sessions[otherSide(from)], this.anchor, this.deps.sessionId);
  }

  private onLegTerminated(side: 'caller' | 'callee', reason: string): void {
    if (this.phase !== 'answered' || reason === 'local-bye' || reason === 'remote-bye') return;
    // ACK timeout, session timer expiry or a dead dialog: end the other leg too.
    void this.hangup(reason.replace(/-/g, '_'), side);
  }

  // ─── What features see (features/answered-call.ts) ─────────────────────────────────────

  get tenant(): Tenant {
    return this.call.tenant;
  }

  get media(): MediaRelayHandle {
    return this.anchor.relay!;
  }

  endpoint(side: CallSide): MediaLocalEndpoint {
    return this.anchor.relay![side];
  }

  leg(side: CallSide): CallLeg | undefined {
    const session = this.sessions[side];
    if (!session) return undefined;
    return {
      session,
      party: this.record.party(side),
      local: this.anchor.local(side),
      webrtc: this.anchor.browser(side),
      trunkId: this.record.trunk(side),
    };
  }

  detach(side: CallSide, delegate: SessionDelegate): CallLeg | undefined {
    const leg = this.leg(side);
    if (!leg) return undefined;
    leg.session.delegate = delegate;
    this.sessions[side] = undefined;
    return leg;
  }

  async attach(side: CallSide, leg: CallLeg, negotiated?: NegotiatedAudio): Promise<void> {
    this.sessions[side] = leg.session;
    // The caller's side keeps the SDP it has unless the phone arrives with a negotiated one.
    if (side === 'b' || (leg.local && negotiated)) this.anchor.setLocal(side, leg.local);
    this.anchor.attachBrowser(side, leg.webrtc);
    if (this.record.changesParty(side, leg.party)) this.recordTransfer(side, leg);
    this.record.seat(side, leg.party, leg.trunkId, leg.session.dialog.callId);
    this.wireLeg(side, leg.session);
    if (negotiated) await this.anchor.relay?.configure({ [side]: legSettings(negotiated, leg.webrtc) });
  }

  /**
   * Another party takes `side` (a transfer): the stretch so far gets its own record (answered,
   * `transferred`), and the call goes on as a new stretch between the two parties now on it, so
   * each user's call history shows whom they really talked to.
   */
  private recordTransfer(side: CallSide, leg: CallLeg): void {
    const staying = this.sessions[otherSide(side)]?.dialog.callId;
    const record = this.record.nextStretch(this.deps.now(), staying, leg.session.dialog.callId);
    this.deps.events.publish({ type: 'call-ended', record });
    void this.deps.cdrs
      .write(record)
      .catch((error: unknown) =>
        this.deps.log({ callId: this.id, error: String(error) }, 'call: CDR write failed'),
      );
  }

  releaseWebRtc(side: CallSide): void {
    this.anchor.releaseBrowser(side);
  }

  answeredLocally(side: CallSide, local: SessionDescription): void {
    // The caller's side has had our answer since the call was answered; nothing to follow before.
    if (side === 'b' || this.anchor.local('a')) this.anchor.setLocal(side, local);
  }

  newSessionId(): string {
    return this.deps.sessionId();
  }

  // ─── The end ────────────────────────────────────────────────────────────────────────────

  private finish(end: CallEnd): Promise<void> {
    if (this.ended) return this.ended;
    this.phase = 'ended';
    this.features?.onEnded?.();
    this.ringTimer?.cancel();
    this.durationTimer?.cancel();
    this.forks.cancelAll();
    this.ended = (async () => {
      await this.anchor.close();
      const record = this.record.record(end, this.deps.now());
      this.deps.events.publish({ type: 'call-ended', record });
      try {
        await this.deps.cdrs.write(record);
      } catch (error) {
        this.deps.log({ callId: this.id, error: String(error) }, 'call: CDR write failed');
      }
      this.endResolve?.();
    })();
    return this.ended;
  }
}
