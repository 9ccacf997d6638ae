// SDP for legs the PBX starts itself (transfer targets, phones moved between relays): our offer
// from a relay leg's endpoint, the phone's answer read back into what the relay needs.
import {
  createAudioOffer,
  type Clock,
  defaultCodecs,
  type NegotiatedAudio,
  type Session,
  type SessionDescription,
} from '@switchboard/sip';
import type { MediaLocalEndpoint } from '../call/media-port.ts';
import { acceptCalleeAnswer, parseBody, sdpText } from '../call/sdp-bridge.ts';

export const SDP = 'application/sdp';

/** Our G.711 offer from `endpoint` (with telephone-event, for in-call codes). */
export function pbxOffer(
  endpoint: MediaLocalEndpoint,
  sessionId: string,
  previous?: SessionDescription,
  direction?: 'sendrecv' | 'recvonly',
): SessionDescription {
  const resolved = defaultCodecs.resolve(['PCMU', 'PCMA']);
  return createAudioOffer({
    origin: { username: '-', sessionId, address: endpoint.address },
    address: endpoint.address,
    port: endpoint.rtpPort,
    codecs: resolved.ok ? resolved.codecs : [],
    ptime: 20,
    ...(previous ? { previous } : {}),
    ...(direction ? { direction } : {}),
  });
}

/** What a phone answered to `offer`, or undefined when it is unusable. */
export function readAnswer(offer: SessionDescription, body: Uint8Array): NegotiatedAudio | undefined {
  const parsed = parseBody(body);
  if (!parsed.ok) return undefined;
  const negotiated = acceptCalleeAnswer(offer, parsed.value);
  return negotiated.ok ? negotiated.value : undefined;
}

/**
 * Hangs up a phone that leaves a call and waits (at most 2 s) for its answer: a phone still
 * sending to a relay leg could otherwise win the leg's latch (symmetric RTP latches on the first
 * packet after a new remote is set) from the phone that takes its place.
 */
export async function release(session: Session, clock: Clock): Promise<void> {
  await Promise.race([
    session.bye().catch(() => undefined),
    new Promise<void>((resolve) => clock.setTimer(2000, resolve)),
  ]);
}

export interface MovedLeg {
  readonly local: SessionDescription;
  readonly negotiated: NegotiatedAudio;
}

/**
 * Points a phone at another relay leg with a re-INVITE (RFC 3261 §14): the B2BUA's way to
 * join phones of different calls. Undefined when the phone refuses or the dialog is busy.
 */
export async function moveLeg(
  session: Session,
  endpoint: MediaLocalEndpoint,
  sessionId: string,
  previous: SessionDescription | undefined,
  clock: Clock,
): Promise<MovedLeg | undefined> {
  const offer = pbxOffer(endpoint, sessionId, previous);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const response = await session.reinvite({ body: sdpText(offer), contentType: SDP });
      if (response.status >= 200 && response.status < 300) {
        const negotiated = readAnswer(offer, response.body);
        return negotiated && { local: offer, negotiated };
      }
      if (response.status !== 491) return undefined;
    } catch {
      // An INVITE transaction is in progress in this dialog: try once more below.
    }
    // §14.1: after a 491, try again 2.1–4 s later (once; then the move fails).
    await new Promise<void>((resolve) => clock.setTimer(2100 + Math.random() * 1900, resolve));
  }
  return undefined;
}
