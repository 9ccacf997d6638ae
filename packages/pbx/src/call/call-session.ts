// One call through the B2BUA: the caller's leg (an IncomingInvite, then a Session), parallel
// forks to every registered device of the callee (first answer wins, the others are cancelled),
// a media relay anchoring RTP between them, and one call record at the end.
//
//   caller ──INVITE──▶ [leg A | relay a⇄b | leg B*] ──INVITE──▶ each device of the callee
//
// NOTE: SDP is re-generated on each side (the relay's address and ports), never passed through.
import type {
  Clock,
  IncomingInvite,
  IncomingReinvite,
  IncomingRequest,
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
import type { MediaLocalEndpoint, MediaPort, MediaRelayHandle, WebRtcLegHandle } from './media-port.ts';
import {
  acceptCalleeAnswer,
  answerToCaller,
  isWebRtcOffer,
  legSettings,
  offerToCallee,
  parseBody,
  sdpText,
  webRtcRemote,
  type LegSdp,
} from './sdp-bridge.ts';

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
  private relay: MediaRelayHandle | undefined;
  /** Browser legs in front of the relay: the caller's, the answering device's, and every one opened. */
  private readonly webrtc: { a?: WebRtcLegHandle; b?: WebRtcLegHandle; all: WebRtcLegHandle[] } = { all: [] };
  private readonly forks: CalleeForks;
  private callerSession: Session | undefined;
  private calleeSession: Session | undefined;
  private callerSdp: LegSdp | undefined;
  /** Our offer to the device that answered, and what we last sent it. */
  private calleeLocal: SessionDescription | undefined;
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
    let browserLegs: (WebRtcLegHandle | undefined)[] = [];
    try {
      this.relay = await deps.media.createRelay({
        inactivityTimeoutMs: deps.options.rtpTimeoutMs,
        delegate: {
          onDtmf: (leg, digit) => this.features?.onDtmf?.(leg, digit),
          onTimeout: (leg, idleMs) => {
            deps.log({ callId: this.id, leg, idleMs }, 'call: RTP timeout');
            void this.hangup('rtp_timeout', 'system');
          },
        },
      });
      const relay = this.relay;
      if (isWebRtcOffer(this.callerOffer)) this.webrtc.a = await this.openWebRtcLeg(relay.a);
      browserLegs = await Promise.all(
        bindings.map((b) => (isBrowser(b) ? this.openWebRtcLeg(relay.b) : undefined)),
      );
    } catch (error) {
      deps.log({ callId: this.id, error: String(error) }, 'call: no media relay');
      this.invite.reject(503, { reason: 'Service Unavailable (no media ports)' });
      return this.finish({ disposition: 'failed', cause: '503', side: 'system' });
    }
    if (this.phase === 'ended')
      return this.finish({ disposition: 'cancelled', cause: '487', side: 'caller' });
    const offer = offerToCallee(this.callerOffer, this.relay.b, deps.sessionId());
    if (!offer.ok) {
      this.invite.reject(offer.status, { reason: offer.reason });
      return this.finish({ disposition: 'failed', cause: String(offer.status), side: 'system' });
    }
    this.phase = 'ringing';
    this.ringTimer = deps.clock.setTimer(deps.options.ringTimeoutMs, () => this.ringTimeout());
    bindings.forEach((binding, i) => {
      // A trunk gets an offer in its own codec preference (the relay transcodes G.711 laws).
      if (isTrunkTarget(binding))
        return this.ring(binding, trunkOffer(binding, this.relay!.b, deps.sessionId()));
      const webrtc = browserLegs[i];
      const own =
        webrtc && offerToCallee(this.callerOffer, this.relay!.b, deps.sessionId(), undefined, webrtc);
      if (own && !own.ok) this.forks.refuse(binding, offer.value, 488);
      else this.ring(binding, own ? own.value : offer.value, webrtc);
    });
    this.forks.checkAllFailed();
  }

  /** A WebRTC leg in front of `relay`; when the browser leaves an answered call, the call ends. */
  private async openWebRtcLeg(relay: MediaLocalEndpoint): Promise<WebRtcLegHandle> {
    const leg: WebRtcLegHandle = await this.deps.media.webrtc!.createWebRtcLeg({
      relay,
      // RFC 7675 §5.1: consent expires 30 s after the last check.
      inactivityTimeoutMs: Math.min(this.deps.options.rtpTimeoutMs, 30_000),
      delegate: {
        // A hang-up closes DTLS as the BYE goes out: give the BYE time to end the call first.
        onClosed: (reason) =>
          this.deps.clock.setTimer(2000, () => {
            if (leg !== this.webrtc.a && leg !== this.webrtc.b) return;
            this.deps.log({ callId: this.id, reason }, 'call: browser left');
            void this.hangup('webrtc_closed', leg === this.webrtc.a ? 'caller' : 'callee');
          }),
        onTimeout: (idleMs) => {
          if (leg !== this.webrtc.a && leg !== this.webrtc.b) return;
          this.deps.log({ callId: this.id, idleMs }, 'call: browser timeout');
          void this.hangup('rtp_timeout', 'system');
        },
      },
    });
    this.webrtc.all.push(leg);
    return leg;
  }

  /** Ends the call from the PBX's side (shutdown, timeouts, administrator). */
  hangup(cause: string, side: HangupSide): Promise<void> {
    if (this.phase === 'answered') {
      const byes = Promise.all([this.callerSession?.bye(), this.calleeSession?.bye()]).catch(() => undefined);
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
      const answer = this.bridgeAnswer(fork, response);
      if (answer) {
        this.earlyAnswerSent = true;
        this.invite.progress(183, { body: sdpText(answer.local), contentType: SDP });
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
    const answer = response.body.length > 0 ? this.bridgeAnswer(fork, response) : this.callerSdp;
    if (!answer) {
      void session.bye();
      this.forks.failed(fork, 488);
      return;
    }
    const callerSession = this.invite.accept({ body: sdpText(answer.local), contentType: SDP });
    if (!callerSession) {
      // The caller cancelled in the same instant.
      void session.bye();
      return;
    }
    this.phase = 'answered';
    this.record.answered(this.deps.now());
    this.ringTimer?.cancel();
    this.callerSession = callerSession;
    this.calleeSession = session;
    this.calleeLocal = fork.offer;
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

  /** Negotiates the callee's SDP, answers the caller's offer, and configures the relay. */
  private bridgeAnswer(fork: Fork, response: SipResponse): LegSdp | undefined {
    const relay = this.relay;
    if (!relay) return undefined;
    const parsed = parseBody(response.body);
    if (!parsed.ok) return undefined;
    const callee = acceptCalleeAnswer(fork.offer, parsed.value);
    if (!callee.ok) return undefined;
    const calleeBrowser = fork.webrtc ? webRtcRemote(parsed.value) : undefined;
    if (calleeBrowser && !calleeBrowser.ok) return undefined;
    const caller = answerToCaller(
      this.callerOffer,
      callee.value,
      relay.a,
      this.deps.sessionId(),
      this.callerSdp?.local,
      undefined,
      this.webrtc.a,
    );
    if (!caller.ok) return undefined;
    this.callerSdp = caller.value;
    // NOTE: not awaited (the answer goes out now); a call ended in this very instant releases the
    // legs first, and that failure must not escape as an unhandled rejection.
    relay
      .configure({
        a: legSettings(caller.value.negotiated, this.webrtc.a),
        b: legSettings(callee.value, fork.webrtc),
      })
      .catch((error: unknown) =>
        this.deps.log({ callId: this.id, error: String(error) }, 'call: relay configure failed'),
      );
    // The browsers' transports: the caller's from its offer, the callee's from its answer.
    const callerBrowser = this.webrtc.a && webRtcRemote(this.callerOffer);
    if (callerBrowser?.ok) void this.webrtc.a?.setRemote(callerBrowser.value).catch(() => undefined);
    this.webrtc.b = fork.webrtc;
    if (calleeBrowser?.ok) void fork.webrtc?.setRemote(calleeBrowser.value).catch(() => undefined);
    return caller.value;
  }

  // ─── The answered call ──────────────────────────────────────────────────────────────────

  private wireLeg(side: CallSide, session: Session): void {
    const party = side === 'a' ? 'caller' : 'callee';
    session.delegate = {
      onBye: () => {
        if (this.features?.onBye?.(side)) return;
        void this.sessionOf(otherSide(side))?.bye();
        void this.finish({ disposition: 'answered', cause: 'normal_clearing', side: party });
      },
      onReinvite: (reinvite) =>
        void this.relayReinvite(side, reinvite).catch((error: unknown) => {
          this.deps.log({ callId: this.id, error: String(error) }, 'call: re-INVITE relay failed');
          if (!reinvite.answered) reinvite.reject(500);
        }),
      onUpdate: (request) => void this.relayUpdate(request),
      // REFER (transfer) and other requests inside the dialog go to the features.
      onRequest: (request) => {
        if (this.features?.onRequest?.(side, request)) return;
        request.respond(request.request.method === 'OPTIONS' ? 200 : 501);
      },
      onTerminated: (reason) => this.onLegTerminated(party, reason),
    };
  }

  private sessionOf(side: CallSide): Session | undefined {
    return side === 'a' ? this.callerSession : this.calleeSession;
  }

  private onLegTerminated(side: 'caller' | 'callee', reason: string): void {
    if (this.phase !== 'answered' || reason === 'local-bye' || reason === 'remote-bye') return;
    // ACK timeout, session timer expiry or a dead dialog: end the other leg too.
    void this.hangup(reason.replace(/-/g, '_'), side);
  }

  /**
   * A re-INVITE from one side (hold, resume, new address) becomes a re-INVITE to the other side
   * with an offer from the relay; the other side's answer becomes our answer (RFC 3264 §8).
   */
  private async relayReinvite(from: 'a' | 'b', reinvite: IncomingReinvite): Promise<void> {
    // Hold and resume are answered by the PBX itself (music on hold, features/hold.ts).
    const offered = reinvite.offer && parseBody(reinvite.offer.body);
    if (offered?.ok && this.features?.onReinvite?.(from, reinvite, offered.value)) return;
    const relay = this.relay;
    const other = from === 'a' ? this.calleeSession : this.callerSession;
    const offerBody = reinvite.offer;
    if (!relay || !other || !offerBody) {
      // No offer (a session refresh or a request for our offer): answer with what we last sent.
      const local = from === 'a' ? this.callerSdp?.local : this.calleeLocal;
      reinvite.accept(local ? { body: sdpText(local), contentType: SDP } : {});
      return;
    }
    const offer = parseBody(offerBody.body);
    if (!offer.ok) {
      reinvite.reject(400, { reason: offer.reason });
      return;
    }
    const toOther = offerToCallee(
      offer.value,
      from === 'a' ? relay.b : relay.a,
      this.deps.sessionId(),
      from === 'a' ? this.calleeLocal : this.callerSdp?.local,
      from === 'a' ? this.webrtc.b : this.webrtc.a,
    );
    if (!toOther.ok) {
      reinvite.reject(toOther.status, { reason: toOther.reason });
      return;
    }
    let response: SipResponse;
    try {
      response = await other.reinvite({ body: sdpText(toOther.value), contentType: SDP });
    } catch {
      reinvite.reject(491, { reason: 'Request Pending' });
      return;
    }
    if (response.status >= 300) {
      reinvite.reject(response.status === 491 ? 491 : 488);
      return;
    }
    const otherAnswer = parseBody(response.body);
    const otherNegotiated = otherAnswer.ok ? acceptCalleeAnswer(toOther.value, otherAnswer.value) : undefined;
    if (!otherNegotiated?.ok) {
      reinvite.reject(488);
      return;
    }
    const ours = answerToCaller(
      offer.value,
      otherNegotiated.value,
      from === 'a' ? relay.a : relay.b,
      this.deps.sessionId(),
      from === 'a' ? this.callerSdp?.local : this.calleeLocal,
      undefined,
      from === 'a' ? this.webrtc.a : this.webrtc.b,
    );
    if (!ours.ok) {
      reinvite.reject(ours.status, { reason: ours.reason });
      return;
    }
    if (from === 'a') {
      this.callerSdp = ours.value;
      this.calleeLocal = toOther.value;
      await relay.configure({
        a: legSettings(ours.value.negotiated, this.webrtc.a),
        b: legSettings(otherNegotiated.value, this.webrtc.b),
      });
    } else {
      this.calleeLocal = ours.value.local;
      this.callerSdp = { local: toOther.value, negotiated: otherNegotiated.value };
      await relay.configure({
        b: legSettings(ours.value.negotiated, this.webrtc.b),
        a: legSettings(otherNegotiated.value, this.webrtc.a),
      });
    }
    reinvite.accept({ body: sdpText(ours.value.local), contentType: SDP });
  }

  /** UPDATE without SDP is a session refresh; with SDP we ask for a re-INVITE instead. */
  private relayUpdate(request: IncomingRequest): void {
    if (request.request.body.length === 0) request.respond(200);
    else request.respond(488, { reason: 'Not Acceptable Here (use re-INVITE to change media)' });
  }

  // ─── What features see (features/answered-call.ts) ─────────────────────────────────────

  get tenant(): Tenant {
    return this.call.tenant;
  }

  get media(): MediaRelayHandle {
    return this.relay!;
  }

  endpoint(side: CallSide): MediaLocalEndpoint {
    return this.relay![side];
  }

  leg(side: CallSide): CallLeg | undefined {
    const session = this.sessionOf(side);
    if (!session) return undefined;
    const local = side === 'a' ? this.callerSdp?.local : this.calleeLocal;
    return {
      session,
      party: this.record.party(side),
      local,
      webrtc: this.webrtc[side],
      trunkId: this.record.trunk(side),
    };
  }

  detach(side: CallSide, delegate: SessionDelegate): CallLeg | undefined {
    const leg = this.leg(side);
    if (!leg) return undefined;
    leg.session.delegate = delegate;
    if (side === 'a') this.callerSession = undefined;
    else this.calleeSession = undefined;
    return leg;
  }

  async attach(side: CallSide, leg: CallLeg, negotiated?: NegotiatedAudio): Promise<void> {
    if (side === 'a') {
      this.callerSession = leg.session;
      if (leg.local && negotiated) this.callerSdp = { local: leg.local, negotiated };
    } else {
      this.calleeSession = leg.session;
      this.calleeLocal = leg.local;
    }
    // A browser leaving this side (transferred away) takes its WebRTC leg with it; a browser
    // arriving (a transfer target) brings one the call now owns.
    const previous = this.webrtc[side];
    if (previous && previous !== leg.webrtc) void previous.close().catch(() => undefined);
    if (leg.webrtc && !this.webrtc.all.includes(leg.webrtc)) this.webrtc.all.push(leg.webrtc);
    this.webrtc[side] = leg.webrtc;
    if (this.record.changesParty(side, leg.party)) this.recordTransfer(side, leg);
    this.record.seat(side, leg.party, leg.trunkId, leg.session.dialog.callId);
    this.wireLeg(side, leg.session);
    if (negotiated) await this.relay?.configure({ [side]: legSettings(negotiated, leg.webrtc) });
  }

  /**
   * Another party takes `side` (a transfer): the stretch so far gets its own record (answered,
   * `transferred`), and the call goes on as a new stretch between the two parties now on it, so
   * each user's call history shows whom they really talked to.
   */
  private recordTransfer(side: CallSide, leg: CallLeg): void {
    const staying = this.sessionOf(otherSide(side))?.dialog.callId;
    const record = this.record.nextStretch(this.deps.now(), staying, leg.session.dialog.callId);
    this.deps.events.publish({ type: 'call-ended', record });
    void this.deps.cdrs
      .write(record)
      .catch((error: unknown) =>
        this.deps.log({ callId: this.id, error: String(error) }, 'call: CDR write failed'),
      );
  }

  releaseWebRtc(side: CallSide): void {
    const leg = this.webrtc[side];
    if (!leg) return;
    this.webrtc[side] = undefined;
    this.webrtc.all = this.webrtc.all.filter((l) => l !== leg);
  }

  answeredLocally(side: CallSide, local: SessionDescription): void {
    if (side === 'b') this.calleeLocal = local;
    else if (this.callerSdp) this.callerSdp = { ...this.callerSdp, local };
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
      try {
        await Promise.all([this.relay?.close(), ...this.webrtc.all.map((leg) => leg.close())]);
      } catch (error) {
        this.deps.log({ callId: this.id, error: String(error) }, 'call: relay close failed');
      }
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
