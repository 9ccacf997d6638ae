/**
 * The one interface every audio codec implements. Samples are 16-bit linear PCM at the
 * codec's clock rate; payloads are what goes in an RTP packet.
 */
export interface AudioCodec {
  /** The encoding name as in SDP rtpmap (RFC 4566 §6), e.g. "PCMU". */
  readonly name: string;
  readonly clockRate: number;
  readonly channels: number;
  /** Static payload type from RFC 3551 §6, when the codec has one. */
  readonly staticPayloadType: number | undefined;
  encode(samples: Int16Array): Uint8Array;
  decode(payload: Uint8Array): Int16Array;
  /** Samples per channel carried by `payloadLength` octets. */
  samplesIn(payloadLength: number): number;
}
