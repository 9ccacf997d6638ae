// Building blocks shared by the audio offer and answer: our o=/s=/c=/t= lines and one m=audio
// section with its rtpmap/fmtp/ptime/rtcp/direction attributes.

import type { AudioCodec } from './codecs.ts';
import { canReceive, directionAttribute, type MediaDirection } from './direction.ts';
import { rtpAttribute, type RtcpAttribute } from './rtp-attributes.ts';
import type { SdpAttribute, SdpBandwidth, MediaDescription, SessionDescription } from './sdp-model.ts';
import { nextLocalSdp } from './session-version.ts';

/** Our o= line for a new session (ignored when `previous` is given: its o= line is kept). */
export interface LocalOrigin {
  /** Default `-` (RFC 4566 §5.2: "-" if the originating host has no user ids). */
  readonly username?: string;
  /** Decimal digits, unique per session; e.g. the current NTP time or a random number. */
  readonly sessionId: string;
  /** Decimal digits; default: equal to sessionId (RFC 4566 §5.2 suggests an NTP timestamp). */
  readonly sessionVersion?: string;
  /** Our address for the o= line. */
  readonly address: string;
}

/** What both the offer and the answer say about our side of the audio stream. */
export interface LocalAudioOptions {
  readonly origin: LocalOrigin;
  /** Where we receive RTP (the c= address). */
  readonly address: string;
  readonly port: number;
  /** The codecs we support, most preferred first (telephone-event is handled separately). */
  readonly codecs: readonly AudioCodec[];
  /** What we want: `sendrecv` (default), `sendonly` to put the other side on hold, … */
  readonly direction?: MediaDirection;
  /**
   * How to signal hold when `direction` does not receive: `rfc3264` (default) only sets the
   * attribute; `rfc2543` also writes `c=IN IP4 0.0.0.0` for old equipment (RFC 3264 §8.4).
   */
  readonly holdStyle?: 'rfc3264' | 'rfc2543';
  /** `a=ptime`: the packetization we want to receive, in ms. */
  readonly ptime?: number;
  readonly maxptime?: number;
  /** Offer: write `a=rtcp-mux`. Answer: accept it when offered. */
  readonly rtcpMux?: boolean;
  /** `a=rtcp` (RFC 3605) when our RTCP port is not RTP + 1. */
  readonly rtcp?: number | RtcpAttribute;
  /** `s=`; default `-`. */
  readonly sessionName?: string;
  readonly sessionAttributes?: readonly SdpAttribute[];
  /** Appended to the audio section (e.g. ICE/DTLS lines from the WebRTC leg). */
  readonly mediaAttributes?: readonly SdpAttribute[];
  readonly bandwidths?: readonly SdpBandwidth[];
  /** Our previous SDP in this dialog: keeps the o= line and bumps its version (RFC 3264 §8). */
  readonly previous?: SessionDescription;
}

/** One payload type as we write it. */
export interface FormatEntry {
  readonly payloadType: number;
  readonly name: string;
  readonly clockRate: number;
  readonly channels: number;
  readonly fmtp?: string;
}

export const addrTypeOf = (address: string): 'IP4' | 'IP6' => (address.includes(':') ? 'IP6' : 'IP4');

export function checkLocalOptions(o: LocalAudioOptions): void {
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535)
    throw new RangeError(`bad RTP port ${o.port}`);
  if (!/^[0-9]+$/.test(o.origin.sessionId)) throw new RangeError('origin.sessionId must be decimal digits');
}

export interface AudioSectionSpec {
  readonly port: number;
  readonly protocol: string;
  readonly formats: readonly FormatEntry[];
  readonly direction: MediaDirection;
  readonly rtcpMux: boolean;
  readonly crypto?: readonly SdpAttribute[];
  readonly options: LocalAudioOptions;
}

/** One m=audio section: rtpmap + fmtp per format, ptime, rtcp, rtcp-mux, crypto, direction. */
export function audioSection(spec: AudioSectionSpec): MediaDescription {
  const o = spec.options;
  const attributes: SdpAttribute[] = [];
  for (const f of spec.formats) {
    attributes.push(
      rtpAttribute.rtpmap({
        payloadType: f.payloadType,
        encodingName: f.name,
        clockRate: f.clockRate,
        ...(f.channels === 1 ? {} : { channels: f.channels }),
      }),
    );
    if (f.fmtp !== undefined && f.fmtp !== '') {
      attributes.push(rtpAttribute.fmtp({ format: String(f.payloadType), parameters: f.fmtp }));
    }
  }
  if (o.ptime !== undefined) attributes.push(rtpAttribute.ptime(o.ptime));
  if (o.maxptime !== undefined) attributes.push(rtpAttribute.maxptime(o.maxptime));
  if (o.rtcp !== undefined)
    attributes.push(rtpAttribute.rtcp(typeof o.rtcp === 'number' ? { port: o.rtcp } : o.rtcp));
  if (spec.rtcpMux) attributes.push(rtpAttribute.rtcpMux());
  attributes.push(...(spec.crypto ?? []));
  attributes.push(directionAttribute(spec.direction));
  attributes.push(...(o.mediaAttributes ?? []));
  return {
    type: 'audio',
    port: spec.port,
    protocol: spec.protocol,
    formats: spec.formats.map((f) => String(f.payloadType)),
    connections: [],
    bandwidths: o.bandwidths ?? [],
    attributes,
  };
}

/** A rejected or disabled copy of a media section (RFC 3264 §6: port 0, formats kept). */
export function rejectedSection(m: MediaDescription): MediaDescription {
  return {
    type: m.type,
    port: 0,
    protocol: m.protocol,
    formats: m.formats.length > 0 ? m.formats : ['0'],
    connections: [],
    bandwidths: [],
    attributes: [],
  };
}

/** Our session around `media`, then the o= version rule of RFC 3264 §8 against `previous`. */
export function localSession(
  o: LocalAudioOptions,
  media: readonly MediaDescription[],
  direction: MediaDirection,
): SessionDescription {
  const addrType = addrTypeOf(o.address);
  const legacyHold = o.holdStyle === 'rfc2543' && !canReceive(direction);
  const draft: SessionDescription = {
    version: 0,
    origin: {
      username: o.origin.username ?? '-',
      sessionId: o.origin.sessionId,
      sessionVersion: o.origin.sessionVersion ?? o.origin.sessionId,
      netType: 'IN',
      addrType: addrTypeOf(o.origin.address),
      address: o.origin.address,
    },
    sessionName: o.sessionName ?? '-',
    emails: [],
    phones: [],
    connection: {
      netType: 'IN',
      addrType,
      address: legacyHold ? (addrType === 'IP6' ? '::' : '0.0.0.0') : o.address,
    },
    bandwidths: [],
    timings: [{ start: '0', stop: '0', repeats: [] }],
    timeZones: [],
    attributes: o.sessionAttributes ?? [],
    media,
  };
  return nextLocalSdp(o.previous, draft);
}
