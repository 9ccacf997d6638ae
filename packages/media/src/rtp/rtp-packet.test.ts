import { describe, expect, it } from 'vitest';
import { hex, toHex } from '../test-hex.ts';
import { RtpPacket } from './rtp-packet.ts';
import * as fields from './rtp-header-fields.ts';

describe('RtpPacket', () => {
  it('parses and re-serializes a plain PCMA packet (golden bytes)', () => {
    const bytes = hex('80 88 12 34  00 00 03 e8  de ad be ef  d5 d5 55 55');
    const r = RtpPacket.parse(bytes);
    if (!r.ok) throw new Error(r.error);
    const p = r.value;
    expect(p.marker).toBe(true);
    expect(p.payloadType).toBe(8);
    expect(p.sequenceNumber).toBe(0x1234);
    expect(p.timestamp).toBe(1000);
    expect(p.ssrc).toBe(0xdeadbeef);
    expect(p.csrcs).toEqual([]);
    expect(p.extension).toBeUndefined();
    expect(toHex(p.payload)).toBe('d5d55555');
    expect(toHex(p.serialize())).toBe(toHex(bytes));
  });

  it('parses CSRC, header extension and padding (golden bytes)', () => {
    const bytes = hex(
      'b1 65 00 01  00 00 00 10  11 22 33 44  55 66 77 88  be de 00 01  10 aa 00 00  01 02 03  00 00 03',
    );
    const r = RtpPacket.parse(bytes);
    if (!r.ok) throw new Error(r.error);
    const p = r.value;
    expect(p.marker).toBe(false);
    expect(p.payloadType).toBe(101);
    expect(p.csrcs).toEqual([0x55667788]);
    expect(p.extension?.profile).toBe(0xbede);
    expect(toHex(p.extension!.data)).toBe('10aa0000');
    expect(toHex(p.payload)).toBe('010203');
    expect(p.paddingLength).toBe(3);
    expect(toHex(p.serialize())).toBe(toHex(bytes));
    expect(fields.payloadBounds(bytes)).toEqual({ start: 24, end: 27 });
  });

  it('returns an error, never throws, for malformed packets', () => {
    const cases = [
      hex(''),
      hex('80 00 00'),
      hex('40 00 00 01 00 00 00 00 00 00 00 00'), // version 1
      hex('8f 00 00 01 00 00 00 00 00 00 00 00'), // 15 CSRCs announced, none present
      hex('90 00 00 01 00 00 00 00 00 00 00 00 be de 00 05'), // extension longer than packet
      hex('a0 00 00 01 00 00 00 00 00 00 00 00 00'), // padding count 0
      hex('a0 00 00 01 00 00 00 00 00 00 00 00 01 02 09'), // padding beyond payload
    ];
    for (const c of cases) expect(RtpPacket.parse(c).ok).toBe(false);
  });

  it('survives random bytes', () => {
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
    for (let n = 0; n < 2000; n++) {
      const b = new Uint8Array(n % 64).map(() => rnd());
      expect(() => RtpPacket.parse(b)).not.toThrow();
    }
  });

  it('reads and rewrites header fields in place', () => {
    const bytes = new RtpPacket({
      payloadType: 0,
      sequenceNumber: 65535,
      timestamp: 0xfffffff0,
      ssrc: 1,
      payload: new Uint8Array(160),
    }).serialize();
    expect(fields.isRtpLike(bytes)).toBe(true);
    expect(fields.readSequenceNumber(bytes)).toBe(65535);
    expect(fields.readTimestamp(bytes)).toBe(0xfffffff0);
    fields.writeSequenceNumber(bytes, 7);
    fields.writeTimestamp(bytes, 0x80000001);
    fields.writeSsrc(bytes, 0xcafebabe);
    fields.writePayloadType(bytes, 101);
    const p = RtpPacket.parse(bytes);
    if (!p.ok) throw new Error(p.error);
    expect([p.value.sequenceNumber, p.value.timestamp, p.value.ssrc, p.value.payloadType]).toEqual([
      7, 0x80000001, 0xcafebabe, 101,
    ]);
  });

  it('tells RTCP from RTP on a muxed port (RFC 5761 §4)', () => {
    expect(fields.isRtcpInMux(hex('81 c8 00 0c'))).toBe(true);
    expect(fields.isRtcpInMux(hex('80 00 00 01'))).toBe(false);
    expect(fields.isRtcpInMux(hex('80 e5 00 01'))).toBe(false); // marker + PT 101
  });
});
