// One call on one line: the SIP INVITE session (@switchboard/sip) and its WebRTC media
// (PeerMedia). Outgoing calls offer in the INVITE; incoming ones answer the PBX's offer. Hold
// and resume are re-INVITEs with `sendonly`/`sendrecv` (RFC 3264 §8.4), DTMF is RFC 4733 with a
// SIP INFO fallback, blind transfer is REFER (RFC 3515). Everything the UI shows is in
// `snapshot()`; every change calls `onChange`.
import type {
  IncomingInvite,
  IncomingReinvite,
  IncomingRequest,
  OutgoingInvite,
  Session,
  SipResponse,
} from '@switchboard/sip';
import type { AppLog } from '../log/app-log.ts';
import type { SipLine } from '../sip/sip-line.ts';
import type { RoomParticipant } from './conference-room.ts';
import { CallPhase, nextCallPhase, type CallDirection, type CallOutcome } from './call-phase.ts';
import { PeerMedia, type AudioStats, type MediaDevicesChoice } from './peer-media.ts';
import { remoteParty, sdpDirection } from './sip-party.ts';

export interface CallSnapshot {
  readonly id: string;
  readonly lineId: string;
  readonly direction: CallDirection;
  readonly phase: CallPhase;
  /** The far end's number (user part) and name, as SIP told us. */
  readonly number: string;
  readonly name: string | undefined;
  /** Outgoing: the far end rings (180/183). */
  readonly alerting: boolean;
  readonly held: boolean;
  readonly muted: boolean;
  /** The far end put us on hold. */
  readonly remoteHeld: boolean;
  readonly conference: boolean;
  /** The PBX conference room this call is in (we own it), or undefined. */
  readonly room: string | undefined;
  /** The room's participants (ourselves included), while we own a room. */
  readonly participants: readonly RoomParticipant[];
  readonly startedAt: number;
  readonly answeredAt: number | undefined;
  readonly endedAt: number | undefined;
  readonly outcome: CallOutcome | undefined;
  /** Why it failed, e.g. "486 Busy Here". */
  readonly reason: string | undefined;
  readonly stats: AudioStats | undefined;
}

export interface CallContext {
  readonly line: SipLine;
  readonly devices: MediaDevicesChoice;
  readonly log: AppLog;
  readonly onChange: (call: Call) => void;
}

const STATS_INTERVAL_MS = 500;
/** How long the transfer target may ring before we give up waiting for the PBX's verdict. */
const REFER_OUTCOME_TIMEOUT_MS = 90_000;
const SIPFRAG_REASONS: Record<number, string> = {
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  603: 'Decline',
};
let sequence = 0;

export class Call {
  readonly id = `call-${Date.now().toString(36)}-${++sequence}`;
  readonly lineId: string;
  private phase: CallPhase;
  private outgoing: OutgoingInvite | undefined;
  private session: Session | undefined;
  private media: PeerMedia | undefined;
  private statsTimer: ReturnType<typeof setInterval> | undefined;
  private busy: Promise<unknown> = Promise.resolve();
  /** Waits for the final NOTIFY of a REFER we sent. */
  private referOutcome: ((status: number) => void) | undefined;
  private state: {
    alerting: boolean;
    held: boolean;
    muted: boolean;
    remoteHeld: boolean;
    conference: boolean;
    room: string | undefined;
    participants: readonly RoomParticipant[];
    answeredAt: number | undefined;
    endedAt: number | undefined;
    outcome: CallOutcome | undefined;
    reason: string | undefined;
    stats: AudioStats | undefined;
    name: string | undefined;
  } = {
    alerting: false,
    held: false,
    muted: false,
    remoteHeld: false,
    conference: false,
    room: undefined,
    participants: [],
    answeredAt: undefined,
    endedAt: undefined,
    outcome: undefined,
    reason: undefined,
    stats: undefined,
    name: undefined,
  };
  readonly startedAt = Date.now();

