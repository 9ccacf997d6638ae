// Attended transfer keyed during the call: `*2` + extension (Asterisk's atxfer habit). The
// transferee is parked on a relay of its own with music on hold (a re-INVITE moves it there);
// the PBX calls the target on the transferee's old relay leg, so the transferor talks to the
// target in the same call. Then:
//   - the transferor hangs up → the transferee is moved back and joined with the target;
//   - the target hangs up or never answers → the transferee is moved back to the transferor;
//   - the transferee hangs up → the consultation simply goes on as the call.
// A transferor that hangs up while the target still rings completes the transfer when it answers.
// A browser transferee is not re-INVITEd to another address: it is moved to G.711 (g711-leg.ts:
// the music and the target are G.711), then its WebRTC leg is re-bound (moveTo) to the park
// relay, and later to the relay leg it joins — its ICE/DTLS session goes on throughout.
import type { NegotiatedAudio } from '@switchboard/sip';
import type { MediaLocalEndpoint, MediaRelayHandle, WebRtcLegHandle } from '../call/media-port.ts';
import { legSettings } from '../call/sdp-bridge.ts';
import { otherSide, type CallLeg, type CallSide } from './answered-call.ts';
import { parkedDelegate } from './blind-transfer.ts';
import type { FeatureSession } from './feature-session.ts';
import { refreshBrowserReceive, reofferG711 } from './g711-leg.ts';
import { moveLeg, type MovedLeg } from './leg-sdp.ts';
import type { Origination } from './originate.ts';
import { originateTarget, transferTarget } from '../trunks/transfer-target.ts';
import { errorBeeps, ringback } from './tones.ts';

