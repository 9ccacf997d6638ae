// Attended transfer keyed during the call: `*2` + extension (Asterisk's atxfer habit). The
// transferee is parked on a relay of its own with music on hold (a re-INVITE moves it there);
// the PBX calls the target on the transferee's old relay leg, so the transferor talks to the
// target in the same call. Then:
//   - the transferor hangs up → the transferee is moved back and joined with the target;
//   - the target hangs up or never answers → the transferee is moved back to the transferor;
//   - the transferee hangs up → the consultation simply goes on as the call.
// A transferor that hangs up while the target still rings completes the transfer when it answers.
import type { MediaRelayHandle } from '../call/media-port.ts';
import { legSettings } from '../call/sdp-bridge.ts';
import { otherSide, type CallLeg, type CallSide } from './answered-call.ts';
import { parkedDelegate } from './blind-transfer.ts';
import type { FeatureSession } from './feature-session.ts';
import { moveLeg, type MovedLeg } from './leg-sdp.ts';
import type { Origination } from './originate.ts';
import { originateTarget, transferTarget } from '../trunks/transfer-target.ts';
import { errorBeeps, ringback } from './tones.ts';

export async function consultTransfer(fs: FeatureSession, side: CallSide, number: string): Promise<void> {
  const { call, ctx } = fs;
  const t = side;
  const r = otherSide(side);
  const transferor = call.leg(t);
  const transferee = call.leg(r);
  if (!transferor || !transferee || fs.transfer) return;
  // An extension, or an external number through a trunk when the tenant allows it.
  const found = await transferTarget(ctx, call.tenant, transferor.party, transferor.party, number);
  const target = found.ok ? found.party : undefined;
  if (!found.ok || !target || transferee.webrtc) {
    // NOTE: a browser transferee cannot be parked yet (its WebRTC leg is bound to the relay leg).
    void fs.play(t, errorBeeps());
    return;
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
  const parked: MovedLeg | undefined = await moveLeg(
    transferee.session,
    park.a,
    call.newSessionId(),
    transferee.local,
    ctx.clock,
  );
  if (!parked || fs.ended) {
    finish();
    if (!fs.ended) {
      await call.attach(r, transferee);
      void fs.play(t, errorBeeps());
    }
    return;
  }
  await park.configure({ a: { ...legSettings(parked.negotiated), direction: 'sendrecv' } });
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
      void transferee.session.bye();
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
    const moved = await moveLeg(
      parkedLeg.session,
      call.endpoint(t),
      call.newSessionId(),
      parked?.local,
      ctx.clock,
    );
    finish();
    if (!moved) {
      void parkedLeg.session.bye();
      void call.hangup('transfer_failed', 'system');
      return;
    }
    fs.held.clear();
    await call.attach(t, leg(parkedLeg, moved), moved.negotiated);
    ctx.log({ callId: call.id }, 'call: attended transfer completed');
  }

  /** Moves the parked parkedLeg back onto `onto` (its own leg, or the target's after a hang-up). */
  async function returnTransferee(onto: CallSide): Promise<void> {
    const moved = await moveLeg(
      parkedLeg.session,
      call.endpoint(onto),
      call.newSessionId(),
      parked?.local,
      ctx.clock,
    );
    finish();
    if (!moved) {
      void parkedLeg.session.bye();
      void call.hangup('transfer_failed', 'system');
      return;
    }
    await call.attach(onto, leg(parkedLeg, moved), moved.negotiated);
    await fs.stopAudio(t);
    await fs.stopAudio(onto);
  }

  /** The parked parkedLeg hung up: the consultation (ringing or talking) becomes the call. */
  function onTransfereeBye(): void {
    transfereeGone = true;
    void park.close().catch(() => undefined);
    if (progress.state === 'talking') finish();
  }

  function abort(): void {
    progress.origination?.cancel();
    if (!transfereeGone) void parkedLeg.session.bye();
    finish();
  }
}

const leg = (old: CallLeg, moved: MovedLeg): CallLeg => ({ ...old, local: moved.local });
