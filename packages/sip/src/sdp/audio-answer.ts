// Answering an offer with one audio stream (RFC 3264 §6).
//
// - The answer has exactly as many m= lines as the offer, in the same order (§6). We accept
//   the first audio stream we can use and reject every other one with port 0 (§6, §8.2).
// - Codecs: the intersection of the offer and our list, in the offer's order by default,
//   under the offer's payload type numbers ("that same payload type number SHOULD be used",
//   §6.1), so both directions use one mapping.
// - telephone-event (RFC 4733): kept at the clock rate of an agreed codec, with the events
//   both sides support.
// - Direction (§6.1): sendonly ⇄ recvonly, inactive stays inactive, and our own wish (hold)
//   narrows it further. `c=0.0.0.0` in the offer is the RFC 2543 hold (§8.4).

import {
  readAudioStream,
  rtcpDestination,
  telephoneEventFor,
  type AudioStream,
  type RtpFormat,
} from './audio-stream.ts';
import { sameCodec, isTelephoneEvent, DEFAULT_TELEPHONE_EVENTS, type AudioCodec } from './codecs.ts';
import { cryptoAttribute, usesSdes, type CryptoAttribute } from './crypto-attribute.ts';
import { answerDirection } from './direction.ts';
import {
  audioSection,
  checkLocalOptions,
  localSession,
  rejectedSection,
  type FormatEntry,
  type LocalAudioOptions,
} from './local-audio.ts';
import {
  isAuxiliaryCodec,
  negotiationFailure,
  type NegotiatedAudio,
  type NegotiatedCodec,
  type NegotiatedTelephoneEvent,
  type SdpNegotiationFailure,
} from './negotiated-audio.ts';
import { attributeValue } from './attributes.ts';
import type { SdpAttribute, SessionDescription } from './sdp-model.ts';
import { readBundle, webRtcAttribute } from './webrtc-attributes.ts';
import { intersectEvents } from './telephone-event.ts';

export interface AudioAnswerOptions extends LocalAudioOptions {
  /** Transport protocols we accept; default `RTP/AVP`, plus `RTP/SAVP` with `acceptCrypto`. */
  readonly protocols?: readonly string[];
  /** Picks and answers one offered `a=crypto` line (same tag, our key), or undefined. */
  readonly acceptCrypto?: (offered: readonly CryptoAttribute[]) => CryptoAttribute | undefined;
  /** `true` (default): accept telephone-event for events 0-16; a string: our event list; `false`: refuse. */
  readonly telephoneEvent?: boolean | string;
  /** Order of codecs in the answer: the offerer's preference (default) or ours. */
  readonly codecOrder?: 'offer' | 'local';
  /** Answer with at most this many media codecs (1 avoids mid-call codec switches). */
  readonly maxCodecs?: number;
}

export type AudioAnswerResult =
  | { readonly ok: true; readonly answer: SessionDescription; readonly negotiated: NegotiatedAudio }
  | SdpNegotiationFailure;

export interface CodecPair {
  readonly offered: RtpFormat;
  readonly local: AudioCodec;
}

const describe = (f: RtpFormat): string =>
  `${f.name}/${f.clockRate}${f.channels === 1 ? '' : `/${f.channels}`}`;

/** Offered codecs we support, ordered and capped as the options say; media codecs first. */
export function intersectCodecs(
  offered: readonly RtpFormat[],
  local: readonly AudioCodec[],
  order: 'offer' | 'local' = 'offer',
  maxCodecs = Infinity,
): CodecPair[] {
  const ours = local.filter((c) => !isTelephoneEvent(c));
  const pairs: CodecPair[] = [];
  for (const f of offered) {
    if (isTelephoneEvent(f) || pairs.some((p) => sameCodec(p.offered, f))) continue;
    const match = ours.find((c) => sameCodec(c, f));
    if (match) pairs.push({ offered: f, local: match });
  }
  if (order === 'local') pairs.sort((a, b) => ours.indexOf(a.local) - ours.indexOf(b.local));
  const main = pairs.filter((p) => !isAuxiliaryCodec(p.offered.name)).slice(0, Math.max(1, maxCodecs));
  return [...main, ...pairs.filter((p) => isAuxiliaryCodec(p.offered.name))];
}

interface Accepted {
  readonly stream: AudioStream;
  readonly pairs: readonly CodecPair[];
  readonly events: readonly NegotiatedTelephoneEvent[];
  readonly crypto?: { readonly local: CryptoAttribute; readonly remote: CryptoAttribute };
}

function tryStream(stream: AudioStream, o: AudioAnswerOptions): Accepted | SdpNegotiationFailure {
  const protocols = o.protocols ?? (o.acceptCrypto ? ['RTP/AVP', 'RTP/SAVP'] : ['RTP/AVP']);
  if (!protocols.some((p) => p.toUpperCase() === stream.protocol.toUpperCase())) {
    return negotiationFailure(
      302,
      `audio transport ${stream.protocol} is not supported (we take ${protocols.join(', ')})`,
    );
  }
  if (!stream.connection)
    return negotiationFailure(301, 'the audio stream has no c= line, at media or session level');
  let crypto: Accepted['crypto'];
  if (usesSdes(stream.protocol)) {
    const local = o.acceptCrypto?.(stream.crypto);
    const remote = local && stream.crypto.find((c) => c.tag === local.tag);
    if (!local || !remote)
      return negotiationFailure(305, 'no acceptable a=crypto line (RFC 4568) in the offer');
    crypto = { local, remote };
  }
  const pairs = intersectCodecs(stream.formats, o.codecs, o.codecOrder, o.maxCodecs);
  if (!pairs.some((p) => !isAuxiliaryCodec(p.offered.name))) {
    return negotiationFailure(
      305,
      `no common audio codec (offered: ${stream.codecs.map(describe).join(', ') || 'none'})`,
    );
  }
  let events: NegotiatedTelephoneEvent[] = [];
  if (o.telephoneEvent !== false) {
    const supported = typeof o.telephoneEvent === 'string' ? o.telephoneEvent : DEFAULT_TELEPHONE_EVENTS;
    const rates = new Set(pairs.map((p) => p.offered.clockRate));
    const atRate = stream.telephoneEvents.filter((t) => rates.has(t.clockRate));
    const chosen = atRate.length > 0 ? atRate : stream.telephoneEvents.slice(0, 1);
    events = chosen
      .filter((t, i) => chosen.findIndex((u) => u.clockRate === t.clockRate) === i)
      .map((t) => ({
        clockRate: t.clockRate,
        sendPayloadType: t.payloadType,
        receivePayloadType: t.payloadType,
        events: intersectEvents(t.events, supported),
      }))
      .filter((t) => t.events !== '');
  }
  return { stream, pairs, events, ...(crypto ? { crypto } : {}) };
}

