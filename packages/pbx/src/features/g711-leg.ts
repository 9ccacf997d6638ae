// A browser leg that negotiated Opus (two browsers talking) carries audio the PBX can neither
// decode nor produce: the relay passes it through untouched. Before the PBX puts its own audio
// on such a leg (music on hold) or joins it to a G.711 party (a transfer), it re-negotiates the
// leg to G.711 with a re-INVITE (RFC 3264 §8: a new offer in the same session, same ICE
// credentials and DTLS fingerprint, so the browser keeps its transport) — what a PBX without an
// Opus codec does instead of transcoding.
import { readAudio, type Clock, type NegotiatedAudio, type SessionDescription } from '@switchboard/sip';
import { legSettings, offerToCallee, sdpText } from '../call/sdp-bridge.ts';
import type { AnsweredCall, CallSide } from './answered-call.ts';
import { pbxOffer, readAnswer, SDP } from './leg-sdp.ts';

/** True when the SDP we last sent this leg lists Opus (a browser-to-browser call). */
export function listsOpus(local: SessionDescription | undefined): boolean {
  return !!local && !!readAudio(local)?.codecs.some((c) => c.name.toUpperCase() === 'OPUS');
}

/**
 * Re-INVITEs the browser on `side` with a G.711-only offer when its leg may be on Opus; the relay
 * leg then follows its answer. Resolves true when the leg is (now) G.711 or never was Opus.
 */
export async function ensureG711(call: AnsweredCall, side: CallSide, clock: Clock): Promise<boolean> {
  const leg = call.leg(side);
  if (!leg?.webrtc || !listsOpus(leg.local)) return true;
  return (await reofferG711(call, side, clock)) !== undefined;
}

/**
 * Re-INVITEs the browser on `side` with a G.711-only offer from its own WebRTC leg, whatever it
 * uses now, and points the relay leg at its answer; resolves with what it answered (undefined
 * when it refused or the dialog stayed busy).
 */
export async function reofferG711(
  call: AnsweredCall,
  side: CallSide,
  clock: Clock,
  direction: 'sendrecv' | 'recvonly' = 'sendrecv',
): Promise<NegotiatedAudio | undefined> {
  const leg = call.leg(side);
  if (!leg?.webrtc) return undefined;
  const endpoint = call.endpoint(side);
  const sessionId = call.newSessionId();
  const ours = pbxOffer(endpoint, sessionId, undefined, direction);
  const offer = offerToCallee(ours, endpoint, sessionId, leg.local, leg.webrtc);
  if (!offer.ok) return undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const response = await leg.session.reinvite({ body: sdpText(offer.value), contentType: SDP });
      if (response.status >= 200 && response.status < 300) {
        const negotiated = readAnswer(offer.value, response.body);
        if (!negotiated) return undefined;
        call.answeredLocally(side, offer.value);
        await call.media.configure({ [side]: legSettings(negotiated, leg.webrtc) });
        return negotiated;
      }
      if (response.status !== 491) return undefined;
    } catch {
      // An INVITE transaction is in progress in this dialog (RFC 3261 §14.1): try once more.
    }
    await new Promise<void>((resolve) => clock.setTimer(2100 + Math.random() * 1900, resolve));
  }
  return undefined;
}

/**
 * Makes a browser play what arrives on its leg again after it came back to a relay leg it was
 * bound to before (a `*2` transferee returned to the transferor): that leg's SSRC is not new to
 * the browser, and Chromium keeps its track on the newest unsignalled SSRC (the music's), so it
 * would decode and drop it. A short receive-only offer (the browser stops receiving: Chromium
 * drops its unsignalled streams) followed by a send-receive one makes the SSRC new again.
 */
export async function refreshBrowserReceive(
  call: AnsweredCall,
  side: CallSide,
  clock: Clock,
): Promise<boolean> {
  if (!call.leg(side)?.webrtc) return true;
  if (!(await reofferG711(call, side, clock, 'recvonly'))) return false;
  return (await reofferG711(call, side, clock)) !== undefined;
}
