/**
 * The header every RTCP packet starts with, RFC 3550 §6.4.1.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  count  |      PT       |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * `length` is the packet's length in 32-bit words minus one, header and padding included.
 */
export const RtcpPacketType = {
  SenderReport: 200,
  ReceiverReport: 201,
  SourceDescription: 202,
  Goodbye: 203,
  Application: 204,
} as const;

export const RTCP_HEADER_LENGTH = 4;

/** Writes the common header into `out` at `offset`; `totalLength` is a multiple of 4. */
export function writeRtcpHeader(
  view: DataView,
  offset: number,
  count: number,
  packetType: number,
  totalLength: number,
): void {
  view.setUint8(offset, (2 << 6) | (count & 0x1f));
  view.setUint8(offset + 1, packetType);
  view.setUint16(offset + 2, totalLength / 4 - 1);
}

export const padTo4 = (n: number): number => (n + 3) & ~3;