  private constructor(
    private readonly context: CallContext,
    readonly direction: CallDirection,
    readonly number: string,
    name: string | undefined,
    private readonly incoming?: IncomingInvite,
  ) {
    this.lineId = context.line.id;
    this.phase = direction === 'outbound' ? CallPhase.Dialing : CallPhase.Ringing;
    this.state.name = name;
  }

  /** Calls `target` (a number or SIP address, dialing rules already applied) on `line`. */
  static dial(context: CallContext, target: string, name?: string): Call {
    const call = new Call(context, 'outbound', target, name);
    void call.startOutgoing(target);
    return call;
  }

  /** A new incoming call; the caller hears ringing (180) until answer() or decline(). */
  static receive(context: CallContext, invite: IncomingInvite): Call {
    const party = remoteParty(invite.request.from);
    const call = new Call(context, 'inbound', party.number, party.name, invite);
    invite.delegate = {
      onCancel: () => call.finish('missed', 'caller hung up'),
      onEnded: (response) => {
        if (call.phase !== CallPhase.Ended && response)
          call.finish(call.state.outcome ?? 'missed', `${response.status} ${response.reason}`);
      },
    };
    invite.progress(180);
    return call;
  }

  snapshot(): CallSnapshot {
    return {
      id: this.id,
      lineId: this.lineId,
      direction: this.direction,
      phase: this.phase,
      number: this.number,
      startedAt: this.startedAt,
      ...this.state,
    };
  }

  get currentPhase(): CallPhase {
    return this.phase;
  }

  get remoteStream(): MediaStream | undefined {
    return this.media?.remoteStream;
  }

  get microphoneTrack(): MediaStreamTrack | undefined {
    return this.media?.microphoneTrack;
  }

  /** The phase as it is now (a getter: TypeScript would keep a narrowed field read across awaits). */
  private get ended(): boolean {
    return this.phase === CallPhase.Ended;
  }

  get isHeld(): boolean {
    return this.state.held;
  }

  // ─── Actions ────────────────────────────────────────────────────────────────────────────

  answer(): Promise<void> {
    return this.serial(async () => {
      const invite = this.incoming;
      if (!invite || this.phase !== CallPhase.Ringing) return;
      const offer = invite.request.bodyText;
      if (!offer) {
        invite.reject(488, { reason: 'Offer Required' });
        this.finish('failed', 'no SDP offer');
        return;
      }
      try {
        this.media = new PeerMedia(this.context.devices);
        await this.media.openMicrophone();
        const remoteDirection = sdpDirection(offer);
        await this.media.attachMicrophone();
        const answer = await this.media.answer(offer);
        if (invite.state !== 'waiting') return; // the caller gave up meanwhile
        const session = invite.accept({ body: answer });
        if (!session) throw new Error('the call could not be accepted');
        this.adopt(session);
        this.state.remoteHeld = remoteDirection === 'sendonly' || remoteDirection === 'inactive';
        this.becomeActive();
      } catch (error) {
        this.context.log.error('call', 'answer failed', { error: String(error) });
        if (invite.state === 'waiting') invite.reject(500);
        this.finish('failed', describe(error));
      }
    });
  }

  /** Refuses a ringing call (486 Busy Here: the caller hears busy, other devices keep ringing). */
  decline(status = 486, outcome: CallOutcome = 'declined', headers: Array<[string, string]> = []): void {
    if (!this.incoming || this.phase !== CallPhase.Ringing) return;
    this.state.outcome = outcome;
    this.incoming.reject(status, { headers });
    this.finish(outcome, undefined);
  }

  /** Ends the call in whatever state it is: BYE, CANCEL, or decline. */
  hangUp(): void {
    switch (this.phase) {
      case CallPhase.Ringing:
        this.decline();
        return;
      case CallPhase.Dialing:
        this.outgoing?.cancel();
        this.finish('cancelled', undefined);
        return;
      case CallPhase.Active:
        void this.session?.bye().catch(() => undefined);
        this.finish('answered', undefined);
        return;
      case CallPhase.Ended:
        return;
    }
  }

  setMuted(muted: boolean): void {
    this.state.muted = muted;
    this.media?.setMuted(muted);
    this.changed();
  }