/**
 * RFC 5888 §9.2 / RFC 9143 §7.3: an answer echoes the `a=mid` of each accepted m= line, and
 * keeps it in the BUNDLE group when the offer bundled it. Added unless the caller's own
 * attributes already say it.
 */
function withBundle(offer: SessionDescription, index: number, o: AudioAnswerOptions): AudioAnswerOptions {
  const offered = offer.media[index];
  const mid = offered ? attributeValue(offered, 'mid')?.trim() : undefined;
  if (!mid) return o;
  const has = (attrs: readonly SdpAttribute[] | undefined, name: string) =>
    (attrs ?? []).some((a) => a.name.toLowerCase() === name);
  const bundled = readBundle(offer)?.mids.includes(mid) ?? false;
  return {
    ...o,
    mediaAttributes: has(o.mediaAttributes, 'mid')
      ? o.mediaAttributes
      : [webRtcAttribute.mid(mid), ...(o.mediaAttributes ?? [])],
    sessionAttributes:
      bundled && !has(o.sessionAttributes, 'group')
        ? [webRtcAttribute.group({ semantics: 'BUNDLE', mids: [mid] }), ...(o.sessionAttributes ?? [])]
        : o.sessionAttributes,
  };
}

/**
 * Answers `offer` with one audio stream. On success: the answer to send and what was agreed.
 * On failure: a 488 with a Warning code and a reason (send `488 Not Acceptable Here`).
 */
export function createAudioAnswer(offer: SessionDescription, options: AudioAnswerOptions): AudioAnswerResult {
  checkLocalOptions(options);
  let failure = negotiationFailure(304, 'the offer has no active audio stream');
  let accepted: Accepted | undefined;
  for (let i = 0; i < offer.media.length && !accepted; i++) {
    const stream = readAudioStream(offer, i);
    if (!stream || stream.port === 0) continue;
    const r = tryStream(stream, options);
    if ('ok' in r) failure = r;
    else accepted = r;
  }
  if (!accepted) return failure;

  const { stream, pairs, events } = accepted;
  const direction = answerDirection(stream.direction, options.direction ?? 'sendrecv');
  const rtcpMux = stream.rtcpMux && options.rtcpMux !== false;
  const formats: FormatEntry[] = [
    ...pairs.map((p) => ({
      payloadType: p.offered.payloadType,
      name: p.offered.name,
      clockRate: p.offered.clockRate,
      channels: p.offered.channels,
      ...(p.local.fmtp ? { fmtp: p.local.fmtp } : {}),
    })),
    ...events.map((t) => ({
      payloadType: t.receivePayloadType,
      name: 'telephone-event',
      clockRate: t.clockRate,
      channels: 1,
      fmtp: t.events,
    })),
  ];
  const local = withBundle(offer, stream.mediaIndex, options);
  const audio = audioSection({
    port: options.port,
    protocol: stream.protocol,
    formats,
    direction,
    rtcpMux,
    crypto: accepted.crypto ? [cryptoAttribute(accepted.crypto.local)] : [],
    options: local,
  });
  const media = offer.media.map((m, i) => (i === stream.mediaIndex ? audio : rejectedSection(m)));
  const answer = localSession(local, media, direction);

  const codecs: NegotiatedCodec[] = pairs.map((p) => ({
    name: p.offered.name,
    clockRate: p.offered.clockRate,
    channels: p.offered.channels,
    sendPayloadType: p.offered.payloadType,
    receivePayloadType: p.offered.payloadType,
    ...(p.offered.fmtp === undefined ? {} : { remoteFmtp: p.offered.fmtp }),
    ...(p.local.fmtp === undefined ? {} : { localFmtp: p.local.fmtp }),
  }));
  const telephoneEvent = telephoneEventFor(events, codecs[0]);
  const remoteRtcp = rtcpDestination(stream.rtp, rtcpMux, stream.rtcpAttribute);
  const negotiated: NegotiatedAudio = {
    mediaIndex: stream.mediaIndex,
    protocol: stream.protocol,
    ...(stream.rtp ? { remoteRtp: stream.rtp } : {}),
    ...(remoteRtcp ? { remoteRtcp } : {}),
    codecs,
    ...(telephoneEvent ? { telephoneEvent } : {}),
    telephoneEvents: events,
    direction,
    remoteHold: stream.onHold,
    ...(stream.ptime === undefined ? {} : { ptime: stream.ptime }),
    ...(stream.maxptime === undefined ? {} : { maxptime: stream.maxptime }),
    rtcpMux,
    ...(accepted.crypto ? { crypto: accepted.crypto } : {}),
  };
  return { ok: true, answer, negotiated };
}
