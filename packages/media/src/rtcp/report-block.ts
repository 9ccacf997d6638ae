/**
 * RTCP reception report block, RFC 3550 §6.4.1 (shared by SR and RR).
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 SSRC_1 (SSRC of first source)                 |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | fraction lost |       cumulative number of packets lost       |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           extended highest sequence number received           |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      interarrival jitter                      | 12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         last SR (LSR)                         | 16
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   delay since last SR (DLSR)                  | 20
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 */
export interface ReportBlock {
  readonly ssrc: number;
  /** Fraction lost since the previous report, as a fixed-point number over 256. */
  readonly fractionLost: number;
  /** Cumulative packets lost: a signed 24-bit value (duplicates can make it negative). */
  readonly cumulativeLost: number;
  readonly extendedHighestSequence: number;
  /** Interarrival jitter in timestamp units. */
  readonly jitter: number;
  readonly lastSenderReport: number;
  readonly delaySinceLastSenderReport: number;
}

export const REPORT_BLOCK_LENGTH = 24;

export function readReportBlock(view: DataView, offset: number): ReportBlock {
  const lostWord = view.getUint32(offset + 4);
  let cumulativeLost = lostWord & 0xffffff;
  if (cumulativeLost & 0x800000) cumulativeLost -= 0x1000000;
  return {
    ssrc: view.getUint32(offset),
    fractionLost: lostWord >>> 24,
    cumulativeLost,
    extendedHighestSequence: view.getUint32(offset + 8),
    jitter: view.getUint32(offset + 12),
    lastSenderReport: view.getUint32(offset + 16),
    delaySinceLastSenderReport: view.getUint32(offset + 20),
  };
}

export function writeReportBlock(view: DataView, offset: number, block: ReportBlock): void {
  // Clamp to the signed 24-bit range (RFC 3550 §6.4.1).
  const lost = Math.max(-0x800000, Math.min(0x7fffff, block.cumulativeLost));
  view.setUint32(offset, block.ssrc >>> 0);
  view.setUint32(offset + 4, (((block.fractionLost & 0xff) << 24) | (lost & 0xffffff)) >>> 0);
  view.setUint32(offset + 8, block.extendedHighestSequence >>> 0);
  view.setUint32(offset + 12, block.jitter >>> 0);
  view.setUint32(offset + 16, block.lastSenderReport >>> 0);
  view.setUint32(offset + 20, block.delaySinceLastSenderReport >>> 0);
}