  /** Hold (`sendonly`) or resume (`sendrecv`) by re-INVITE; locally only if the PBX refuses. */
  setHeld(held: boolean): Promise<void> {
    return this.serial(async () => {
      const media = this.media;
      const session = this.session;
      if (!media || !session || this.phase !== CallPhase.Active || this.state.held === held) return;
      this.state.held = held;
      this.changed();
      media.setDirection(held ? 'sendonly' : 'sendrecv');
      try {
        const offer = await media.createOffer();
        const response = await session.reinvite({ body: offer });
        if (response.status >= 200 && response.status < 300 && response.bodyText) {
          await media.acceptAnswer(response.bodyText);
        } else {
          await media.rollback();
          this.context.log.warn('call', 'hold re-INVITE refused; holding locally', {
            status: response.status,
          });
        }
      } catch (error) {
        await media.rollback().catch(() => undefined);
        this.context.log.warn('call', 'hold re-INVITE failed; holding locally', { error: String(error) });
      }
      // Whatever the PBX said, the held party neither hears us nor is heard.
      media.setMuted(held || this.state.muted);
      media.setPlayback(!held);
      this.changed();
    });
  }

  sendDtmf(tones: string): void {
    if (this.phase !== CallPhase.Active || !this.media) return;
    if (this.media.sendDtmf(tones)) return;
    // No telephone-event negotiated: SIP INFO, one request per digit.
    for (const tone of tones)
      void this.session
        ?.request('INFO', {
          body: `Signal=${tone}\r\nDuration=100\r\n`,
          contentType: 'application/dtmf-relay',
        })
        .catch(() => undefined);
  }

  /**
   * Transfer by REFER (RFC 3515): blind to `targetUri`, or attended when the URI carries
   * `?Replaces=` (RFC 3891, RFC 5589 §7). The PBX reports the new call's progress in NOTIFYs
   * (message/sipfrag, RFC 3515 §2.4.4); only a final 2xx there means the transfer happened — the
   * PBX then ends our leg. On a failure (busy, unknown, no answer) the PBX gives the call back:
   * it stays here, with the reason.
   */
  async transfer(targetUri: string, options: { readonly stay?: boolean } = {}): Promise<boolean> {
    const session = this.session;
    if (!session || this.phase !== CallPhase.Active || this.referOutcome) return false;
    const outcome = new Promise<number>((resolve) => {
      const timer = setTimeout(() => resolve(408), REFER_OUTCOME_TIMEOUT_MS);
      this.referOutcome = (status) => {
        clearTimeout(timer);
        resolve(status);
      };
    });
    const response = await session
      .request('REFER', {
        headers: [
          ['Refer-To', `<${targetUri}>`],
          ['Referred-By', `<${this.context.line.aor}>`],
        ],
      })
      .catch(() => undefined);
    if (!response || response.status >= 300) {
      this.referOutcome = undefined;
      this.state.reason = response
        ? `transfer refused: ${response.status} ${response.reason}`
        : 'transfer failed';
      this.changed();
      return false;
    }
    // The PBX hangs our leg up when the transfer succeeds: that ends the wait too.
    const status = this.ended ? 200 : await outcome;
    this.referOutcome = undefined;
    if (status >= 200 && status < 300) {
      if (!options.stay) this.hangUp();
      return true;
    }
    if (this.ended) return false;
    this.state.reason = `transfer failed: ${status} ${SIPFRAG_REASONS[status] ?? ''}`.trim();
    this.changed();
    return false;
  }

  /** The Replaces value naming this call's dialog (RFC 3891 §6.1), for an attended transfer. */
  replacesValue(): string | undefined {
    const dialog = this.session?.dialog;
    if (!dialog || this.phase !== CallPhase.Active) return undefined;
    const remote = dialog.remoteUri.tag;
    const local = dialog.localUri.tag;
    return `${dialog.callId};to-tag=${remote ?? ''};from-tag=${local ?? ''}`;
  }

