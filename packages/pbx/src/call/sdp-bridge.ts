// SDP for an anchored call (RFC 3264 across a B2BUA): the caller's offer is re-offered to the
// callee from the relay's `b` leg, and the callee's answer is turned into the answer for the
// caller from the `a` leg. The codec the callee chose is preferred for the caller too, so G.711
// is transcoded only when the two phones share no codec.
import {
  acceptAudioAnswer,
  createAudioAnswer,
  createAudioOffer,
  defaultCodecs,
  parseSdp,
  readAudio,
  serializeSdp,
  type AudioCodec,
  type MediaDirection,
  type NegotiatedAudio,
  type SessionDescription,
} from '@switchboard/sip';
import type { MediaLegSettings, MediaLocalEndpoint } from './media-port.ts';

/** Codecs the relay can forward and transcode between. */
const SUPPORTED = ['PCMU', 'PCMA'];

export type SdpResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly status: number; readonly reason: string };

export interface LegSdp {
  /** The SDP we sent on this leg. */
  readonly local: SessionDescription;
  readonly negotiated: NegotiatedAudio;
}

/** Parses an SDP body (offer or answer) from a phone. */
export function parseBody(body: Uint8Array | string): SdpResult<SessionDescription> {
  const parsed = parseSdp(body);
  return parsed.ok
    ? { ok: true, value: parsed.sdp }
    : { ok: false, status: 400, reason: `bad SDP: ${parsed.reason}` };
}

function codecs(names: readonly string[]): AudioCodec[] {
  const resolved = defaultCodecs.resolve(names);
  return resolved.ok ? resolved.codecs : [];
}

/** Media codecs of an offer that the relay supports, in the offerer's order. */
export function supportedOffered(offer: SessionDescription): string[] {
  const audio = readAudio(offer);
  if (!audio) return [];
  const names = audio.codecs.map((c) => c.name.toUpperCase()).filter((n) => SUPPORTED.includes(n));
  return [...new Set(names)];
}

/**
 * The offer for the callee. It lists the caller's G.711 codecs first (no transcoding when the
 * callee takes one) and then the other G.711 law (transcoding as a fallback).
 */
export function offerToCallee(
  callerOffer: SessionDescription,
  relay: MediaLocalEndpoint,
  sessionId: string,
  previous?: SessionDescription,
): SdpResult<SessionDescription> {
  const offered = supportedOffered(callerOffer);
  if (offered.length === 0)
    return { ok: false, status: 488, reason: 'Not Acceptable Here (no G.711 codec offered)' };
  const order = [...offered, ...SUPPORTED.filter((c) => !offered.includes(c))];
  const direction = readAudio(callerOffer)?.direction ?? 'sendrecv';
  return {
    ok: true,
    value: createAudioOffer({
      origin: { username: '-', sessionId, address: relay.address },
      address: relay.address,
      port: relay.rtpPort,
      codecs: codecs(order),
      direction,
      ptime: 20,
      ...(previous ? { previous } : {}),
    }),
  };
}

/** Reads the callee's answer to our offer. */
export function acceptCalleeAnswer(
  ourOffer: SessionDescription,
  answer: SessionDescription,
): SdpResult<NegotiatedAudio> {
  const accepted = acceptAudioAnswer(ourOffer, answer);
  return accepted.ok
    ? { ok: true, value: accepted.negotiated }
    : { ok: false, status: accepted.status, reason: accepted.reason };
}

/** The answer to the caller, preferring the codec the callee settled on. */
export function answerToCaller(
  callerOffer: SessionDescription,
  callee: NegotiatedAudio | undefined,
  relay: MediaLocalEndpoint,
  sessionId: string,
  previous?: SessionDescription,
  direction?: MediaDirection,
): SdpResult<LegSdp> {
  const chosen = callee?.codecs[0]?.name.toUpperCase();
  const order =
    chosen && SUPPORTED.includes(chosen) ? [chosen, ...SUPPORTED.filter((c) => c !== chosen)] : SUPPORTED;
  const answered = createAudioAnswer(callerOffer, {
    origin: { username: '-', sessionId, address: relay.address },
    address: relay.address,
    port: relay.rtpPort,
    codecs: codecs(order),
    codecOrder: 'local',
    maxCodecs: 1,
    ptime: 20,
    ...(direction ? { direction } : {}),
    ...(previous ? { previous } : {}),
  });
  if (!answered.ok) return { ok: false, status: answered.status, reason: answered.reason };
  return { ok: true, value: { local: answered.answer, negotiated: answered.negotiated } };
}

/** Relay settings of one leg from what that leg negotiated. */
export function legSettings(negotiated: NegotiatedAudio): MediaLegSettings {
  const codec = negotiated.codecs[0];
  const rtp = negotiated.remoteRtp;
  return {
    ...(rtp
      ? {
          remote: {
            address: rtp.address,
            rtpPort: rtp.port,
            ...(negotiated.remoteRtcp && !negotiated.rtcpMux ? { rtcpPort: negotiated.remoteRtcp.port } : {}),
          },
        }
      : {}),
    ...(codec
      ? {
          codec: {
            name: codec.name.toUpperCase(),
            payloadType: codec.sendPayloadType,
            clockRate: codec.clockRate,
          },
        }
      : {}),
    ...(negotiated.telephoneEvent
      ? { telephoneEventPayloadType: negotiated.telephoneEvent.sendPayloadType }
      : {}),
    direction: negotiated.direction,
    rtcpMux: negotiated.rtcpMux,
  };
}

export const sdpText = (sdp: SessionDescription): string => serializeSdp(sdp);
