import { malformed, ok, type ParseResult } from '../result.ts';
import { padTo4, RTCP_HEADER_LENGTH, RtcpPacketType, writeRtcpHeader } from './rtcp-header.ts';

/**
 * Source description (SDES), RFC 3550 §6.5.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    SC   |  PT=SDES=202  |             length            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                          SSRC/CSRC_1                          | chunk 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     type      |     length    | text (length octets) ...      | items,
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+ ended by type 0
 *
 * Each chunk's item list ends with one or more null octets that pad it to a 32-bit boundary.
 */
export const SdesItemType = {
  CNAME: 1,
  NAME: 2,
  EMAIL: 3,
  PHONE: 4,
  LOC: 5,
  TOOL: 6,
  NOTE: 7,
  PRIV: 8,
} as const;

export interface SdesItem {
  readonly type: number;
  /** Item text, UTF-8 on the wire, at most 255 octets. */
  readonly text: string;
}

export interface SdesChunk {
  readonly source: number;
  readonly items: readonly SdesItem[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class SourceDescription {
  readonly type = RtcpPacketType.SourceDescription;
  readonly chunks: readonly SdesChunk[];

  constructor(chunks: readonly SdesChunk[]) {
    this.chunks = chunks;
  }

  static parseBody(count: number, body: Uint8Array): ParseResult<SourceDescription> {
    const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
    const chunks: SdesChunk[] = [];
    let offset = 0;
    for (let c = 0; c < count; c++) {
      if (offset + 4 > body.length) return malformed('SDES chunk truncated');
      const source = view.getUint32(offset);
      offset += 4;
      const items: SdesItem[] = [];
      for (;;) {
        if (offset >= body.length) return malformed('SDES item list not terminated');
        const type = body[offset]!;
        if (type === 0) break;
        if (offset + 2 > body.length) return malformed('SDES item truncated');
        const len = body[offset + 1]!;
        if (offset + 2 + len > body.length) return malformed('SDES item longer than the packet');
        items.push({ type, text: decoder.decode(body.subarray(offset + 2, offset + 2 + len)) });
        offset += 2 + len;
      }
      // The null terminator plus padding up to the next 32-bit boundary (relative to the packet
      // start, which is 4 octets before the body).
      offset = padTo4(offset + 1 + RTCP_HEADER_LENGTH) - RTCP_HEADER_LENGTH;
      chunks.push({ source, items });
    }
    return ok(new SourceDescription(chunks));
  }

  serialize(): Uint8Array {
    const encoded = this.chunks.map((chunk) => ({
      source: chunk.source,
      items: chunk.items.map((item) => ({
        type: item.type,
        bytes: encoder.encode(item.text).subarray(0, 255),
      })),
    }));
    let length = RTCP_HEADER_LENGTH;
    for (const chunk of encoded) {
      length += 4;
      for (const item of chunk.items) length += 2 + item.bytes.length;
      length = padTo4(length + 1);
    }
    const out = new Uint8Array(length);
    const view = new DataView(out.buffer);
    writeRtcpHeader(view, 0, encoded.length, this.type, length);
    let offset = RTCP_HEADER_LENGTH;
    for (const chunk of encoded) {
      view.setUint32(offset, chunk.source >>> 0);
      offset += 4;
      for (const item of chunk.items) {
        out[offset] = item.type;
        out[offset + 1] = item.bytes.length;
        out.set(item.bytes, offset + 2);
        offset += 2 + item.bytes.length;
      }
      offset = padTo4(offset + 1); // zero-filled terminator and padding
    }
    return out;
  }

  cname(source: number): string | undefined {
    return this.chunks.find((c) => c.source === source)?.items.find((i) => i.type === SdesItemType.CNAME)
      ?.text;
  }
}
