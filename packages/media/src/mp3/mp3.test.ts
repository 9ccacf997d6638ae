import { Mp3Encoder } from '@breezystack/lamejs';
import { describe, expect, it } from 'vitest';
import { dominantFrequency } from '../tone/goertzel.ts';
import { decodeMpegAudio } from './mp3-decoder.ts';
import { frameHeader, looksLikeMpegAudio, walkMpegFrames } from './mp3-frames.ts';

/** An MP3 of a sine tone, encoded by lamejs (a JS port of LAME). */
function mp3Tone(hz: number, seconds: number, rate: number, channels: 1 | 2 = 1): Uint8Array {
  const pcm = new Int16Array(Math.round(seconds * rate)).map((_, i) =>
    Math.round(9000 * Math.sin((2 * Math.PI * hz * i) / rate)),
  );
  const encoder = new Mp3Encoder(channels, rate, 64);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < pcm.length; i += 1152) {
    const block = pcm.subarray(i, i + 1152);
    parts.push(channels === 2 ? encoder.encodeBuffer(block, block) : encoder.encodeBuffer(block));
  }
  parts.push(encoder.flush());
  return concat(parts);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Channel 0 of interleaved samples. */
const first = (samples: Int16Array, channels: number): Int16Array =>
  samples.filter((_, i) => i % channels === 0);

describe('MPEG audio frames', () => {
  it('reads a Layer III header: MPEG-1, 128 kbit/s, 44.1 kHz, no padding → 417 bytes', () => {
    // FF FB: sync, MPEG-1, Layer III, no CRC; 90: bitrate index 9 (128), 44.1 kHz, no padding.
    expect(frameHeader(Uint8Array.of(0xff, 0xfb, 0x90, 0x64), 0)).toEqual({
      length: 417,
      samples: 1152,
      sampleRate: 44_100,
    });
    // MPEG-2 (FF F3), 64 kbit/s (index 8), 22.05 kHz: 72 × 64000 / 22050 = 208 bytes + padding.
    expect(frameHeader(Uint8Array.of(0xff, 0xf3, 0x82, 0x00), 0)).toEqual({
      length: 209,
      samples: 576,
      sampleRate: 22_050,
    });
    // Free format (bitrate 0), reserved rate (3), reserved layer: not frames.
    expect(frameHeader(Uint8Array.of(0xff, 0xfb, 0x00, 0x00), 0)).toBeUndefined();
    expect(frameHeader(Uint8Array.of(0xff, 0xfb, 0x9c, 0x00), 0)).toBeUndefined();
    expect(frameHeader(Uint8Array.of(0xff, 0xf9, 0x90, 0x00), 0)).toBeUndefined();
  });

  it('walks every frame of a file and measures its length', () => {
    const mp3 = mp3Tone(1000, 2, 44_100);
    expect(looksLikeMpegAudio(mp3)).toBe(true);
    const walked = walkMpegFrames(mp3);
    if (!walked.ok) throw new Error(walked.error);
    expect(walked.value.sampleRate).toBe(44_100);
    expect(walked.value.durationMs).toBeGreaterThanOrEqual(2000);
    expect(walked.value.durationMs).toBeLessThan(2200);
  });

  it('skips an ID3v2 tag in front and an ID3v1 tag behind', async () => {
    const mp3 = mp3Tone(1000, 1.5, 44_100);
    // "ID3" v2.4, no flags, syncsafe size 20, then 20 bytes of tag.
    const id3v2 = concat([Uint8Array.of(0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 20), new Uint8Array(20)]);
    const id3v1 = concat([new TextEncoder().encode('TAG'), new Uint8Array(125)]);
    const tagged = concat([id3v2, mp3, id3v1]);
    expect(looksLikeMpegAudio(tagged)).toBe(true);
    const walked = walkMpegFrames(tagged);
    expect(walked.ok && walked.value.start).toBe(30);
    expect(walked.ok && walked.value.end).toBe(30 + mp3.length);
    const decoded = await decodeMpegAudio(tagged);
    expect(decoded.ok && decoded.value.durationMs).toBeGreaterThanOrEqual(1500);
  });

  it('refuses random bytes, a cut-short file and garbage between frames', () => {
    const noise = new Uint8Array(4000).map((_, i) => (i * 7919 + 13) % 251);
    expect(walkMpegFrames(noise)).toEqual({ ok: false, error: 'no MPEG audio frames found' });
    const mp3 = mp3Tone(1000, 2, 44_100);
    const cut = walkMpegFrames(mp3.subarray(0, mp3.length - 100));
    expect(cut.ok || cut.error).toMatch(/cut short/);
    const damaged = mp3.slice();
    damaged.fill(0x55, 3000, 3600);
    const corrupt = walkMpegFrames(damaged);
    expect(corrupt.ok || corrupt.error).toMatch(/corrupt MPEG audio/);
  });
});

describe('MP3 decoding (libmpg123 as WebAssembly)', () => {
  it('decodes a 44.1 kHz tone to the same pitch and length', async () => {
    const decoded = await decodeMpegAudio(mp3Tone(1100, 2, 44_100));
    if (!decoded.ok) throw new Error(decoded.error);
    const { sampleRate, channels, samples, durationMs } = decoded.value;
    expect(sampleRate).toBe(44_100);
    expect(durationMs).toBeGreaterThanOrEqual(2000);
    const left = first(samples, channels);
    expect(
      dominantFrequency(left.subarray(44_100, 88_200), { sampleRate, min: 100, max: 4000, step: 10 }),
    ).toBe(1100);
  });

  it('decodes MPEG-2 (22.05 kHz) stereo', async () => {
    const decoded = await decodeMpegAudio(mp3Tone(700, 1.5, 22_050, 2));
    if (!decoded.ok) throw new Error(decoded.error);
    const { sampleRate, channels, samples } = decoded.value;
    expect(sampleRate).toBe(22_050);
    expect(channels).toBe(2);
    const left = first(samples, channels);
    expect(
      dominantFrequency(left.subarray(11_025, 22_050), { sampleRate, min: 100, max: 4000, step: 10 }),
    ).toBe(700);
  });

  it('mixes down to mono while decoding when asked', async () => {
    const decoded = await decodeMpegAudio(mp3Tone(700, 1.5, 22_050, 2), { mono: true });
    if (!decoded.ok) throw new Error(decoded.error);
    const { sampleRate, channels, samples, durationMs } = decoded.value;
    expect(channels).toBe(1);
    expect(samples.length / sampleRate).toBeCloseTo(durationMs / 1000, 2);
    expect(
      dominantFrequency(samples.subarray(11_025, 22_050), { sampleRate, min: 100, max: 4000, step: 10 }),
    ).toBe(700);
  });

  it('refuses an over-long stream before decoding it, and what the frame walk refuses', async () => {
    const mp3 = mp3Tone(1000, 2, 44_100);
    const long = await decodeMpegAudio(mp3, { maxDurationMs: 1000 });
    expect(long.ok || long.error).toMatch(/longer than allowed/);
    const cut = await decodeMpegAudio(mp3.subarray(0, 1000));
    expect(cut.ok || cut.error).toMatch(/cut short/);
  });
});
