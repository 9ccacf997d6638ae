import { malformed, ok, type ParseResult } from '../result.ts';
import { Goodbye } from './goodbye.ts';
import { ReceiverReport } from './receiver-report.ts';
import { RTCP_HEADER_LENGTH, RtcpPacketType } from './rtcp-header.ts';
import { SenderReport } from './sender-report.ts';
import { SourceDescription } from './source-description.ts';

/**
 * An RTCP packet this package does not model (APP, feedback, XR…), kept byte for byte so a
 * relay can forward it unchanged.
 */
export class UnknownRtcpPacket {
  constructor(
    readonly type: number,
    readonly count: number,
    /** The body after the common header, padding removed. */
    readonly body: Uint8Array,
  ) {}

  serialize(): Uint8Array {
    const out = new Uint8Array(RTCP_HEADER_LENGTH + ((this.body.length + 3) & ~3));
    out[0] = 0x80 | (this.count & 0x1f);
    out[1] = this.type;
    const words = out.length / 4 - 1;
    out[2] = words >> 8;
    out[3] = words & 0xff;
    out.set(this.body, RTCP_HEADER_LENGTH);
    return out;
  }
}

export type RtcpPacket = SenderReport | ReceiverReport | SourceDescription | Goodbye | UnknownRtcpPacket;

/**
 * Parses a compound RTCP datagram (RFC 3550 §6.1): several RTCP packets back to back, each
 * length-prefixed. Validity checks follow RFC 3550 Appendix A.2: version 2 everywhere,
 * padding only in the last packet, lengths that add up to the datagram. The "first packet is
 * SR or RR" rule is not enforced: reduced-size RTCP (RFC 5506) drops it.
 */
export function parseRtcp(bytes: Uint8Array): ParseResult<RtcpPacket[]> {
  const packets: RtcpPacket[] = [];
  let offset = 0;
  if (bytes.length < RTCP_HEADER_LENGTH) return malformed('RTCP datagram shorter than a header');
  while (offset < bytes.length) {
    if (offset + RTCP_HEADER_LENGTH > bytes.length) return malformed('RTCP header truncated');
    const b0 = bytes[offset]!;
    if (b0 >> 6 !== 2) return malformed(`RTCP version ${b0 >> 6} is not 2`);
    const count = b0 & 0x1f;
    const type = bytes[offset + 1]!;
    const length = (((bytes[offset + 2]! << 8) | bytes[offset + 3]!) + 1) * 4;
    const end = offset + length;
    if (end > bytes.length) return malformed('RTCP length beyond the datagram');
    let bodyEnd = end;
    if (b0 & 0x20) {
      if (end !== bytes.length) return malformed('RTCP padding before the last packet');
      const pad = bytes[end - 1]!;
      if (pad === 0 || pad > length - RTCP_HEADER_LENGTH) return malformed('RTCP padding count invalid');
      bodyEnd -= pad;
    }
    const body = bytes.subarray(offset + RTCP_HEADER_LENGTH, bodyEnd);
    const parsed = parseOne(type, count, body);
    if (!parsed.ok) return parsed;
    packets.push(parsed.value);
    offset = end;
  }
  return ok(packets);
}

function parseOne(type: number, count: number, body: Uint8Array): ParseResult<RtcpPacket> {
  switch (type) {
    case RtcpPacketType.SenderReport:
      return SenderReport.parseBody(count, body);
    case RtcpPacketType.ReceiverReport:
      return ReceiverReport.parseBody(count, body);
    case RtcpPacketType.SourceDescription:
      return SourceDescription.parseBody(count, body);
    case RtcpPacketType.Goodbye:
      return Goodbye.parseBody(count, body);
    default:
      return ok(new UnknownRtcpPacket(type, count, body.slice()));
  }
}

/** Serializes packets into one compound datagram. */
export function serializeRtcp(packets: readonly RtcpPacket[]): Uint8Array {
  const parts = packets.map((p) => p.serialize());
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
