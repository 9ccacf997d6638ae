// A call whose other end is the PBX itself (voicemail, a conference): one SIP leg — the caller's
// INVITE we answered, or a phone we called — and a media endpoint instead of a relay. The app
// (mailbox menu, conference room) plays, records, reads digits and hangs up through it; the
// call answers re-INVITEs (hold, new address) and BYE itself and writes its call record.
import type { IncomingInvite, NegotiatedAudio, Session, SessionDescription } from '@switchboard/sip';
import type { CallRecord, HangupSide } from '../../call/call-record.ts';
import type { WebRtcLegHandle } from '../../call/media-port.ts';
import {
  answerToCaller,
  isWebRtcOffer,
  legSettings,
  offerToCallee,
  parseBody,
  sdpText,
  webRtcRemote,
} from '../../call/sdp-bridge.ts';
import type { Extension, Tenant } from '../../store/directory.ts';
import { pbxOffer, readAnswer } from '../leg-sdp.ts';
import { originate } from '../originate.ts';
import type { AppContext } from './app-context.ts';
import { DigitReader } from './digit-reader.ts';
import type {
  AudioSource,
  MediaBridgeHandle,
  MediaEndpointHandle,
  PlaybackEnd,
  RecordingOutcome,
} from './endpoint-port.ts';

const SDP = 'application/sdp';

export interface AppCallInfo {
  readonly tenant: Tenant;
  /** Who called (or, for a call we placed, on whose behalf). */
  readonly caller: Extension;
  /** What the record names as the callee: the dialled code, room or mailbox. */
  readonly callee: string;
  /** The number the caller dialled, when it is not `callee` (voicemail: the mailbox's extension). */
  readonly dialled?: string;
  /** The extensions that diverted the call here (voicemail: forwarders, then the mailbox owner). */
  readonly divertedFrom?: readonly string[];
}

export interface AppCallEvents {
  /** The phone put the call on hold (sendonly/inactive) or took it off. */
  onHold?(held: boolean): void;
  /** The call is over (the phone hung up, or hangup() was called). */
  onEnded?(side: HangupSide): void;
}

let sessionCounter = 0;
const newSessionId = (): string => String(Date.now() * 1000 + (sessionCounter++ % 1000));

export class AppCall {
  readonly id: string;
  readonly digits: DigitReader;
  events: AppCallEvents = {};
  held = false;
  private readonly startedAt: Date;
  private answeredAt: Date | undefined;
  private local: SessionDescription | undefined;
  private ended: Promise<void> | undefined;
  private endResolve!: () => void;
  private timer: { cancel(): void } | undefined;
  /** Resolves once the call is over and its record written. */
  readonly done: Promise<void>;

  private constructor(
    private readonly ctx: AppContext,
    readonly info: AppCallInfo,
    readonly endpoint: MediaEndpointHandle,
    private readonly webrtc: WebRtcLegHandle | undefined,
    private session: Session | undefined,
    callId: string,
  ) {
    this.id = callId;
    this.startedAt = ctx.now();
    this.digits = new DigitReader(ctx.clock);
    this.done = new Promise((resolve) => (this.endResolve = resolve));
  }

  // ─── Starting ───────────────────────────────────────────────────────────────────────────

