// Attended transfer by the phone: REFER whose Refer-To carries Replaces (RFC 3515, RFC 3891,
// RFC 5589 §7). The transferor B has two calls through the PBX — X with the transferee, Y with
// the target (the dialog Replaces names) — and asks to join the two other parties. The PBX moves
// one of them onto the other call's relay leg with a re-INVITE, joins them in that call, ends the
// other call, and releases B on both (NOTIFY 200, BYE). If the move fails both calls stay as
// they were and B is told (NOTIFY with the failure). When both are browsers, the transferee's
// WebRTC leg is re-bound to the other call's relay leg instead (no ICE/DTLS restart).
import type { IncomingRequest, NegotiatedAudio } from '@switchboard/sip';
import type { MediaLocalEndpoint, WebRtcLegHandle } from '../call/media-port.ts';
import { otherSide, type CallLeg, type CallSide } from './answered-call.ts';
import { parkedDelegate } from './blind-transfer.ts';
import type { FeatureSession } from './feature-session.ts';
import { ensureG711, reofferG711 } from './g711-leg.ts';
import { moveLeg, release, type MovedLeg } from './leg-sdp.ts';
import { ReferSubscription, type Replaces } from './refer.ts';

export async function replacesTransfer(
  x: FeatureSession,
  tx: CallSide,
  request: IncomingRequest,
  replaces: Replaces,
): Promise<void> {
  const transferorX = x.call.leg(tx);
  if (!transferorX) return;
  const found = x.ctx.findByCallId(replaces.callId);
  const subscription = ReferSubscription.accept(request, transferorX.session);
  if (!found || found.session === x || found.session.transfer) {
    subscription.notify(481, 'Call/Transaction Does Not Exist');
    return;
  }
  const y = found.session;
  const ty = found.side;
  const rx = otherSide(tx);
  const ry = otherSide(ty);
  const transferee = x.call.leg(rx);
  const target = y.call.leg(ry);
  const transferorY = y.call.leg(ty);
  if (!transferee || !target || !transferorY) {
    subscription.notify(481, 'Call/Transaction Does Not Exist');
    return;
  }
  // Move a phone that is not a browser when there is one: a SIP phone follows a re-INVITE to
  // the other call's relay leg. Two browsers: the transferee's WebRTC leg is re-bound to that
  // relay leg (moveTo: its ICE/DTLS session goes on), both renegotiated to G.711 first.
  const [stay, move] = target.webrtc
    ? [
        { fs: y, keep: ry, free: ty },
        { fs: x, side: rx, leg: transferee },
      ]
    : [
        { fs: x, keep: rx, free: tx },
        { fs: y, side: ry, leg: target },
      ];
  const browser = move.leg.webrtc;
  if (browser && !browser.moveTo) {
    subscription.notify(488, 'Not Acceptable Here (two browsers)');
    return;
  }
  const busy = { abort: () => undefined };
  x.transfer = busy;
  y.transfer = busy;
  let movingLeg = move.leg;
  let browserAudio: NegotiatedAudio | undefined;
  if (browser) {
    // They may have talked Opus with the transferor: G.711 on both, the relay's common ground.
    browserAudio = await reofferG711(move.fs.call, move.side, x.ctx.clock);
    await ensureG711(stay.fs.call, stay.keep, x.ctx.clock);
    movingLeg = move.fs.call.leg(move.side) ?? move.leg;
  }
  // Take both transferor legs and the moving phone out of their calls while the move happens.
  stay.fs.call.detach(
    stay.free,
    parkedDelegate(() => undefined),
  );
  move.fs.call.detach(
    move.side,
    parkedDelegate(() => undefined),
  );
  const moved = browser
    ? browserAudio && (await moveBrowser(browser, stay.fs.call.endpoint(stay.free), movingLeg, browserAudio))
    : await moveLeg(
        move.leg.session,
        stay.fs.call.endpoint(stay.free),
        stay.fs.call.newSessionId(),
        move.leg.local,
        x.ctx.clock,
      );
  // The browser's leg belongs to the call it joins (the other call's end, e.g. the transferor's
  // BYE there, must not close it); attaching it back on failure takes it back.
  if (moved && browser) move.fs.call.releaseWebRtc(move.side);
  x.transfer = undefined;
  y.transfer = undefined;
  const transferorStay = stay.fs === x ? transferorX : transferorY;
  if (!moved || stay.fs.ended) {
    // Put everything back.
    if (!stay.fs.ended) await stay.fs.call.attach(stay.free, transferorStay);
    if (moved && browser) await browser.moveTo?.(move.fs.call.endpoint(move.side)).catch(() => undefined);
    if (!move.fs.ended) await move.fs.call.attach(move.side, movingLeg);
    subscription.notify(moved ? 487 : 488);
    return;
  }
  subscription.notify(200);
  await release(transferorStay.session, x.ctx.clock);
  stay.fs.held.clear();
  await stay.fs.call.attach(stay.free, { ...movingLeg, local: moved.local }, moved.negotiated);
  await stay.fs.call.media.stopPlayback?.(stay.keep).catch(() => undefined);
  await stay.fs.call.media.stopPlayback?.(stay.free).catch(() => undefined);
  // The other call has only the transferor left: ending it sends its BYE.
  void move.fs.call.hangup('transferred', 'system');
  x.ctx.log({ callId: x.call.id, replaced: replaces.callId }, 'call: attended transfer (Replaces) completed');
}

/** Re-binds a browser's WebRTC leg to `endpoint`; what it negotiated stays as it is. */
async function moveBrowser(
  leg: WebRtcLegHandle,
  endpoint: MediaLocalEndpoint,
  moving: CallLeg,
  negotiated: NegotiatedAudio,
): Promise<MovedLeg | undefined> {
  if (!moving.local) return undefined;
  try {
    await leg.moveTo?.(endpoint);
  } catch {
    return undefined;
  }
  return { local: moving.local, negotiated };
}
