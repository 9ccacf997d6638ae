// Reading an audio stream out of a session description: where to send RTP and RTCP, which
// codecs under which payload types, telephone-event, direction, hold, ptime, rtcp-mux and
// SDES keys. This is how the PBX reads a remote offer or answer.

import { hasAttribute, type HasAttributes } from './attributes.ts';
import { STATIC_PAYLOAD_TYPES, isTelephoneEvent } from './codecs.ts';
import { readCrypto, type CryptoAttribute } from './crypto-attribute.ts';
import {
  canReceive,
  effectiveDirection,
  isHoldAddress,
  readDirection,
  type MediaDirection,
} from './direction.ts';
import {
  fmtpFor,
  readMaxPtime,
  readPtime,
  readRtcp,
  readRtcpMux,
  readRtpMaps,
  type RtcpAttribute,
} from './rtp-attributes.ts';
import type { SdpConnection, MediaDescription, SessionDescription } from './sdp-model.ts';
import { IMPLIED_TELEPHONE_EVENTS } from './telephone-event.ts';

/** One payload type of an m= line, resolved through rtpmap or the static table. */
export interface RtpFormat {
  readonly payloadType: number;
  readonly name: string;
  readonly clockRate: number;
  readonly channels: number;
  readonly fmtp?: string;
}

export interface TelephoneEventFormat {
  readonly payloadType: number;
  readonly clockRate: number;
  /** The fmtp event list; `0-15` when the SDP has none (RFC 4733 §2.4.1). */
  readonly events: string;
}

export interface MediaAddress {
  readonly address: string;
  readonly port: number;
}

export interface AudioStream {
  /** Index of the m= line in the description. */
  readonly mediaIndex: number;
  readonly protocol: string;
  /** 0 when the stream is rejected or disabled. */
  readonly port: number;
  /** The connection in force for this stream (media c= first, else session c=). */
  readonly connection?: SdpConnection;
  /** Where to send RTP; undefined when the stream has no port or no address. */
  readonly rtp?: MediaAddress;
  /** Where to send RTCP: rtcp-mux → the RTP address; a=rtcp (RFC 3605); else port + 1. */
  readonly rtcp?: MediaAddress;
  readonly rtcpMux: boolean;
  /** The a=rtcp attribute (RFC 3605), when present. */
  readonly rtcpAttribute?: RtcpAttribute;
  /** Every resolvable payload type, in the m= line's order (preference order, §5.1). */
  readonly formats: readonly RtpFormat[];
  /** `formats` without telephone-event: the media codecs. */
  readonly codecs: readonly RtpFormat[];
  readonly telephoneEvents: readonly TelephoneEventFormat[];
  /** m= formats that are neither static nor mapped by an rtpmap. */
  readonly unknownFormats: readonly string[];
  /** The direction attribute as written (media level, else session level, else sendrecv). */
  readonly declaredDirection: MediaDirection;
  /** The direction corrected for the RFC 2543 hold address `c=0.0.0.0` (RFC 3264 §8.4). */
  readonly direction: MediaDirection;
  /** True when the writer of this SDP does not want to receive media (it holds the call). */
  readonly onHold: boolean;
  readonly ptime?: number;
  readonly maxptime?: number;
  readonly crypto: readonly CryptoAttribute[];
}

/** Resolves the m= formats of a media section (RFC 3551 static table, else a=rtpmap). */
export function readFormats(media: MediaDescription): { formats: RtpFormat[]; unknown: string[] } {
  const maps = new Map(readRtpMaps(media).map((r) => [r.payloadType, r]));
  const formats: RtpFormat[] = [];
  const unknown: string[] = [];
  for (const fmt of media.formats) {
    const pt = /^[0-9]{1,3}$/.test(fmt) ? Number(fmt) : -1;
    // An rtpmap wins over the static table (RFC 4566 §6: it may re-state a static type).
    const map = maps.get(pt);
    const base = map
      ? { name: map.encodingName, clockRate: map.clockRate, channels: map.channels ?? 1 }
      : pt >= 0 && pt < 96
        ? STATIC_PAYLOAD_TYPES.get(pt)
        : undefined;
    if (!base || pt > 127) {
      unknown.push(fmt);
      continue;
    }
    const fmtp = fmtpFor(media, fmt);
    const f = { payloadType: pt, name: base.name, clockRate: base.clockRate, channels: base.channels };
    formats.push(fmtp === undefined ? f : { ...f, fmtp });
  }
  return { formats, unknown };
}