  /**
   * Answers `invite` with a new endpoint (and a WebRTC leg in front of it for a browser).
   * Undefined when it could not: the INVITE is rejected (488 no codec, 503 no media ports).
   */
  static async answer(
    ctx: AppContext,
    invite: IncomingInvite,
    info: AppCallInfo,
    options: { readonly near?: MediaBridgeHandle } = {},
  ): Promise<AppCall | undefined> {
    const offer = parseBody(invite.request.body);
    if (!offer.ok) {
      invite.reject(offer.status, { reason: offer.reason });
      return undefined;
    }
    const browser = isWebRtcOffer(offer.value);
    if (browser && !ctx.media?.webrtc) {
      invite.reject(488, { reason: 'Not Acceptable Here (WebRTC is not enabled)' });
      return undefined;
    }
    // The endpoint reports to the call made below.
    const ref: { call?: AppCall } = {};
    let endpoint: MediaEndpointHandle;
    try {
      endpoint = await ctx.endpoints.allocate({
        inactivityTimeoutMs: ctx.rtpTimeoutMs,
        ...(options.near && { near: options.near }),
        delegate: {
          onDtmf: (digit) => ref.call?.digits.push(digit),
          onTimeout: () => void ref.call?.hangup('rtp_timeout', 'system'),
        },
      });
    } catch (error) {
      ctx.log({ callId: invite.request.callId, error: String(error) }, 'app: no media endpoint');
      invite.reject(503, { reason: 'Service Unavailable (no media ports)' });
      return undefined;
    }
    let webrtc: WebRtcLegHandle | undefined;
    try {
      if (browser) webrtc = await ctx.media!.webrtc!.createWebRtcLeg({ relay: endpoint.local });
    } catch {
      await endpoint.release();
      invite.reject(503, { reason: 'Service Unavailable (no WebRTC leg)' });
      return undefined;
    }
    const answer = answerToCaller(
      offer.value,
      undefined,
      endpoint.local,
      newSessionId(),
      undefined,
      undefined,
      webrtc,
    );
    if (!answer.ok) {
      await Promise.all([endpoint.release(), webrtc?.close()]);
      invite.reject(answer.status, { reason: answer.reason });
      return undefined;
    }
    await endpoint.configure(legSettings(answer.value.negotiated, webrtc));
    const remote = webrtc && webRtcRemote(offer.value);
    if (remote?.ok) await webrtc?.setRemote(remote.value).catch(() => undefined);
    const call = new AppCall(ctx, info, endpoint, webrtc, undefined, invite.request.callId);
    ref.call = call;
    ctx.track?.(call);
    ctx.events.publish({
      type: 'call-started',
      callId: call.id,
      tenantId: info.tenant.id,
      from: info.caller.username,
      to: info.callee,
    });
    const session = invite.accept({ body: sdpText(answer.value.local), contentType: SDP });
    if (!session) {
      // The caller cancelled meanwhile.
      await call.finish('cancelled', 'caller');
      return undefined;
    }
    call.local = answer.value.local;
    call.attach(session);
    return call;
  }

  /**
   * Calls an extension's phones (the first to answer wins) with a new endpoint: a conference
   * inviting a party. Resolves with the call, or the SIP status that ended the attempt.
   */
  static async dial(
    ctx: AppContext,
    request: {
      readonly tenant: Tenant;
      readonly target: Extension;
      /** Who the phone sees calling. */
      readonly from: Extension;
      readonly callee: string;
      readonly near?: MediaBridgeHandle;
    },
  ): Promise<{ ok: true; call: AppCall } | { ok: false; status: number; reason: string }> {
    const ref: { call?: AppCall } = {};
    const endpoint = await ctx.endpoints.allocate({
      inactivityTimeoutMs: ctx.rtpTimeoutMs,
      ...(request.near && { near: request.near }),
      delegate: {
        onDtmf: (digit) => ref.call?.digits.push(digit),
        onTimeout: () => void ref.call?.hangup('rtp_timeout', 'system'),
      },
    });
    const result = await originate(ctx, {
      tenant: request.tenant,
      target: request.target,
      from: request.from,
      endpoint: endpoint.local,
      sessionId: newSessionId(),
      ringTimeoutMs: ctx.ringTimeoutMs,
    }).result;
    if (!result.ok) {
      await endpoint.release();
      return result;
    }
    await endpoint.configure(legSettings(result.negotiated, result.webrtc));
    const info = { tenant: request.tenant, caller: request.from, callee: request.callee };
    const call = new AppCall(ctx, info, endpoint, result.webrtc, undefined, result.session.dialog.callId);
    ref.call = call;
    ctx.track?.(call);
    call.local = result.local;
    call.attach(result.session);
    return { ok: true, call };
  }

