// The media anchor of one call: the RTP relay between the caller's leg (a) and the callee's (b),
// the WebRTC legs in front of it for browsers, and the SDP we last sent each side. It turns the
// callee's answer into our answer to the caller, and tells its owner (CallSession) of DTMF and
// of media that died (an RTP timeout, a browser gone), which ends the call.
import type { Clock, SessionDescription } from '@switchboard/sip';
import type { CallSide } from '../features/answered-call.ts';
import type { CallOptions } from './call-options.ts';
import type { HangupSide } from './call-record.ts';
import type { Fork } from './callee-forks.ts';
import type { MediaLocalEndpoint, MediaPort, MediaRelayHandle, WebRtcLegHandle } from './media-port.ts';
import { acceptCalleeAnswer, answerToCaller, legSettings, parseBody, webRtcRemote } from './sdp-bridge.ts';

export interface MediaAnchorDeps {
  readonly media: MediaPort;
  readonly clock: Clock;
  readonly options: Pick<CallOptions, 'rtpTimeoutMs'>;
  readonly sessionId: () => string;
  readonly log: (fields: Record<string, unknown>, message: string) => void;
}

export interface MediaAnchorDelegate {
  /** A key pressed on the phone on `side` (RFC 4733, detected by the relay). */
  onDtmf(side: CallSide, digit: string): void;
  /** The media of the call died (`rtp_timeout`, `webrtc_closed`): the call should end. */
  onMediaLost(cause: string, side: HangupSide): void;
}

/** The relay `open` created, and a browser leg for each ringing browser (undefined for others). */
export interface OpenedMedia {
  readonly relay: MediaRelayHandle;
  readonly browserLegs: readonly (WebRtcLegHandle | undefined)[];
}

export class MediaAnchor {
  private handle: MediaRelayHandle | undefined;
  /** close() ran: media that `open` creates after it is closed as soon as it exists. */
  private closed = false;
  /** Browser legs in front of the relay: the caller's, the answering device's, and every one opened. */
  private readonly webrtc: { a?: WebRtcLegHandle; b?: WebRtcLegHandle; all: WebRtcLegHandle[] } = { all: [] };
  /**
   * The SDP we last sent each side (its o= version goes on from there, RFC 3264 §8): to the
   * caller our answer, to the callee our offer to the device that answered; then re-INVITEs'.
   */
  private readonly sent: Record<CallSide, SessionDescription | undefined> = { a: undefined, b: undefined };

  constructor(
    private readonly deps: MediaAnchorDeps,
    /** The caller's Call-ID, for the log. */
    private readonly callId: string,
    private readonly delegate: MediaAnchorDelegate,
  ) {}

  /** The relay, once `open` has created it. */
  get relay(): MediaRelayHandle | undefined {
    return this.handle;
  }