  /**
   * Moves this call into the PBX conference room `room` (we own it): REFER to the conference
   * code (`roomUri`, `*8` + room); the PBX puts both of us into its mixing bridge, our dialog
   * goes on (re-INVITEd to the room). Parties are then added with the owner's keys.
   */
  async moveToConference(roomUri: string, room: string): Promise<boolean> {
    const ok = await this.transfer(roomUri, { stay: true });
    if (ok && !this.ended) {
      this.state.room = room;
      this.state.conference = true;
      this.state.reason = undefined;
      this.changed();
    }
    return ok;
  }

  /** An owner key in the room (docs/conference.md): `2` mutes / unmutes, `3` holds / resumes the others, `9` ends. */
  conferenceKey(key: '2' | '3' | '9'): void {
    if (!this.state.room) return;
    this.sendDtmf(key);
  }

  /** The room's participants as the PBX last reported them. */
  setParticipants(participants: readonly RoomParticipant[]): void {
    this.state.participants = participants;
    this.changed();
  }

  /** Whether this call takes part in the local conference mix (the UI shows it). */
  setConference(on: boolean): void {
    this.state.conference = on;
    this.changed();
  }

  /** Sends `track` instead of the microphone (conference mix), or the microphone again (null). */
  async sendMix(track: MediaStreamTrack | null): Promise<void> {
    await this.media?.sendTrack(track ?? this.media.microphoneTrack ?? null);
  }

  async setDevices(devices: MediaDevicesChoice): Promise<void> {
    await this.media?.setDevices(devices);
  }

  // ─── Internals ──────────────────────────────────────────────────────────────────────────

  private async startOutgoing(target: string): Promise<void> {
    const line = this.context.line;
    const ua = line.ua;
    if (!ua) {
      this.finish('failed', 'the line is not connected');
      return;
    }
    try {
      this.media = new PeerMedia(this.context.devices);
      await this.media.attachMicrophone();
      const offer = await this.media.createOffer();
      if (this.phase === CallPhase.Ended) return; // hung up while preparing
      this.outgoing = ua.invite(
        line.targetUri(target),
        { body: offer, destination: line.destination },
        {
          onProgress: (response) => void this.onProgress(response),
          onAccept: (session, response) => void this.onAccepted(session, response),
          onReject: (response) => this.onRejected(response),
          onCancel: () => this.finish('cancelled', undefined),
        },
      );
      this.changed();
    } catch (error) {
      this.context.log.error('call', 'cannot start the call', { error: String(error) });
      this.finish('failed', describe(error));
    }
  }

  private async onProgress(response: SipResponse): Promise<void> {
    if (response.status === 180 || response.status === 183) this.state.alerting = true;
    // Early media: a 183 with SDP answers our offer provisionally (RFC 3262 / 3264).
    if (response.status === 183 && response.bodyText && this.media) {
      await this.media
        .acceptAnswer(response.bodyText, true)
        .catch((error: unknown) =>
          this.context.log.warn('call', 'early media SDP refused', { error: String(error) }),
        );
    }
    this.changed();
  }

  private async onAccepted(session: Session, response: SipResponse): Promise<void> {
    this.adopt(session);
    if (this.phase === CallPhase.Ended) {
      void session.bye().catch(() => undefined);
      return;
    }
    try {
      await this.media?.acceptAnswer(response.bodyText);
      this.becomeActive();
    } catch (error) {
      this.context.log.error('call', 'the answer SDP was refused', { error: String(error) });
      void session.bye().catch(() => undefined);
      this.finish('failed', 'media negotiation failed');
    }
  }

  private onRejected(response: SipResponse): void {
    const outcome: CallOutcome =
      response.status === 486 || response.status === 600 || response.status === 603
        ? 'busy'
        : response.status === 487
          ? 'cancelled'
          : 'failed';
    this.finish(outcome, `${response.status} ${response.reason}`);
  }

