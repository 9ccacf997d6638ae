// SDP for an anchored call (RFC 3264 across a B2BUA): the caller's offer is re-offered to the
// callee from the relay's `b` leg, and the callee's answer is turned into the answer for the
// caller from the `a` leg. The codec the callee chose is preferred for the caller too, so G.711
// is transcoded only when the two phones share no codec.
//
// A browser's side (WebRTC, RFC 8829) carries the same audio negotiation over ICE-lite and
// DTLS-SRTP: its SDP gets the WebRTC leg's address, port, ICE and DTLS attributes instead of
// the relay leg's, and the relay leg sends to the WebRTC leg's plain socket. Two browsers may
// agree on Opus, which the relay passes through unchanged (same codec on both legs).
import {
  acceptAudioAnswer,
  createAudioAnswer,
  createAudioOffer,
  defaultCodecs,
  iceAttribute,
  parseSdp,
  readAudio,
  readIce,
  readWebRtc,
  serializeSdp,
  webRtcAttribute,
  type AudioCodec,
  type MediaDirection,
  type NegotiatedAudio,
  type SdpAttribute,
  type SessionDescription,
} from '@switchboard/sip';
import type {
  MediaLegSettings,
  MediaLocalEndpoint,
  WebRtcLegHandle,
  WebRtcLocalTransport,
  WebRtcRemoteTransport,
} from './media-port.ts';