  /**
   * Creates the relay, the caller's browser leg if `callerIsBrowser`, and one browser leg in
   * front of leg b per ringing browser (`browsers[i]`); it becomes side b's when that browser
   * answers. Throws when the media engine cannot (no ports).
   */
  async open(callerIsBrowser: boolean, browsers: readonly boolean[]): Promise<OpenedMedia> {
    const { deps } = this;
    this.handle = await deps.media.createRelay({
      inactivityTimeoutMs: deps.options.rtpTimeoutMs,
      delegate: {
        onDtmf: (leg, digit) => this.delegate.onDtmf(leg, digit),
        onTimeout: (leg, idleMs) => {
          deps.log({ callId: this.callId, leg, idleMs }, 'call: RTP timeout');
          this.delegate.onMediaLost('rtp_timeout', 'system');
        },
      },
    });
    const relay = this.handle;
    if (this.closed) {
      // The call ended (a CANCEL) while the relay was being made: its ports go back now.
      await this.close();
      return { relay, browserLegs: browsers.map(() => undefined) };
    }
    if (callerIsBrowser) this.webrtc.a = await this.openWebRtcLeg(relay.a);
    const browserLegs = await Promise.all(
      browsers.map((browser) => (browser ? this.openWebRtcLeg(relay.b) : undefined)),
    );
    // Likewise for browser legs that were still being set up when the call ended.
    if (this.closed) await this.close();
    return { relay, browserLegs };
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
            this.deps.log({ callId: this.callId, reason }, 'call: browser left');
            this.delegate.onMediaLost('webrtc_closed', leg === this.webrtc.a ? 'caller' : 'callee');
          }),
        onTimeout: (idleMs) => {
          if (leg !== this.webrtc.a && leg !== this.webrtc.b) return;
          this.deps.log({ callId: this.callId, idleMs }, 'call: browser timeout');
          this.delegate.onMediaLost('rtp_timeout', 'system');
        },
      },
    });
    this.webrtc.all.push(leg);
    return leg;
  }

  /** The browser leg of the phone on `side`, when it is a browser. */
  browser(side: CallSide): WebRtcLegHandle | undefined {
    return this.webrtc[side];
  }

  /**
   * `leg` is the browser leg on `side` now (or none): a browser leaving this side (transferred
   * away) takes its WebRTC leg with it; a browser arriving (a transfer target) brings one the
   * call now owns.
   */
  attachBrowser(side: CallSide, leg: WebRtcLegHandle | undefined): void {
    const previous = this.webrtc[side];
    if (previous && previous !== leg) void previous.close().catch(() => undefined);
    if (leg && !this.webrtc.all.includes(leg)) this.webrtc.all.push(leg);
    this.webrtc[side] = leg;
  }

  /** Gives up the browser leg on `side` without closing it (another call owns it now). */
  releaseBrowser(side: CallSide): void {
    const leg = this.webrtc[side];
    if (!leg) return;
    this.webrtc[side] = undefined;
    this.webrtc.all = this.webrtc.all.filter((l) => l !== leg);
  }

  /** The SDP we last sent the phone on `side`. */
  local(side: CallSide): SessionDescription | undefined {
    return this.sent[side];
  }

  setLocal(side: CallSide, local: SessionDescription | undefined): void {
    this.sent[side] = local;
  }

  /**
   * Negotiates the callee's SDP (`body`, answering our `fork.offer`), answers the caller's offer,
   * and configures the relay. Returns our answer to the caller; undefined when unusable.
   */
  answerCaller(
    callerOffer: SessionDescription,
    fork: Pick<Fork, 'offer' | 'webrtc'>,
    body: Uint8Array | string,
  ): SessionDescription | undefined {
    const relay = this.handle;
    if (!relay) return undefined;
    const parsed = parseBody(body);
    if (!parsed.ok) return undefined;
    const callee = acceptCalleeAnswer(fork.offer, parsed.value);
    if (!callee.ok) return undefined;
    const calleeBrowser = fork.webrtc ? webRtcRemote(parsed.value) : undefined;
    if (calleeBrowser && !calleeBrowser.ok) return undefined;
    const caller = answerToCaller(
      callerOffer,
      callee.value,
      relay.a,
      this.deps.sessionId(),
      this.sent.a,
      undefined,
      this.webrtc.a,
    );
    if (!caller.ok) return undefined;
    this.sent.a = caller.value.local;
    // NOTE: not awaited (the answer goes out now); a call ended in this very instant releases the
    // legs first, and that failure must not escape as an unhandled rejection.
    relay
      .configure({
        a: legSettings(caller.value.negotiated, this.webrtc.a),
        b: legSettings(callee.value, fork.webrtc),
      })
      .catch((error: unknown) =>
        this.deps.log({ callId: this.callId, error: String(error) }, 'call: relay configure failed'),
      );
    // The browsers' transports: the caller's from its offer, the callee's from its answer.
    const callerBrowser = this.webrtc.a && webRtcRemote(callerOffer);
    if (callerBrowser?.ok) void this.webrtc.a?.setRemote(callerBrowser.value).catch(() => undefined);
    this.webrtc.b = fork.webrtc;
    if (calleeBrowser?.ok) void fork.webrtc?.setRemote(calleeBrowser.value).catch(() => undefined);
    return caller.value.local;
  }

  /** Closes the relay and every browser leg the call still owns. */
  async close(): Promise<void> {
    this.closed = true;
    try {
      await Promise.all([this.handle?.close(), ...this.webrtc.all.map((leg) => leg.close())]);
    } catch (error) {
      this.deps.log({ callId: this.callId, error: String(error) }, 'call: relay close failed');
    }
  }
}
