import { describe, expect, it } from 'vitest';
import { hex, toHex } from '../test-hex.ts';
import { Goodbye } from './goodbye.ts';
import { ReceiverReport } from './receiver-report.ts';
import { parseRtcp, serializeRtcp, UnknownRtcpPacket } from './rtcp-compound.ts';
import { SenderReport } from './sender-report.ts';
import { SourceDescription } from './source-description.ts';

const BLOCK = '55 66 77 88  40 00 00 05  00 01 12 34  00 00 00 20  b2 c3 80 00  00 01 00 00';
const SR = `81 c8 00 0c  11 22 33 44  e5 a1 b2 c3  80 00 00 00  00 00 a0 00  00 00 00 64  00 00 3e 80  ${BLOCK}`;
const SDES = '81 ca 00 04  11 22 33 44  01 07 62 6f 62 40 70 62 78 00 00 00';
const BYE = '81 cb 00 03  11 22 33 44  04 62 79 65 21 00 00 00';
const RR = `81 c9 00 07  11 22 33 44  ${BLOCK}`;

describe('RTCP compound packets', () => {
  it('parses SR + SDES + BYE field by field and serializes the same bytes', () => {
    const bytes = hex(SR + SDES + BYE);
    const r = parseRtcp(bytes);
    if (!r.ok) throw new Error(r.error);
    const [sr, sdes, bye] = r.value;
    expect(sr).toBeInstanceOf(SenderReport);
    const s = sr as SenderReport;
    expect(s.ssrc).toBe(0x11223344);
    expect([s.ntpSeconds, s.ntpFraction, s.rtpTimestamp, s.packetCount, s.octetCount]).toEqual([
      0xe5a1b2c3, 0x80000000, 0xa000, 100, 16000,
    ]);
    expect(s.compactNtp).toBe(0xb2c38000);
    expect(s.reports).toEqual([
      {
        ssrc: 0x55667788,
        fractionLost: 0x40,
        cumulativeLost: 5,
        extendedHighestSequence: 0x11234,
        jitter: 32,
        lastSenderReport: 0xb2c38000,
        delaySinceLastSenderReport: 0x10000,
      },
    ]);
    expect(sdes).toBeInstanceOf(SourceDescription);
    expect((sdes as SourceDescription).cname(0x11223344)).toBe('bob@pbx');
    expect(bye).toBeInstanceOf(Goodbye);
    expect((bye as Goodbye).sources).toEqual([0x11223344]);
    expect((bye as Goodbye).reason).toBe('bye!');
    expect(toHex(serializeRtcp(r.value))).toBe(toHex(bytes));
  });

  it('parses an RR and keeps unknown packet types byte for byte', () => {
    const app = '80 cc 00 02  11 22 33 44  61 62 63 64';
    const bytes = hex(RR + app);
    const r = parseRtcp(bytes);
    if (!r.ok) throw new Error(r.error);
    expect(r.value[0]).toBeInstanceOf(ReceiverReport);
    expect((r.value[0] as ReceiverReport).reports[0]?.fractionLost).toBe(0x40);
    expect(r.value[1]).toBeInstanceOf(UnknownRtcpPacket);
    expect(toHex(serializeRtcp(r.value))).toBe(toHex(bytes));
  });

  it('reads a negative cumulative loss (signed 24 bits)', () => {
    const r = parseRtcp(hex('81 c9 00 07  00 00 00 01  00 00 00 02  00 ff ff ff' + ' 00'.repeat(16)));
    if (!r.ok) throw new Error(r.error);
    expect((r.value[0] as ReceiverReport).reports[0]?.cumulativeLost).toBe(-1);
    expect(toHex(r.value[0]!.serialize())).toContain('00ffffff');
  });

  it('builds what it parses: SDES with several items and chunks, BYE without reason', () => {
    const sdes = new SourceDescription([
      {
        source: 1,
        items: [
          { type: 1, text: 'a@b' },
          { type: 6, text: 'switchboard' },
        ],
      },
      { source: 2, items: [{ type: 1, text: 'cdef' }] },
    ]);
    const bye = new Goodbye({ sources: [1, 2] });
    const r = parseRtcp(serializeRtcp([sdes, bye]));
    if (!r.ok) throw new Error(r.error);
    expect((r.value[0] as SourceDescription).chunks).toEqual(sdes.chunks);
    expect((r.value[1] as Goodbye).sources).toEqual([1, 2]);
    expect((r.value[1] as Goodbye).reason).toBeUndefined();
  });

  it('rejects malformed compounds without throwing', () => {
    const cases = [
      '',
      '81 c8 00',
      '41 c8 00 00 00 00 00 00', // version 1
      '81 c8 00 20 00 00 00 00', // length beyond datagram
      '81 c8 00 01 00 00 00 00', // SR with RC=1 but no room
      'a0 c9 00 01 00 00 00 00  80 c9 00 01 00 00 00 00', // padding before the last packet
      '81 ca 00 02 00 00 00 01 01 09 61 62', // SDES item overruns
      '81 cb 00 02 00 00 00 01 09 61 62 63', // BYE reason overruns
    ];
    for (const c of cases) expect(parseRtcp(hex(c)).ok, c).toBe(false);
    let seed = 3;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
    for (let n = 0; n < 2000; n++) {
      const b = new Uint8Array(4 + (n % 60)).map(() => rnd());
      b[0] = 0x80 | (b[0]! & 0x3f);
      expect(() => parseRtcp(b)).not.toThrow();
    }
  });
});