/** Codecs the relay can forward and transcode between. */
const SUPPORTED = ['PCMU', 'PCMA'];
/** Between two browsers: Opus first (passed through), G.711 as the fallback. */
const BROWSERS = ['OPUS', ...SUPPORTED];
/** RFC 8829 §5.1.2: what browsers offer and accept. */
const WEBRTC_PROTOCOLS = ['UDP/TLS/RTP/SAVPF', 'UDP/TLS/RTP/SAVP'];

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
export function supportedOffered(
  offer: SessionDescription,
  supported: readonly string[] = SUPPORTED,
): string[] {
  const audio = readAudio(offer);
  if (!audio) return [];
  const names = audio.codecs.map((c) => c.name.toUpperCase()).filter((n) => supported.includes(n));
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
  webrtc?: WebRtcLegHandle,
): SdpResult<SessionDescription> {
  // Opus only from a browser to a browser: nothing else on the path could decode it.
  const usable = webrtc && isWebRtcOffer(callerOffer) ? BROWSERS : SUPPORTED;
  const offered = supportedOffered(callerOffer, usable);
  if (offered.length === 0)
    return { ok: false, status: 488, reason: 'Not Acceptable Here (no G.711 codec offered)' };
  const order = [...offered, ...SUPPORTED.filter((c) => !offered.includes(c))];
  const direction = readAudio(callerOffer)?.direction ?? 'sendrecv';
  const local = webrtc?.local;
  return {
    ok: true,
    value: createAudioOffer({
      origin: { username: '-', sessionId, address: local?.address ?? relay.address },
      address: local?.address ?? relay.address,
      port: local?.port ?? relay.rtpPort,
      codecs: codecs(order),
      direction,
      ptime: 20,
      ...(local
        ? {
            protocol: WEBRTC_PROTOCOLS[0],
            rtcpMux: true,
            // RFC 8843: one bundled m= line; RFC 8842 §5: actpass, the browser picks (active).
            mediaAttributes: [webRtcAttribute.mid('0'), ...transportAttributes(local, 'actpass')],
            sessionAttributes: [
              iceAttribute.lite(),
              webRtcAttribute.group({ semantics: 'BUNDLE', mids: ['0'] }),
            ],
          }
        : {}),
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
  webrtc?: WebRtcLegHandle,
): SdpResult<LegSdp> {
  const chosen = callee?.codecs[0]?.name.toUpperCase();
  // Opus only when the callee (a browser, then) settled on it.
  const usable = webrtc && chosen === 'OPUS' ? BROWSERS : SUPPORTED;
  const order = chosen && usable.includes(chosen) ? [chosen, ...usable.filter((c) => c !== chosen)] : usable;
  const local = webrtc?.local;
  const remote = local ? webRtcRemote(callerOffer) : undefined;
  const answered = createAudioAnswer(callerOffer, {
    origin: { username: '-', sessionId, address: local?.address ?? relay.address },
    address: local?.address ?? relay.address,
    port: local?.port ?? relay.rtpPort,
    codecs: codecs(order),
    codecOrder: 'local',
    maxCodecs: 1,
    ptime: 20,
    ...(local && remote?.ok
      ? {
          protocols: WEBRTC_PROTOCOLS,
          rtcpMux: true,
          mediaAttributes: transportAttributes(
            local,
            remote.value.dtlsRole === 'client' ? 'active' : 'passive',
          ),
          sessionAttributes: [iceAttribute.lite()],
        }
      : {}),
    ...(direction ? { direction } : {}),
    ...(previous ? { previous } : {}),
  });
  if (!answered.ok) return { ok: false, status: answered.status, reason: answered.reason };
  return { ok: true, value: { local: answered.answer, negotiated: answered.negotiated } };
}

/**
 * The phone's direction from ours (RFC 3264 §6.1: a `sendonly` offer is answered `recvonly`).
 * NegotiatedAudio.direction is our side's; relay legs and endpoints take the phone's (they send
 * to it when it receives).
 */
const PHONE_DIRECTION: Record<MediaDirection, MediaDirection> = {
  sendrecv: 'sendrecv',
  sendonly: 'recvonly',
  recvonly: 'sendonly',
  inactive: 'inactive',
};

/**
 * Relay settings of one leg from what that leg negotiated. A browser's relay leg sends to its
 * WebRTC leg's plain socket, not to the browser's candidates.
 */
export function legSettings(negotiated: NegotiatedAudio, webrtc?: WebRtcLegHandle): MediaLegSettings {
  const codec = negotiated.codecs[0];
  const rtp = negotiated.remoteRtp;
  return {
    ...(webrtc
      ? { remote: { address: webrtc.plain.address, rtpPort: webrtc.plain.port, rtcpPort: webrtc.plain.port } }
      : rtp
        ? {
            remote: {
              address: rtp.address,
              rtpPort: rtp.port,
              ...(negotiated.remoteRtcp && !negotiated.rtcpMux
                ? { rtcpPort: negotiated.remoteRtcp.port }
                : {}),
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
    direction: PHONE_DIRECTION[negotiated.direction],
    rtcpMux: negotiated.rtcpMux,
  };
}

export const sdpText = (sdp: SessionDescription): string => serializeSdp(sdp);

// ─── WebRTC (RFC 8829 JSEP, RFC 8839 ICE, RFC 8842 DTLS) ─────────────────────────────────

/** True when the first active audio stream runs over DTLS (a browser's offer or answer). */
export function isWebRtcOffer(sdp: SessionDescription): boolean {
  const protocol = readAudio(sdp)?.protocol.toUpperCase() ?? '';
  return protocol.includes('/TLS/') || protocol.includes('DTLS');
}

/**
 * The browser's ICE credentials and certificate fingerprints for the audio stream, and the DTLS
 * role that leaves us: its `a=setup:passive` makes us the client; actpass (offer) or active
 * (answer) leaves us the server (RFC 8842 §5.1: we answer actpass with passive).
 */
export function webRtcRemote(sdp: SessionDescription): SdpResult<WebRtcRemoteTransport> {
  const audio = readAudio(sdp);
  const media = audio ? sdp.media[audio.mediaIndex] : undefined;
  if (!media) return { ok: false, status: 488, reason: 'Not Acceptable Here (no audio stream)' };
  const ice = readIce(media, sdp);
  const dtls = readWebRtc(media, sdp);
  if (!ice.ufrag || !ice.pwd || dtls.fingerprints.length === 0)
    return { ok: false, status: 488, reason: 'Not Acceptable Here (no ICE credentials or DTLS fingerprint)' };
  return {
    ok: true,
    value: {
      iceUfrag: ice.ufrag,
      icePwd: ice.pwd,
      fingerprints: dtls.fingerprints.map((f) => ({ algorithm: f.hashFunction, value: f.value })),
      dtlsRole: dtls.setup === 'passive' ? 'client' : 'server',
    },
  };
}

/** ICE-lite host candidates and DTLS attributes of our WebRTC leg (rtcp-mux is added apart). */
function transportAttributes(
  local: WebRtcLocalTransport,
  setup: 'actpass' | 'active' | 'passive',
): SdpAttribute[] {
  return [
    iceAttribute.ufrag(local.iceUfrag),
    iceAttribute.pwd(local.icePwd),
    webRtcAttribute.fingerprint({
      hashFunction: local.fingerprint.algorithm,
      value: local.fingerprint.value,
    }),
    webRtcAttribute.setup(setup),
    ...local.candidates.map((c) =>
      iceAttribute.candidate({
        foundation: c.foundation,
        component: c.component,
        transport: c.transport.toUpperCase(),
        priority: c.priority,
        address: c.address,
        port: c.port,
        type: c.type,
        extensions: [],
      }),
    ),
    iceAttribute.endOfCandidates(),
  ];
}
