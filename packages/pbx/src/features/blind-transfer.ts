// Blind transfer: REFER without Replaces (RFC 3515, RFC 5589 §6), or `#1` + extension keyed
// during the call. The PBX calls the target itself, on the transferor's relay leg, while the
// transferee hears ringback; when the target answers it takes the transferor's place and the
// transferor is released (NOTIFY 200, BYE). When the target fails, the call returns to the
// transferor (NOTIFY with the failure; after `#1` a refusal tone) — unless the transferor has
// hung up meanwhile, then the transferee is hung up too.
import type { SessionDelegate } from '@switchboard/sip';
import { otherSide, type CallSide } from './answered-call.ts';
import type { FeatureSession } from './feature-session.ts';
import { ensureG711 } from './g711-leg.ts';
import { release } from './leg-sdp.ts';
import { originateTarget, transferTarget } from '../trunks/transfer-target.ts';
import type { ReferSubscription } from './refer.ts';
import { errorBeeps, ringback } from './tones.ts';

/** A phone taken out of the call: it may hang up; other requests are answered plainly. */
export function parkedDelegate(onBye: () => void): SessionDelegate {
  return {
    onBye,
    onReinvite: (reinvite) => reinvite.accept(),
    onRequest: (request) => request.respond(request.request.method === 'OPTIONS' ? 200 : 488),
  };
}

export async function blindTransfer(
  fs: FeatureSession,
  side: CallSide,
  number: string,
  subscription: ReferSubscription | undefined,
): Promise<void> {
  const { call, ctx } = fs;
  const remaining = otherSide(side);
  const transferor = call.leg(side);
  const transferee = call.leg(remaining);
  if (!transferor || !transferee || fs.transfer) return;
  // An extension, or an external number through a trunk when the tenant allows it (403 if not).
  const found = await transferTarget(ctx, call.tenant, transferor.party, transferee.party, number);
  if (!found.ok) {
    subscription?.notify(found.status);
    if (!subscription) void fs.play(side, errorBeeps());
    return;
  }
  const target = found.party;
  let transferorGone = false;
  call.detach(
    side,
    parkedDelegate(() => (transferorGone = true)),
  );
  // The target is offered G.711: a browser transferee on Opus moves to G.711 first.
  await ensureG711(call, remaining, ctx.clock);
  void fs.play(remaining, ringback(), true);
  // After `#1` the transferor stays on the line, hearing it ring, until the target answers.
  if (!subscription) void fs.play(side, ringback(), true);
  const origination = originateTarget(ctx, found, {
    tenant: call.tenant,
    from: transferee.party,
    endpoint: call.endpoint(side),
    sessionId: call.newSessionId(),
    ringTimeoutMs: ctx.ringTimeoutMs,
    onProgress: (status) => subscription?.notify(status),
  });
  fs.transfer = {
    abort: () => {
      origination.cancel();
      subscription?.notify(487);
      if (!transferorGone) void transferor.session.bye();
    },
  };
  const result = await origination.result;
  if (fs.ended) {
    if (result.ok) void result.session.bye();
    return;
  }
  fs.transfer = undefined;
  if (result.ok) {
    ctx.log({ callId: call.id, target: target.username }, 'call: transferred');
    subscription?.notify(200);
    if (!transferorGone) await release(transferor.session, ctx.clock);
    fs.held.delete(side);
    await call.attach(
      side,
      {
        session: result.session,
        party: target,
        local: result.local,
        webrtc: result.webrtc,
        trunkId: found.trunk?.trunkId,
      },
      result.negotiated,
    );
    await call.media.stopPlayback?.(side).catch(() => undefined);
    await fs.stopAudio(remaining);
    return;
  }
  ctx.log(
    { callId: call.id, target: target.username, status: result.status },
    'call: transfer target failed',
  );
  subscription?.notify(result.status);
  if (transferorGone) {
    void call.hangup('transfer_failed', 'system');
    return;
  }
  await call.attach(side, transferor);
  await fs.stopAudio(side);
  await fs.stopAudio(remaining);
  if (!subscription) void fs.play(side, errorBeeps());
}
