import { malformed, ok, type ParseResult } from '../result.ts';
import { readReportBlock, REPORT_BLOCK_LENGTH, writeReportBlock, type ReportBlock } from './report-block.ts';
import { RTCP_HEADER_LENGTH, RtcpPacketType, writeRtcpHeader } from './rtcp-header.ts';

/**
 * Receiver report (RR), RFC 3550 §6.4.2.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    RC   |   PT=RR=201   |             length            |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     SSRC of packet sender                     |  4
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 report blocks (24 octets each)                |  8
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 */
export class ReceiverReport {
  readonly type = RtcpPacketType.ReceiverReport;
  readonly ssrc: number;
  readonly reports: readonly ReportBlock[];

  constructor(fields: { ssrc: number; reports?: readonly ReportBlock[] }) {
    this.ssrc = fields.ssrc >>> 0;
    this.reports = fields.reports ?? [];
  }

  static parseBody(count: number, body: Uint8Array): ParseResult<ReceiverReport> {
    if (body.length < 4 + count * REPORT_BLOCK_LENGTH) return malformed('RR shorter than its RC');
    const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
    const reports: ReportBlock[] = [];
    for (let i = 0; i < count; i++) reports.push(readReportBlock(view, 4 + i * REPORT_BLOCK_LENGTH));
    return ok(new ReceiverReport({ ssrc: view.getUint32(0), reports }));
  }

  serialize(): Uint8Array {
    const length = RTCP_HEADER_LENGTH + 4 + this.reports.length * REPORT_BLOCK_LENGTH;
    const out = new Uint8Array(length);
    const view = new DataView(out.buffer);
    writeRtcpHeader(view, 0, this.reports.length, this.type, length);
    view.setUint32(4, this.ssrc);
    this.reports.forEach((block, i) => writeReportBlock(view, 8 + i * REPORT_BLOCK_LENGTH, block));
    return out;
  }
}