  /**
   * Takes over a phone that is already in a call (the call moves into a conference): a new
   * endpoint (near `near`), the phone re-INVITEd to it with a G.711 offer (RFC 3264 §8) — a
   * browser keeps its WebRTC leg, re-bound to the endpoint (its ICE/DTLS session goes on).
   * Undefined when the phone refused; the caller then still owns it.
   */
  static async adopt(
    ctx: AppContext,
    phone: {
      readonly session: Session;
      readonly local: SessionDescription | undefined;
      readonly webrtc?: WebRtcLegHandle | undefined;
    },
    info: AppCallInfo,
    options: { readonly near?: MediaBridgeHandle } = {},
  ): Promise<AppCall | undefined> {
    if (phone.webrtc && !phone.webrtc.moveTo) return undefined;
    const ref: { call?: AppCall } = {};
    const endpoint = await ctx.endpoints.allocate({
      inactivityTimeoutMs: ctx.rtpTimeoutMs,
      ...(options.near && { near: options.near }),
      delegate: {
        onDtmf: (digit) => ref.call?.digits.push(digit),
        onTimeout: () => void ref.call?.hangup('rtp_timeout', 'system'),
      },
    });
    const sessionId = newSessionId();
    const plain = pbxOffer(endpoint.local, sessionId, phone.local);
    const offer = phone.webrtc
      ? offerToCallee(plain, endpoint.local, sessionId, phone.local, phone.webrtc)
      : { ok: true as const, value: plain };
    let negotiated: NegotiatedAudio | undefined;
    for (let attempt = 0; offer.ok && attempt < 2 && !negotiated; attempt++) {
      const response = await phone.session
        .reinvite({ body: sdpText(offer.value), contentType: SDP })
        .catch(() => undefined);
      if (response && response.status >= 200 && response.status < 300)
        negotiated = readAnswer(offer.value, response.body);
      else if (response && response.status !== 491) break;
      // RFC 3261 §14.1: after a 491 (or a transaction in progress), once more 2.1–4 s later.
      else await new Promise<void>((resolve) => ctx.clock.setTimer(2100 + Math.random() * 1900, resolve));
    }
    if (!offer.ok || !negotiated) {
      await endpoint.release();
      return undefined;
    }
    await phone.webrtc?.moveTo?.(endpoint.local);
    await endpoint.configure(legSettings(negotiated, phone.webrtc));
    const call = new AppCall(ctx, info, endpoint, phone.webrtc, undefined, phone.session.dialog.callId);
    ref.call = call;
    ctx.track?.(call);
    ctx.events.publish({
      type: 'call-started',
      callId: call.id,
      tenantId: info.tenant.id,
      from: info.caller.username,
      to: info.callee,
    });
    call.local = offer.value;
    call.attach(phone.session);
    return call;
  }

  private attach(session: Session): void {
    this.session = session;
    this.answeredAt = this.ctx.now();
    this.ctx.events.publish({ type: 'call-answered', callId: this.id, tenantId: this.info.tenant.id });
    session.delegate = {
      onBye: () => void this.finish('normal_clearing', 'caller'),
      onReinvite: (reinvite) => {
        const offer = reinvite.offer && parseBody(reinvite.offer.body);
        if (!offer?.ok) {
          // A session refresh, or a request for our offer: our last SDP.
          reinvite.accept(this.local ? { body: sdpText(this.local), contentType: SDP } : {});
          return;
        }
        const answer = answerToCaller(
          offer.value,
          undefined,
          this.endpoint.local,
          newSessionId(),
          this.local,
          undefined,
          this.webrtc,
        );
        if (!answer.ok) {
          reinvite.reject(answer.status, { reason: answer.reason });
          return;
        }
        this.local = answer.value.local;
        void this.endpoint
          .configure(legSettings(answer.value.negotiated, this.webrtc))
          .catch(() => undefined);
        reinvite.accept({ body: sdpText(answer.value.local), contentType: SDP });
        this.setHeld(answer.value.negotiated);
      },
      onUpdate: (request) => {
        if (request.request.body.length === 0) request.respond(200);
        else request.respond(488, { reason: 'Not Acceptable Here (use re-INVITE to change media)' });
      },
      onTerminated: (reason) => {
        if (reason !== 'local-bye' && reason !== 'remote-bye')
          void this.finish(reason.replace(/-/g, '_'), 'system');
      },
    };
  }

