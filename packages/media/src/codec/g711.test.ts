import { describe, expect, it } from 'vitest';
import { defaultCodecRegistry } from './codec-registry.ts';
import { alawToLinear, linearToAlaw, linearToUlaw, PCMA, PCMU, ulawToLinear } from './g711.ts';
import { l16Decode, l16Encode } from './l16.ts';
import { createTranscoder, transcodeG711InPlace } from './transcoder.ts';

describe('G.711', () => {
  it('encodes the reference code points', () => {
    // Silence: μ-law 0xFF, A-law 0xD5 (even bits inverted, ITU-T G.711 table 1/2).
    expect(linearToUlaw(0)).toBe(0xff);
    expect(linearToAlaw(0)).toBe(0xd5);
    expect(linearToUlaw(32767)).toBe(0x80);
    expect(linearToUlaw(-32768)).toBe(0x00);
    expect(linearToAlaw(32767)).toBe(0xaa);
    expect(linearToAlaw(-32768)).toBe(0x2a);
    expect(ulawToLinear(0x00)).toBe(-32124);
    expect(ulawToLinear(0x80)).toBe(32124);
    expect(ulawToLinear(0xff)).toBe(0);
    expect(alawToLinear(0xd5)).toBe(8);
    expect(alawToLinear(0x55)).toBe(-8);
    expect(alawToLinear(0xaa)).toBe(32256);
  });

  it('round-trips every code (decode then encode is the identity)', () => {
    for (let code = 0; code < 256; code++) {
      // μ-law has two zeros (0x7F and 0xFF): both decode to 0, which encodes to 0xFF.
      if (code !== 0x7f) expect(linearToUlaw(ulawToLinear(code))).toBe(code);
      expect(linearToAlaw(alawToLinear(code))).toBe(code);
    }
  });

  it('keeps the quantisation error within a segment step', () => {
    // The step doubles per segment: the error stays under 1/16 of the magnitude, plus the
    // bias near zero.
    let worstU = 0;
    let worstA = 0;
    for (let s = -32768; s < 32768; s++) {
      const allowed = Math.max(16, Math.abs(s) / 16);
      worstU = Math.max(worstU, Math.abs(ulawToLinear(linearToUlaw(s)) - s) - allowed);
      worstA = Math.max(worstA, Math.abs(alawToLinear(linearToAlaw(s)) - s) - allowed);
    }
    expect(worstU).toBeLessThanOrEqual(132);
    expect(worstA).toBeLessThanOrEqual(8);
  });

  it('transcodes PCMU to PCMA and back, by table and in place', () => {
    const samples = Int16Array.from({ length: 160 }, (_, i) => Math.round(10000 * Math.sin(i / 5)));
    const ulaw = PCMU.encode(samples);
    const toA = createTranscoder(PCMU, PCMA)!;
    const alaw = toA(ulaw);
    const back = PCMA.decode(alaw);
    for (let i = 0; i < samples.length; i++) expect(Math.abs(back[i]! - samples[i]!)).toBeLessThan(700);
    const copy = ulaw.slice();
    transcodeG711InPlace(copy, 0, copy.length, true);
    expect(copy).toEqual(alaw);
    expect(createTranscoder(PCMU, PCMU)).toBeUndefined();
  });

  it('registers codecs by name and static payload type', () => {
    const reg = defaultCodecRegistry();
    expect(reg.get('pcmu')).toBe(PCMU);
    expect(reg.get('PCMA', 8000)).toBe(PCMA);
    expect(reg.byStaticPayloadType(8)).toBe(PCMA);
    expect(reg.get('L16', 16000)?.clockRate).toBe(16000);
    expect(reg.get('opus', 48000)).toBeUndefined();
  });

  it('L16 is big-endian', () => {
    const bytes = l16Encode(Int16Array.of(1, -2, 0x1234));
    expect([...bytes]).toEqual([0x00, 0x01, 0xff, 0xfe, 0x12, 0x34]);
    expect([...l16Decode(bytes)]).toEqual([1, -2, 0x1234]);
  });
});
