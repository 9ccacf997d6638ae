// Attended transfer by the phone: REFER whose Refer-To carries Replaces (RFC 3515, RFC 3891,
// RFC 5589 §7). The transferor B has two calls through the PBX — X with the transferee, Y with
// the target (the dialog Replaces names) — and asks to join the two other parties. The PBX moves
// one of them onto the other call's relay leg with a re-INVITE, joins them in that call, ends the
// other call, and releases B on both (NOTIFY 200, BYE). If the move fails both calls stay as
// they were and B is told (NOTIFY with the failure).
import type { IncomingRequest } from '@switchboard/sip';
import { otherSide, type CallSide } from './answered-call.ts';
import { parkedDelegate } from './blind-transfer.ts';
import type { FeatureSession } from './feature-session.ts';
import { moveLeg, release } from './leg-sdp.ts';
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
  // Move a phone that is not a browser (a browser's WebRTC leg is bound to its relay leg).
  const [stay, move] = target.webrtc
    ? [
        { fs: y, keep: ry, free: ty },
        { fs: x, side: rx, leg: transferee },
      ]
    : [
        { fs: x, keep: rx, free: tx },
        { fs: y, side: ry, leg: target },
      ];
  if (move.leg.webrtc) {
    subscription.notify(488, 'Not Acceptable Here (two browsers)');
    return;
  }
  const busy = { abort: () => undefined };
  x.transfer = busy;
  y.transfer = busy;
  // Take both transferor legs and the moving phone out of their calls while the move happens.
  stay.fs.call.detach(
    stay.free,
    parkedDelegate(() => undefined),
  );
  move.fs.call.detach(
    move.side,
    parkedDelegate(() => undefined),
  );
  const moved = await moveLeg(
    move.leg.session,
    stay.fs.call.endpoint(stay.free),
    stay.fs.call.newSessionId(),
    move.leg.local,
    x.ctx.clock,
  );
  x.transfer = undefined;
  y.transfer = undefined;
  const transferorStay = stay.fs === x ? transferorX : transferorY;
  if (!moved || stay.fs.ended) {
    // Put everything back.
    if (!stay.fs.ended) await stay.fs.call.attach(stay.free, transferorStay);
    if (!move.fs.ended) await move.fs.call.attach(move.side, move.leg);
    subscription.notify(moved ? 487 : 488);
    return;
  }
  subscription.notify(200);
  await release(transferorStay.session, x.ctx.clock);
  stay.fs.held.clear();
  await stay.fs.call.attach(stay.free, { ...move.leg, local: moved.local }, moved.negotiated);
  await stay.fs.call.media.stopPlayback?.(stay.keep).catch(() => undefined);
  await stay.fs.call.media.stopPlayback?.(stay.free).catch(() => undefined);
  // The other call has only the transferor left: ending it sends its BYE.
  void move.fs.call.hangup('transferred', 'system');
  x.ctx.log({ callId: x.call.id, replaced: replaces.callId }, 'call: attended transfer (Replaces) completed');
}