  private setHeld(negotiated: NegotiatedAudio): void {
    // NOTE: `direction` is our answer's (recvonly to a phone's sendonly hold); whether the phone
    // holds is whether it still receives: sendonly, inactive or c=0.0.0.0 (RFC 3264 §8.4).
    const held = negotiated.remoteHold;
    if (held === this.held) return;
    this.held = held;
    this.events.onHold?.(held);
  }

  // ─── What apps do ───────────────────────────────────────────────────────────────────────

  get active(): boolean {
    return this.ended === undefined;
  }

  play(sources: readonly AudioSource[], options: { readonly loop?: boolean } = {}): Promise<PlaybackEnd> {
    if (!this.active) return Promise.resolve('stopped');
    return this.endpoint.play(sources, options).catch(() => 'failed' as const);
  }

  /** Plays, and stops as soon as a key is pressed (the key stays in `digits`). */
  async prompt(sources: readonly AudioSource[]): Promise<PlaybackEnd> {
    if (this.digits.pending > 0) return 'stopped';
    const stop = this.digits.onNext(() => void this.endpoint.stopPlayback().catch(() => undefined));
    try {
      return await this.play(sources);
    } finally {
      stop();
    }
  }

  stopPlayback(): Promise<void> {
    return this.endpoint.stopPlayback().catch(() => undefined);
  }

  record(file: string, maxDurationMs: number): Promise<RecordingOutcome> {
    if (!this.active) return Promise.resolve({ end: 'closed', durationMs: 0 });
    return this.endpoint
      .record({ file, maxDurationMs })
      .catch((error: unknown) => ({ end: 'failed' as const, durationMs: 0, error: String(error) }));
  }

  stopRecording(): Promise<void> {
    return this.endpoint.stopRecording().catch(() => undefined);
  }

  /** Ends the call from the PBX's side (BYE) and waits for its record. */
  async hangup(cause = 'normal_clearing', side: HangupSide = 'system'): Promise<void> {
    if (this.ended) return this.ended;
    const session = this.session;
    const finished = this.finish(cause, side);
    await Promise.race([
      session?.bye().catch(() => undefined),
      new Promise<void>((resolve) => (this.timer = this.ctx.clock.setTimer(2000, resolve))),
    ]);
    this.timer?.cancel();
    await finished;
  }

  // ─── The end ────────────────────────────────────────────────────────────────────────────

  private finish(cause: string, side: HangupSide): Promise<void> {
    if (this.ended) return this.ended;
    this.ended = (async () => {
      this.digits.close();
      this.events.onEnded?.(side);
      await Promise.all([this.endpoint.release(), this.webrtc?.close()]).catch(() => undefined);
      const endedAt = this.ctx.now();
      const answeredAt = this.answeredAt;
      const record: CallRecord = {
        id: crypto.randomUUID(),
        tenantId: this.info.tenant.id,
        caller: this.info.caller.username,
        callee: this.info.callee,
        dialled: this.info.dialled ?? this.info.callee,
        ...(this.info.divertedFrom && { divertedFrom: this.info.divertedFrom }),
        direction: 'internal',
        startedAt: this.startedAt,
        answeredAt,
        endedAt,
        durationSeconds: Math.round((endedAt.getTime() - this.startedAt.getTime()) / 1000),
        billableSeconds: answeredAt ? Math.round((endedAt.getTime() - answeredAt.getTime()) / 1000) : 0,
        disposition: answeredAt ? 'answered' : cause === 'cancelled' ? 'cancelled' : 'failed',
        hangupCause: cause,
        hangupSide: side,
        sipCallIds: [this.id],
      };
      this.ctx.events.publish({ type: 'call-ended', record });
      await this.ctx.cdrs
        .write(record)
        .catch((error: unknown) =>
          this.ctx.log({ callId: this.id, error: String(error) }, 'app: CDR write failed'),
        );
      this.endResolve();
    })();
    return this.ended;
  }
}
