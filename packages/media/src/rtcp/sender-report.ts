import { malformed, ok, type ParseResult } from '../result.ts';
import { readReportBlock, REPORT_BLOCK_LENGTH, writeReportBlock, type ReportBlock } from './report-block.ts';
import { RTCP_HEADER_LENGTH, RtcpPacketType, writeRtcpHeader } from './rtcp-header.ts';

/**
 * Sender report (SR), RFC 3550 §6.4.1.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    RC   |   PT=SR=200   |             length            |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         SSRC of sender                        |  4
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |              NTP timestamp, most significant word             |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |             NTP timestamp, least significant word             | 12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         RTP timestamp                         | 16
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     sender's packet count                     | 20
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      sender's octet count                     | 24
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 report blocks (24 octets each)                | 28
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 */
export interface SenderReportFields {
  readonly ssrc: number;
  readonly ntpSeconds: number;
  readonly ntpFraction: number;
  readonly rtpTimestamp: number;
  readonly packetCount: number;
  readonly octetCount: number;
  readonly reports?: readonly ReportBlock[];
}

const SENDER_INFO_LENGTH = 24; // SSRC + 20 octets of sender info

export class SenderReport {
  readonly type = RtcpPacketType.SenderReport;
  readonly ssrc: number;
  readonly ntpSeconds: number;
  readonly ntpFraction: number;
  readonly rtpTimestamp: number;
  readonly packetCount: number;
  readonly octetCount: number;
  readonly reports: readonly ReportBlock[];

  constructor(fields: SenderReportFields) {
    this.ssrc = fields.ssrc >>> 0;
    this.ntpSeconds = fields.ntpSeconds >>> 0;
    this.ntpFraction = fields.ntpFraction >>> 0;
    this.rtpTimestamp = fields.rtpTimestamp >>> 0;
    this.packetCount = fields.packetCount >>> 0;
    this.octetCount = fields.octetCount >>> 0;
    this.reports = fields.reports ?? [];
  }

  /** `body` is the packet after the 4-octet common header, padding removed. */
  static parseBody(count: number, body: Uint8Array): ParseResult<SenderReport> {
    if (body.length < SENDER_INFO_LENGTH + count * REPORT_BLOCK_LENGTH)
      return malformed('SR shorter than its RC');
    const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
    const reports: ReportBlock[] = [];
    for (let i = 0; i < count; i++)
      reports.push(readReportBlock(view, SENDER_INFO_LENGTH + i * REPORT_BLOCK_LENGTH));
    return ok(
      new SenderReport({
        ssrc: view.getUint32(0),
        ntpSeconds: view.getUint32(4),
        ntpFraction: view.getUint32(8),
        rtpTimestamp: view.getUint32(12),
        packetCount: view.getUint32(16),
        octetCount: view.getUint32(20),
        reports,
      }),
    );
  }

  /**
   * The middle 32 bits of the NTP timestamp: what a receiver echoes as LSR (RFC 3550 §6.4.1).
   */
  get compactNtp(): number {
    return (((this.ntpSeconds & 0xffff) << 16) | (this.ntpFraction >>> 16)) >>> 0;
  }

  serialize(): Uint8Array {
    const length = RTCP_HEADER_LENGTH + SENDER_INFO_LENGTH + this.reports.length * REPORT_BLOCK_LENGTH;
    const out = new Uint8Array(length);
    const view = new DataView(out.buffer);
    writeRtcpHeader(view, 0, this.reports.length, this.type, length);
    view.setUint32(4, this.ssrc);
    view.setUint32(8, this.ntpSeconds);
    view.setUint32(12, this.ntpFraction);
    view.setUint32(16, this.rtpTimestamp);
    view.setUint32(20, this.packetCount);
    view.setUint32(24, this.octetCount);
    this.reports.forEach((block, i) => writeReportBlock(view, 28 + i * REPORT_BLOCK_LENGTH, block));
    return out;
  }
}
