// A call moved into a conference room: REFER whose Refer-To is the conference code (`*8` + room,
// RFC 3515) — what the softphone sends when its user adds a third party to a call. Both phones of
// the call become participants of the PBX's mixing bridge (conference/): the one that sent the
// REFER first, so it opens the room and owns it (it then invites others, mutes, holds, ends),
// then the other. Each keeps its SIP dialog; the PBX re-INVITEs it to a conference endpoint (a
// browser keeps its WebRTC leg, re-bound there). The relay call ends without a BYE to either.
// NOTIFY 200 tells the referrer; a failure (no room, a phone refused) leaves the call as it was.
import { otherSide, type CallSide } from './answered-call.ts';
import { parkedDelegate } from './blind-transfer.ts';
import type { FeatureSession } from './feature-session.ts';
import type { ReferSubscription } from './refer.ts';

export async function conferenceTransfer(
  fs: FeatureSession,
  side: CallSide,
  room: string,
  subscription: ReferSubscription,
): Promise<void> {
  const { call, ctx } = fs;
  const join = ctx.joinConference;
  const other = otherSide(side);
  const referrer = call.leg(side);
  const peer = call.leg(other);
  if (!join || !referrer || !peer || fs.transfer) {
    subscription.notify(join ? 481 : 501);
    return;
  }
  fs.transfer = { abort: () => undefined };
  // Neither phone's BYE ends the call while it moves (each AppCall takes its dialog over).
  call.detach(
    side,
    parkedDelegate(() => undefined),
  );
  call.detach(
    other,
    parkedDelegate(() => undefined),
  );
  await call.media.stopPlayback?.(side).catch(() => undefined);
  await call.media.stopPlayback?.(other).catch(() => undefined);
  const ownerIn = await join(call.tenant, room, { ...referrer }, true).catch(() => false);
  if (!ownerIn || fs.ended) {
    fs.transfer = undefined;
    if (!fs.ended) {
      await call.attach(side, referrer);
      await call.attach(other, peer);
    }
    subscription.notify(488, 'Not Acceptable Here (could not open the conference)');
    return;
  }
  call.releaseWebRtc(side);
  const peerIn = await join(call.tenant, room, { ...peer }, false).catch(() => false);
  if (peerIn) call.releaseWebRtc(other);
  else void peer.session.bye().catch(() => undefined);
  fs.transfer = undefined;
  subscription.notify(200);
  ctx.log({ callId: call.id, room, peer: peerIn }, 'call: moved into a conference');
  // Nobody is attached any more: the relay (and any browser leg left) closes, no BYE is sent.
  void call.hangup('conference', 'system');
}