export async function consultTransfer(fs: FeatureSession, side: CallSide, number: string): Promise<void> {
  const { call, ctx } = fs;
  const t = side;
  const r = otherSide(side);
  const transferor = call.leg(t);
  let transferee = call.leg(r);
  if (!transferor || !transferee || fs.transfer) return;
  // An extension, or an external number through a trunk when the tenant allows it.
  const found = await transferTarget(ctx, call.tenant, transferor.party, transferor.party, number);
  const target = found.ok ? found.party : undefined;
  const browser = transferee.webrtc;
  if (!found.ok || !target || (browser && !browser.moveTo)) {
    void fs.play(t, errorBeeps());
    return;
  }
  // A browser may talk Opus: G.711 before it hears the music and joins the target.
  let browserAudio: NegotiatedAudio | undefined;
  if (browser) {
    browserAudio = await reofferG711(call, r, ctx.clock);
    transferee = call.leg(r);
    if (!browserAudio || !transferee || fs.transfer || fs.ended) {
      if (!fs.ended) void fs.play(t, errorBeeps());
      return;
    }
  }

  // 1. Park the transferee with music, on a relay of its own.
  let park: MediaRelayHandle;
  try {
    park = await ctx.media.createRelay({ inactivityTimeoutMs: ctx.rtpTimeoutMs });
  } catch {
    void fs.play(t, errorBeeps());
    return;
  }
  // An object, not a variable: the handlers below change it while this function awaits.
  const progress: { state: 'ringing' | 'talking' | 'done'; origination?: Origination } = {
    state: 'ringing',
  };
  const parkedLeg: CallLeg = transferee;
  /** Points the transferee's media at `endpoint`: a re-INVITE, or a browser's leg re-bound. */
  const moveTransferee = async (
    endpoint: MediaLocalEndpoint,
    previous: MovedLeg | undefined,
  ): Promise<MovedLeg | undefined> =>
    browser
      ? moveBrowser(browser, endpoint, parkedLeg, browserAudio)
      : moveLeg(
          parkedLeg.session,
          endpoint,
          call.newSessionId(),
          previous?.local ?? parkedLeg.local,
          ctx.clock,
        );
  /** The transferee leaves for good (hung up or hung up on): its browser leg is ours to close. */
  const dropBrowser = (): void => {
    if (browser) void browser.close().catch(() => undefined);
  };
  let transferorGone = false;
  let transfereeGone = false;
  const finish = (): void => {
    progress.state = 'done';
    fs.transfer = undefined;
    void park.close().catch(() => undefined);
  };
  call.detach(
    r,
    parkedDelegate(() => onTransfereeBye()),
  );
  fs.transfer = { onBye: (s) => onBye(s), abort: () => abort() };
  // The call gives up the browser's leg while it is parked (attaching the target must not close
  // it); attaching the browser back hands it to the call again.
  if (browser) call.releaseWebRtc(r);
  const parked: MovedLeg | undefined = await moveTransferee(park.a, undefined);
  if (!parked || fs.ended) {
    finish();
    if (parked && browser) await browser.moveTo?.(call.endpoint(r)).catch(() => undefined);
    if (!fs.ended) {
      await call.attach(r, transferee);
      void fs.play(t, errorBeeps());
    } else dropBrowser();
    return;
  }
  await park.configure({ a: { ...legSettings(parked.negotiated, browser), direction: 'sendrecv' } });
  const music = await ctx.musicOnHold(call.tenant.id);
  await park.play?.('a', music, { loop: true }).catch(() => undefined);

  // 2. Ringback to the transferor; the target rings on the transferee's old relay leg.
  void fs.play(t, ringback(), true);
  const origination = originateTarget(ctx, found, {
    tenant: call.tenant,
    from: transferor.party,
    endpoint: call.endpoint(r),
    sessionId: call.newSessionId(),
    ringTimeoutMs: ctx.ringTimeoutMs,
  });
  progress.origination = origination;
  const result = await origination.result;
  if (progress.state === 'done') {
    if (result.ok) void result.session.bye();
    return;
  }
  if (!result.ok) {
    ctx.log({ callId: call.id, target: target.username, status: result.status }, 'call: consultation failed');
    if (transfereeGone) {
      finish();
      void call.hangup('transfer_failed', 'system');
      return;
    }
    if (transferorGone) {
      void parkedLeg.session.bye();
      dropBrowser();
      finish();
      void call.hangup('transfer_failed', 'system');
      return;
    }
    await call.media.stopPlayback?.(t).catch(() => undefined);
    await returnTransferee(r);
    void fs.play(t, errorBeeps());
    return;
  }
  await call.attach(
    r,
    {
      session: result.session,
      party: target,
      local: result.local,
      webrtc: result.webrtc,
      trunkId: found.trunk?.trunkId,
    },
    result.negotiated,
  );
  await call.media.stopPlayback?.(t).catch(() => undefined);
  await call.media.stopPlayback?.(r).catch(() => undefined);
  progress.state = 'talking';
  ctx.log({ callId: call.id, target: target.username }, 'call: consulting');
  if (transfereeGone) finish();
  else if (transferorGone) void complete();

  // ─── How it ends ────────────────────────────────────────────────────────────────────────

  function onBye(s: CallSide): boolean {
    if (progress.state === 'done') return false;
    if (s === t) {
      // The transferor hung up: the transfer goes through.
      transferorGone = true;
      call.detach(
        t,
        parkedDelegate(() => undefined),
      );
      if (progress.state === 'talking') void complete();
      return true;
    }
    // The target hung up during the consultation: back to the transferor.
    if (progress.state === 'talking' && !transfereeGone) {
      call.detach(
        r,
        parkedDelegate(() => undefined),
      );
      void returnTransferee(r);
      return true;
    }
    return false;
  }

  /** Joins the parked parkedLeg with the target, on the transferor's relay leg. */
  async function complete(): Promise<void> {
    if (transfereeGone) {
      finish();
      void call.hangup('normal_clearing', 'system');
      return;
    }
    const moved = await moveTransferee(call.endpoint(t), parked);
    finish();
    if (!moved) {
      void parkedLeg.session.bye();
      dropBrowser();
      void call.hangup('transfer_failed', 'system');
      return;
    }
    fs.held.clear();
    await call.attach(t, leg(parkedLeg, moved), moved.negotiated);
    ctx.log({ callId: call.id }, 'call: attended transfer completed');
  }

  /** Moves the parked parkedLeg back onto `onto` (its own leg, or the target's after a hang-up). */
  async function returnTransferee(onto: CallSide): Promise<void> {
    const moved = await moveTransferee(call.endpoint(onto), parked);
    finish();
    if (!moved) {
      void parkedLeg.session.bye();
      dropBrowser();
      void call.hangup('transfer_failed', 'system');
      return;
    }
    await call.attach(onto, leg(parkedLeg, moved), moved.negotiated);
    await fs.stopAudio(t);
    await fs.stopAudio(onto);
    // Back on a relay leg it was bound to before: the browser must take that SSRC again.
    if (browser) await refreshBrowserReceive(call, onto, ctx.clock);
  }

  /** The parked parkedLeg hung up: the consultation (ringing or talking) becomes the call. */
  function onTransfereeBye(): void {
    transfereeGone = true;
    dropBrowser();
    void park.close().catch(() => undefined);
    if (progress.state === 'talking') finish();
  }

  function abort(): void {
    progress.origination?.cancel();
    if (!transfereeGone) void parkedLeg.session.bye();
    dropBrowser();
    finish();
  }
}

const leg = (old: CallLeg, moved: MovedLeg): CallLeg => ({ ...old, local: moved.local });

/**
 * Re-binds a browser's WebRTC leg to `endpoint` (no re-INVITE: its SDP and G.711 answer stay
 * as they are); undefined when the media engine refuses.
 */
async function moveBrowser(
  browser: WebRtcLegHandle,
  endpoint: MediaLocalEndpoint,
  parkedLeg: CallLeg,
  negotiated: NegotiatedAudio | undefined,
): Promise<MovedLeg | undefined> {
  if (!parkedLeg.local || !negotiated || !browser.moveTo) return undefined;
  try {
    await browser.moveTo(endpoint);
  } catch {
    return undefined;
  }
  return { local: parkedLeg.local, negotiated };
}
