// Hold with music (issue 7): a phone that re-INVITEs `sendonly` or `inactive` (RFC 3264 §8.4,
// RFC 6337 §5.3) is answered by the PBX itself — `recvonly`/`inactive` — and the other party
// hears the tenant's music on hold from the relay instead of silence. The re-INVITE is not
// passed on: the held phone keeps a plain two-way session and needs no hold support of its own.
// The next offer that sends again (`sendrecv`/`recvonly`) resumes: the music stops and the two
// phones hear each other again. A held browser on Opus is moved to G.711 first (g711-leg.ts):
// the music is G.711, and the holder's leg is answered G.711 too.
import { readAudio, type IncomingReinvite, type SessionDescription } from '@switchboard/sip';
import { answerToCaller, legSettings, sdpText } from '../call/sdp-bridge.ts';
import { otherSide, type CallSide } from './answered-call.ts';
import type { FeatureSession } from './feature-session.ts';
import { ensureG711 } from './g711-leg.ts';
import { SDP } from './leg-sdp.ts';

/** Answers a hold or resume re-INVITE; false leaves other re-INVITEs to be relayed. */
export function holdReinvite(
  fs: FeatureSession,
  side: CallSide,
  reinvite: IncomingReinvite,
  offer: SessionDescription,
): boolean {
  const stream = readAudio(offer);
  const leg = fs.call.leg(side);
  if (!stream || !leg) return false;
  const holding = stream.direction === 'sendonly' || stream.direction === 'inactive';
  if (!holding && !fs.held.has(side)) return false;
  const answer = answerToCaller(
    offer,
    undefined,
    fs.call.endpoint(side),
    fs.call.newSessionId(),
    leg.local,
    undefined,
    leg.webrtc,
  );
  if (!answer.ok) {
    reinvite.reject(answer.status, { reason: answer.reason });
    return true;
  }
  fs.call.answeredLocally(side, answer.value.local);
  // The holding phone's relay leg neither sends to it nor waits for its packets (no RTP timeout
  // during a long hold; the held party's voice does not reach it).
  void fs.call.media
    .configure({
      [side]: {
        ...legSettings(answer.value.negotiated, leg.webrtc),
        direction: holding ? 'inactive' : 'sendrecv',
      },
    })
    .catch(() => undefined);
  reinvite.accept({ body: sdpText(answer.value.local), contentType: SDP });
  const other = otherSide(side);
  if (holding && !fs.held.has(side)) {
    fs.held.add(side);
    // A browser held by a browser may be on Opus: music on hold is G.711, so it moves first.
    void ensureG711(fs.call, other, fs.ctx.clock).then(() => {
      if (fs.held.has(side)) return fs.playMusic(other);
    });
  } else if (!holding) {
    fs.held.delete(side);
    void fs.stopAudio(other);
  }
  return true;
}