function connectionOf(media: MediaDescription, session: SessionDescription): SdpConnection | undefined {
  return media.connections[0] ?? session.connection;
}

/**
 * Where RTCP goes: the RTP address when rtcp-mux is in force (RFC 5761), the a=rtcp port
 * (RFC 3605), else the next port up (RFC 3550 §11).
 */
export function rtcpDestination(
  rtp: MediaAddress | undefined,
  muxed: boolean,
  rtcp: RtcpAttribute | undefined,
): MediaAddress | undefined {
  if (!rtp) return undefined;
  if (muxed) return rtp;
  if (rtcp) return { address: rtcp.address ?? rtp.address, port: rtcp.port };
  return { address: rtp.address, port: rtp.port + 1 };
}

/** Reads the audio stream at `mediaIndex` (which must be an m=audio line, else undefined). */
export function readAudioStream(sdp: SessionDescription, mediaIndex: number): AudioStream | undefined {
  const media = sdp.media[mediaIndex];
  if (!media || media.type.toLowerCase() !== 'audio') return undefined;
  const session: HasAttributes = sdp;
  const connection = connectionOf(media, sdp);
  const { formats, unknown } = readFormats(media);
  const declaredDirection = readDirection(media, session);
  const usesIce = hasAttribute(media, 'ice-ufrag') || hasAttribute(session, 'ice-ufrag');
  const direction = effectiveDirection(declaredDirection, connection, usesIce);
  const rtcpMux = readRtcpMux(media);
  const rtcpAttr = readRtcp(media);
  const ptime = readPtime(media);
  const maxptime = readMaxPtime(media);
  const rtp =
    media.port > 0 && connection && !isHoldAddress(connection)
      ? { address: connection.address, port: media.port }
      : undefined;
  const rtcp = rtcpDestination(rtp, rtcpMux, rtcpAttr);
  return {
    mediaIndex,
    protocol: media.protocol,
    port: media.port,
    ...(connection ? { connection } : {}),
    ...(rtp ? { rtp } : {}),
    ...(rtcp ? { rtcp } : {}),
    rtcpMux,
    ...(rtcpAttr ? { rtcpAttribute: rtcpAttr } : {}),
    formats,
    codecs: formats.filter((f) => !isTelephoneEvent(f)),
    telephoneEvents: formats
      .filter((f) => isTelephoneEvent(f))
      .map((f) => ({
        payloadType: f.payloadType,
        clockRate: f.clockRate,
        events: f.fmtp?.trim() || IMPLIED_TELEPHONE_EVENTS,
      })),
    unknownFormats: unknown,
    declaredDirection,
    direction,
    onHold: !canReceive(direction),
    ...(ptime === undefined ? {} : { ptime }),
    ...(maxptime === undefined ? {} : { maxptime }),
    crypto: readCrypto(media),
  };
}

/** Every m=audio stream of a description, in order. */
export function readAudioStreams(sdp: SessionDescription): AudioStream[] {
  const out: AudioStream[] = [];
  sdp.media.forEach((_, i) => {
    const s = readAudioStream(sdp, i);
    if (s) out.push(s);
  });
  return out;
}

/** The first active (port ≠ 0) audio stream: what a voice call uses. */
export function readAudio(sdp: SessionDescription): AudioStream | undefined {
  return readAudioStreams(sdp).find((s) => s.port !== 0);
}

/** The telephone-event format to use with a codec: same clock rate, else the first one. */
export function telephoneEventFor<T extends { clockRate: number }>(
  events: readonly T[],
  codec: { clockRate: number } | undefined,
): T | undefined {
  return events.find((e) => codec !== undefined && e.clockRate === codec.clockRate) ?? events[0];
}
