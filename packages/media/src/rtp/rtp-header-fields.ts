/**
 * In-place readers and writers for the RTP fixed header (RFC 3550 §5.1), for the relay's hot
 * path: a relayed packet is rewritten where it lies instead of being parsed into an object.
 * Offsets follow the diagram in rtp-packet.ts. Callers check `isRtpLike` first.
 */
import { RTP_FIXED_HEADER_LENGTH } from './rtp-packet.ts';

/** Version 2 and long enough for the fixed header. */
export function isRtpLike(bytes: Uint8Array): boolean {
  return bytes.length >= RTP_FIXED_HEADER_LENGTH && bytes[0]! >> 6 === 2;
}

/**
 * RFC 5761 §4: with rtcp-mux, a packet whose second octet is 192–223 (RTCP packet types
 * 200–204 carry the marker bit position) is RTCP, not RTP.
 */
export function isRtcpInMux(bytes: Uint8Array): boolean {
  const pt = bytes[1]!;
  return pt >= 192 && pt <= 223;
}

export const readPayloadType = (b: Uint8Array): number => b[1]! & 0x7f;
export const readMarker = (b: Uint8Array): boolean => (b[1]! & 0x80) !== 0;
export const readSequenceNumber = (b: Uint8Array): number => (b[2]! << 8) | b[3]!;
export const readTimestamp = (b: Uint8Array): number =>
  ((b[4]! << 24) | (b[5]! << 16) | (b[6]! << 8) | b[7]!) >>> 0;
export const readSsrc = (b: Uint8Array): number =>
  ((b[8]! << 24) | (b[9]! << 16) | (b[10]! << 8) | b[11]!) >>> 0;

export function writePayloadType(b: Uint8Array, pt: number): void {
  b[1] = (b[1]! & 0x80) | (pt & 0x7f);
}

export function writeSequenceNumber(b: Uint8Array, seq: number): void {
  b[2] = (seq >>> 8) & 0xff;
  b[3] = seq & 0xff;
}

export function writeTimestamp(b: Uint8Array, ts: number): void {
  b[4] = (ts >>> 24) & 0xff;
  b[5] = (ts >>> 16) & 0xff;
  b[6] = (ts >>> 8) & 0xff;
  b[7] = ts & 0xff;
}

export function writeSsrc(b: Uint8Array, ssrc: number): void {
  b[8] = (ssrc >>> 24) & 0xff;
  b[9] = (ssrc >>> 16) & 0xff;
  b[10] = (ssrc >>> 8) & 0xff;
  b[11] = ssrc & 0xff;
}

/**
 * Where the payload starts and ends (padding excluded), or undefined when the header claims more
 * than the packet holds.
 */
export function payloadBounds(b: Uint8Array): { start: number; end: number } | undefined {
  const b0 = b[0]!;
  let start = RTP_FIXED_HEADER_LENGTH + (b0 & 0x0f) * 4;
  if ((b0 & 0x10) !== 0) {
    if (b.length < start + 4) return undefined;
    start += 4 + ((b[start + 2]! << 8) | b[start + 3]!) * 4;
  }
  let end = b.length;
  if ((b0 & 0x20) !== 0) end -= b[b.length - 1]!;
  if (start > end) return undefined;
  return { start, end };
}
