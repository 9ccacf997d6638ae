// The outcome of an audio offer/answer exchange, from our side: what the media engine needs
// to run the stream. The same shape comes out of answering an offer (createAudioAnswer) and
// of reading the answer to our offer (acceptAudioAnswer).

import type { MediaAddress } from './audio-stream.ts';
import type { CryptoAttribute } from './crypto-attribute.ts';
import type { MediaDirection } from './direction.ts';

/**
 * A codec both sides agreed on. Payload types can differ per direction (RFC 3264 §6.1 only
 * says the answer SHOULD reuse the offer's numbers): we send with `sendPayloadType` (the
 * number in the remote SDP) and receive `receivePayloadType` (the number in ours).
 */
export interface NegotiatedCodec {
  readonly name: string;
  readonly clockRate: number;
  readonly channels: number;
  readonly sendPayloadType: number;
  readonly receivePayloadType: number;
  /** The remote fmtp: how the remote wants to receive this codec. */
  readonly remoteFmtp?: string;
  /** Our fmtp: how we want to receive it. */
  readonly localFmtp?: string;
}

/** RFC 4733 telephone-event, negotiated. */
export interface NegotiatedTelephoneEvent {
  readonly clockRate: number;
  readonly sendPayloadType: number;
  readonly receivePayloadType: number;
  /** Events both sides support (`0-15`, `0-16`). */
  readonly events: string;
}

export interface NegotiatedAudio {
  /** The m= line (same index in offer and answer, RFC 3264 §6). */
  readonly mediaIndex: number;
  readonly protocol: string;
  /** Where to send RTP and RTCP; undefined while the remote does not receive (hold). */
  readonly remoteRtp?: MediaAddress;
  readonly remoteRtcp?: MediaAddress;
  /** Agreed codecs, preferred first: send with `codecs[0]`. Never empty. */
  readonly codecs: readonly NegotiatedCodec[];
  /** telephone-event at the clock rate of `codecs[0]` (else the first agreed one). */
  readonly telephoneEvent?: NegotiatedTelephoneEvent;
  readonly telephoneEvents: readonly NegotiatedTelephoneEvent[];
  /** Our direction after negotiation: `sendrecv`, or less on hold. */
  readonly direction: MediaDirection;
  /** True when the remote does not want media from us (it put the call on hold). */
  readonly remoteHold: boolean;
  /** The remote's a=ptime / a=maxptime: how we should packetize what we send. */
  readonly ptime?: number;
  readonly maxptime?: number;
  readonly rtcpMux: boolean;
  /** SDES keys (RFC 4568) when the stream is RTP/SAVP: ours and the remote's line. */
  readonly crypto?: { readonly local: CryptoAttribute; readonly remote: CryptoAttribute };
}

/**
 * Why an offer or an answer cannot be used. `status` is the SIP response to send to an offer
 * we cannot accept (488 Not Acceptable Here, RFC 3261 §21.4.26), with a Warning code
 * (RFC 3261 §20.43: 301 incompatible network address format, 302 incompatible transport
 * protocol, 304 media type not available, 305 incompatible media format).
 */
export interface SdpNegotiationFailure {
  readonly ok: false;
  readonly status: 488;
  readonly warning: 301 | 302 | 304 | 305 | 399;
  readonly reason: string;
}

export const negotiationFailure = (
  warning: SdpNegotiationFailure['warning'],
  reason: string,
): SdpNegotiationFailure => ({
  ok: false,
  status: 488,
  warning,
  reason,
});

/** Auxiliary payloads that are never "the" codec to send: RFC 4733 events, comfort noise… */
export function isAuxiliaryCodec(name: string): boolean {
  const n = name.toLowerCase();
  return n === 'telephone-event' || n === 'cn' || n === 'red' || n === 'ulpfec' || n === 'rtx';
}

/**
 * For a B2BUA relaying RTP between two legs without transcoding: the payload type a packet
 * carries when it arrives on leg `from` (our receive number there) → the number to write when
 * sending it on leg `to` (the remote's number there), for every codec and telephone-event
 * rate both legs agreed on. A packet whose type is not in the map needs transcoding (or is
 * dropped).
 */
export function relayPayloadTypes(from: NegotiatedAudio, to: NegotiatedAudio): Map<number, number> {
  const map = new Map<number, number>();
  for (const c of from.codecs) {
    const other = to.codecs.find(
      (d) =>
        d.name.toLowerCase() === c.name.toLowerCase() &&
        d.clockRate === c.clockRate &&
        d.channels === c.channels,
    );
    if (other) map.set(c.receivePayloadType, other.sendPayloadType);
  }
  for (const t of from.telephoneEvents) {
    const other = to.telephoneEvents.find((u) => u.clockRate === t.clockRate);
    if (other) map.set(t.receivePayloadType, other.sendPayloadType);
  }
  return map;
}
