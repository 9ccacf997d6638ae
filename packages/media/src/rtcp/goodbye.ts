import { malformed, ok, type ParseResult } from '../result.ts';
import { padTo4, RTCP_HEADER_LENGTH, RtcpPacketType, writeRtcpHeader } from './rtcp-header.ts';

/**
 * Goodbye (BYE), RFC 3550 §6.6.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    SC   |   PT=BYE=203  |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           SSRC/CSRC                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * :                              ...                              :
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |     length    |               reason for leaving            ... (opt)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class Goodbye {
  readonly type = RtcpPacketType.Goodbye;
  readonly sources: readonly number[];
  readonly reason: string | undefined;

  constructor(fields: { sources: readonly number[]; reason?: string }) {
    this.sources = fields.sources.map((s) => s >>> 0);
    this.reason = fields.reason;
  }

  static parseBody(count: number, body: Uint8Array): ParseResult<Goodbye> {
    if (body.length < count * 4) return malformed('BYE shorter than its SC');
    const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
    const sources: number[] = [];
    for (let i = 0; i < count; i++) sources.push(view.getUint32(i * 4));
    const at = count * 4;
    if (at >= body.length) return ok(new Goodbye({ sources }));
    const len = body[at]!;
    if (at + 1 + len > body.length) return malformed('BYE reason longer than the packet');
    return ok(new Goodbye({ sources, reason: decoder.decode(body.subarray(at + 1, at + 1 + len)) }));
  }

  serialize(): Uint8Array {
    const reason = this.reason === undefined ? undefined : encoder.encode(this.reason).subarray(0, 255);
    const length = padTo4(RTCP_HEADER_LENGTH + this.sources.length * 4 + (reason ? 1 + reason.length : 0));
    const out = new Uint8Array(length);
    const view = new DataView(out.buffer);
    writeRtcpHeader(view, 0, this.sources.length, this.type, length);
    this.sources.forEach((s, i) => view.setUint32(RTCP_HEADER_LENGTH + i * 4, s));
    if (reason) {
      const at = RTCP_HEADER_LENGTH + this.sources.length * 4;
      out[at] = reason.length;
      out.set(reason, at + 1);
    }
    return out;
  }
}
