// Building an audio offer (RFC 3264 §5) and re-offers (§8).
//
// Payload types: static codecs keep their RFC 3551 number; dynamic ones get their preferred
// number when free, else the next free one in 96–127 (then 35–63; 64–95 are avoided because
// they collide with RTCP packet types under rtcp-mux, RFC 5761 §4). In a re-offer, a codec
// keeps the number it had, and no number is re-bound to another codec (§8.3.2).

import { readFormats, type RtpFormat } from './audio-stream.ts';
import {
  STATIC_PAYLOAD_TYPES,
  defaultCodecs,
  isTelephoneEvent,
  sameCodec,
  DEFAULT_TELEPHONE_EVENTS,
  type AudioCodec,
} from './codecs.ts';
import { cryptoAttribute, type CryptoAttribute } from './crypto-attribute.ts';
import {
  audioSection,
  checkLocalOptions,
  localSession,
  rejectedSection,
  type FormatEntry,
  type LocalAudioOptions,
} from './local-audio.ts';
import { isAuxiliaryCodec } from './negotiated-audio.ts';
import type { MediaDescription, SessionDescription } from './sdp-model.ts';

export interface AudioOfferOptions extends LocalAudioOptions {
  /** `RTP/AVP` by default; `RTP/SAVP` when `crypto` is given. */
  readonly protocol?: string;
  /**
   * `true` (default): one telephone-event per clock rate of the offered codecs (opus →
   * /48000, G.711 → /8000), events 0-16. `false`: none. A list: exactly those.
   */
  readonly telephoneEvent?: boolean | readonly AudioCodec[];
  /** SDES lines to offer (RFC 4568); the caller generates the keys. */
  readonly crypto?: readonly CryptoAttribute[];
}

const DYNAMIC_RANGES: readonly (readonly [number, number])[] = [
  [96, 127],
  [35, 63],
];

function telephoneEvents(options: AudioOfferOptions): AudioCodec[] {
  if (options.telephoneEvent === false) return [];
  if (Array.isArray(options.telephoneEvent)) return [...(options.telephoneEvent as readonly AudioCodec[])];
  const rates: number[] = [];
  for (const c of options.codecs) {
    if (!isAuxiliaryCodec(c.name) && !rates.includes(c.clockRate)) rates.push(c.clockRate);
  }
  // The registry's entry carries the customary number (101 for /8000, 110 for /48000).
  return rates.map(
    (clockRate) =>
      defaultCodecs.get('telephone-event', clockRate) ?? {
        name: 'telephone-event',
        clockRate,
        channels: 1,
        fmtp: DEFAULT_TELEPHONE_EVENTS,
      },
  );
}

/** The static number of `c` when it is an RFC 3551 static codec (PCMU → 0), else undefined. */
function staticNumber(c: AudioCodec): number | undefined {
  const pt = c.payloadType;
  if (pt === undefined || pt >= 96) return undefined;
  const known = STATIC_PAYLOAD_TYPES.get(pt);
  return known && sameCodec(known, c) ? pt : undefined;
}

/**
 * Chooses a payload type for each codec, in order: the number it had in `previous`, its
 * static number, its preferred dynamic number, the first free dynamic number. Throws when
 * more codecs than the 61 usable dynamic numbers are asked for.
 */
export function assignPayloadTypes(
  codecs: readonly AudioCodec[],
  previous: readonly RtpFormat[] = [],
): FormatEntry[] {
  const reserved = new Set(previous.map((f) => f.payloadType));
  const used = new Set<number>();
  const free = (pt: number | undefined): pt is number =>
    pt !== undefined && !used.has(pt) && !reserved.has(pt);
  const take = (pt: number | undefined): number | undefined => {
    if (pt !== undefined) used.add(pt);
    return pt;
  };
  // First the numbers that are bound already (previous offer, static table) …
  const chosen = codecs.map((c) => {
    const before = previous.find((f) => sameCodec(f, c) && !used.has(f.payloadType));
    if (before) return take(before.payloadType);
    const fixed = staticNumber(c);
    return free(fixed) ? take(fixed) : undefined;
  });
  // … then preferred and first-free dynamic numbers for the rest.
  return codecs.map((c, i) => {
    let pt = chosen[i];
    const preferred = c.payloadType;
    if (
      pt === undefined &&
      preferred !== undefined &&
      preferred >= 96 &&
      preferred <= 127 &&
      free(preferred)
    ) {
      pt = preferred;
    }
    for (const [from, to] of DYNAMIC_RANGES) {
      for (let n = from; pt === undefined && n <= to; n++) if (free(n)) pt = n;
    }
    if (pt === undefined) throw new RangeError('no free RTP payload type left for the offer');
    used.add(pt);
    return {
      payloadType: pt,
      name: c.name,
      clockRate: c.clockRate,
      channels: c.channels,
      ...(c.fmtp ? { fmtp: c.fmtp } : {}),
    };
  });
}

/** The audio section of `previous` our new offer replaces, or -1 (RFC 3264 §8: same slot). */
function previousAudioIndex(previous: SessionDescription | undefined): number {
  if (!previous) return -1;
  const active = previous.media.findIndex((m) => m.type === 'audio' && m.port !== 0);
  return active >= 0 ? active : previous.media.findIndex((m) => m.type === 'audio');
}

/**
 * An SDP offer for one audio stream. With `previous` (our last SDP in the dialog) it is a
 * re-offer: same o= line with the version incremented (unless nothing changed), the same
 * m= lines in the same order (other streams stay disabled, §8.2), the same payload types.
 *
 * Throws RangeError on programming errors (no codecs, a bad port); never on remote input.
 */
export function createAudioOffer(options: AudioOfferOptions): SessionDescription {
  checkLocalOptions(options);
  const media = options.codecs.filter((c) => !isTelephoneEvent(c));
  if (media.length === 0) throw new RangeError('an audio offer needs at least one codec');
  const index = previousAudioIndex(options.previous);
  const prevAudio = index >= 0 ? options.previous?.media[index] : undefined;
  const all = [...media, ...telephoneEvents(options)];
  const formats = assignPayloadTypes(all, prevAudio ? readFormats(prevAudio).formats : []);
  const direction = options.direction ?? 'sendrecv';
  const audio = audioSection({
    port: options.port,
    protocol: options.protocol ?? (options.crypto && options.crypto.length > 0 ? 'RTP/SAVP' : 'RTP/AVP'),
    formats,
    direction,
    rtcpMux: options.rtcpMux ?? false,
    crypto: (options.crypto ?? []).map(cryptoAttribute),
    options,
  });
  let sections: MediaDescription[] = [audio];
  if (options.previous && index >= 0) {
    sections = options.previous.media.map((m, i) => (i === index ? audio : rejectedSection(m)));
  } else if (options.previous) {
    sections = [...options.previous.media.map(rejectedSection), audio];
  }
  return localSession(options, sections, direction);
}
