import { malformed, ok, type ParseResult } from '../result.ts';

/**
 * An RTP data packet, RFC 3550 §5.1.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |  8
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             | 12
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Header extension (X=1), RFC 3550 §5.3.1:
 * |      defined by profile       |           length              |
 * |                        header extension                       |
 *
 * Padding (P=1): the last octet counts the padding octets, itself included.
 */
export interface RtpHeaderExtension {
  readonly profile: number;
  /** Extension data; its length is a multiple of 4. */
  readonly data: Uint8Array;
}

export interface RtpPacketFields {
  readonly marker?: boolean;
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly csrcs?: readonly number[];
  readonly extension?: RtpHeaderExtension;
  readonly payload: Uint8Array;
  /** Number of padding octets to append (0 = none), including the count octet. */
  readonly paddingLength?: number;
}

export const RTP_VERSION = 2;
export const RTP_FIXED_HEADER_LENGTH = 12;

export class RtpPacket {
  readonly marker: boolean;
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly csrcs: readonly number[];
  readonly extension: RtpHeaderExtension | undefined;
  readonly payload: Uint8Array;
  readonly paddingLength: number;

  constructor(fields: RtpPacketFields) {
    this.marker = fields.marker ?? false;
    this.payloadType = fields.payloadType & 0x7f;
    this.sequenceNumber = fields.sequenceNumber & 0xffff;
    this.timestamp = fields.timestamp >>> 0;
    this.ssrc = fields.ssrc >>> 0;
    this.csrcs = fields.csrcs ?? [];
    this.extension = fields.extension;
    this.payload = fields.payload;
    this.paddingLength = fields.paddingLength ?? 0;
  }

  /** Parses one RTP packet. Never throws: malformed input yields `{ ok: false }`. */
  static parse(bytes: Uint8Array): ParseResult<RtpPacket> {
    if (bytes.length < RTP_FIXED_HEADER_LENGTH) return malformed('RTP packet shorter than 12 octets');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const b0 = bytes[0]!;
    const b1 = bytes[1]!;
    if (b0 >> 6 !== RTP_VERSION) return malformed(`RTP version ${b0 >> 6} is not 2`);
    const hasPadding = (b0 & 0x20) !== 0;
    const hasExtension = (b0 & 0x10) !== 0;
    const csrcCount = b0 & 0x0f;
    let offset = RTP_FIXED_HEADER_LENGTH + csrcCount * 4;
    if (bytes.length < offset) return malformed('RTP packet truncated in the CSRC list');
    const csrcs: number[] = [];
    for (let i = 0; i < csrcCount; i++) csrcs.push(view.getUint32(RTP_FIXED_HEADER_LENGTH + i * 4));
    let extension: RtpHeaderExtension | undefined;
    if (hasExtension) {
      if (bytes.length < offset + 4) return malformed('RTP packet truncated in the extension header');
      const profile = view.getUint16(offset);
      const words = view.getUint16(offset + 2);
      const end = offset + 4 + words * 4;
      if (bytes.length < end) return malformed('RTP header extension longer than the packet');
      extension = { profile, data: bytes.slice(offset + 4, end) };
      offset = end;
    }
    let end = bytes.length;
    let paddingLength = 0;
    if (hasPadding) {
      paddingLength = bytes[bytes.length - 1]!;
      // RFC 3550 §5.1: the count includes itself, so 0 is invalid.
      if (paddingLength === 0 || offset + paddingLength > bytes.length)
        return malformed('RTP padding count invalid');
      end -= paddingLength;
    }
    return ok(
      new RtpPacket({
        marker: (b1 & 0x80) !== 0,
        payloadType: b1 & 0x7f,
        sequenceNumber: view.getUint16(2),
        timestamp: view.getUint32(4),
        ssrc: view.getUint32(8),
        csrcs,
        extension,
        payload: bytes.slice(offset, end),
        paddingLength,
      }),
    );
  }

  get headerLength(): number {
    return (
      RTP_FIXED_HEADER_LENGTH + this.csrcs.length * 4 + (this.extension ? 4 + this.extension.data.length : 0)
    );
  }

  serialize(): Uint8Array {
    const length = this.headerLength + this.payload.length + this.paddingLength;
    const out = new Uint8Array(length);
    const view = new DataView(out.buffer);
    out[0] =
      (RTP_VERSION << 6) |
      (this.paddingLength > 0 ? 0x20 : 0) |
      (this.extension ? 0x10 : 0) |
      (this.csrcs.length & 0x0f);
    out[1] = (this.marker ? 0x80 : 0) | this.payloadType;
    view.setUint16(2, this.sequenceNumber);
    view.setUint32(4, this.timestamp);
    view.setUint32(8, this.ssrc);
    let offset = RTP_FIXED_HEADER_LENGTH;
    for (const csrc of this.csrcs) {
      view.setUint32(offset, csrc >>> 0);
      offset += 4;
    }
    if (this.extension) {
      view.setUint16(offset, this.extension.profile);
      view.setUint16(offset + 2, Math.ceil(this.extension.data.length / 4));
      out.set(this.extension.data, offset + 4);
      offset += 4 + this.extension.data.length;
    }
    out.set(this.payload, offset);
    if (this.paddingLength > 0) out[length - 1] = this.paddingLength;
    return out;
  }

  with(changes: Partial<RtpPacketFields>): RtpPacket {
    return new RtpPacket({ ...this, ...changes });
  }
}