  private adopt(session: Session): void {
    this.session = session;
    session.delegate = {
      onBye: () => this.finish('answered', undefined),
      onTerminated: (reason) => {
        if (this.phase !== CallPhase.Ended) this.finish('answered', reason);
      },
      onReinvite: (reinvite) => void this.onReinvite(reinvite),
      onAck: (ack) => {
        // The answer to an offer we made in a 2xx (re-INVITE without SDP).
        if (ack.bodyText && this.media?.pc.signalingState === 'have-local-offer')
          void this.media.acceptAnswer(ack.bodyText).catch(() => undefined);
      },
      onRequest: (request) => this.onInDialogRequest(request),
    };
  }

  private onReinvite(reinvite: IncomingReinvite): void {
    void this.serial(async () => {
      const media = this.media;
      if (!media) {
        reinvite.reject(488);
        return;
      }
      const offer = reinvite.request.bodyText;
      try {
        if (!offer) {
          // A re-INVITE without SDP asks us for an offer; the answer comes in the ACK.
          reinvite.accept({ body: await media.createOffer() });
          return;
        }
        const direction = sdpDirection(offer);
        this.state.remoteHeld = direction === 'sendonly' || direction === 'inactive';
        // Our own hold stays in force in the answer.
        if (this.state.held) media.setDirection('sendonly');
        reinvite.accept({ body: await media.answer(offer) });
        this.changed();
      } catch (error) {
        this.context.log.warn('call', 're-INVITE refused', { error: String(error) });
        await media.rollback().catch(() => undefined);
        reinvite.reject(488);
      }
    });
  }

  private onInDialogRequest(request: IncomingRequest): void {
    // NOTIFYs about our REFER (RFC 3515 §2.4.4) and INFO need only a 200.
    const method = request.request.method;
    if (method === 'NOTIFY' && /^refer\b/i.test(request.request.headers.get('Event')?.trim() ?? '')) {
      // RFC 3515 §2.4.5: the body is a sipfrag whose status line tells how the new call went.
      const status = Number(/^SIP\/2\.0 (\d{3})/.exec(request.request.bodyText ?? '')?.[1] ?? 0);
      if (status >= 200) this.referOutcome?.(status);
    }
    if (method === 'NOTIFY' || method === 'INFO' || method === 'OPTIONS') request.accept();
    else request.reject(501);
  }

  private becomeActive(): void {
    this.phase = nextCallPhase(this.phase, CallPhase.Active);
    this.state.answeredAt = Date.now();
    this.state.outcome = 'answered';
    this.statsTimer = setInterval(() => void this.pollStats(), STATS_INTERVAL_MS);
    this.context.log.info('call', 'call connected', { id: this.id, direction: this.direction });
    this.changed();
  }

  private async pollStats(): Promise<void> {
    if (!this.media || this.phase !== CallPhase.Active) return;
    try {
      this.state.stats = await this.media.stats();
      this.changed();
    } catch {
      // a closing connection: the next tick (or the end) will tell
    }
  }

  /** Ends the call locally (idempotent): media closed, phase Ended, outcome kept if set. */
  finish(outcome: CallOutcome, reason: string | undefined): void {
    if (this.phase === CallPhase.Ended) return;
    this.referOutcome?.(200); // our leg ended under a transfer: the PBX released us
    this.phase = nextCallPhase(this.phase, CallPhase.Ended);
    this.state.outcome = this.state.answeredAt !== undefined ? 'answered' : outcome;
    this.state.reason = reason ?? this.state.reason;
    this.state.endedAt = Date.now();
    clearInterval(this.statsTimer);
    this.media?.close();
    this.context.log.info('call', 'call ended', { id: this.id, outcome: this.state.outcome, reason });
    this.changed();
  }

  private changed(): void {
    this.context.onChange(this);
  }

  /** Runs SDP work one step at a time (an offer must be answered before the next one starts). */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.busy.then(work, work);
    this.busy = next.catch(() => undefined);
    return next;
  }
}

function describe(error: unknown): string {
  if (error instanceof DOMException && error.name === 'NotAllowedError')
    return 'microphone access was denied';
  if (error instanceof DOMException && error.name === 'NotFoundError') return 'no microphone found';
  return error instanceof Error ? error.message : String(error);
}
