import { describe, expect, it } from 'vitest';
import { dominantFrequency, readWav, writeWav } from '@switchboard/media';
import { Mp3Encoder } from '@breezystack/lamejs';
import { musicFromUpload, musicFromWav, musicWav } from './music-on-hold.ts';

const tone = (hz: number, seconds: number, rate: number, channels: number): Uint8Array => {
  const frames = seconds * rate;
  const samples = new Int16Array(frames * channels);
  for (let i = 0; i < frames; i++)
    for (let c = 0; c < channels; c++)
      samples[i * channels + c] = Math.round(9000 * Math.sin((2 * Math.PI * hz * i) / rate));
  return writeWav({ format: 'pcm16', sampleRate: rate, channels, samples });
};

describe('music on hold from an uploaded WAV', () => {
  it('a 44.1 kHz stereo file becomes 8 kHz mono with the same pitch and length', () => {
    const result = musicFromWav(tone(700, 2, 44_100, 2));
    if (!result.ok) throw new Error(result.reason);
    expect(result.durationMs).toBe(2000);
    expect(result.audio.sampleRate).toBe(8000);
    expect(result.audio.samples.length).toBeGreaterThanOrEqual(15_990);
    expect(result.audio.samples.length).toBeLessThanOrEqual(16_000);
    expect(dominantFrequency(result.audio.samples.subarray(0, 8000))).toBeCloseTo(700, -1);
    const stored = readWav(musicWav(result.audio));
    expect(stored.ok && stored.value).toMatchObject({ format: 'pcm16', sampleRate: 8000, channels: 1 });
  });

  it('refuses what is no WAV, too short or too long', () => {
    expect(musicFromWav(new TextEncoder().encode('ID3 an mp3')).ok).toBe(false);
    expect(musicFromWav(tone(700, 0.5 as number, 8000, 1)).ok).toBe(false);
  });
});

describe('music on hold from an uploaded MP3', () => {
  it('a 44.1 kHz MP3 becomes 8 kHz mono with the same pitch; WAV and MP3 are told apart', async () => {
    const rate = 44_100;
    const pcm = new Int16Array(2 * rate).map((_, i) =>
      Math.round(9000 * Math.sin((2 * Math.PI * 900 * i) / rate)),
    );
    const encoder = new Mp3Encoder(1, rate, 64);
    const parts: Uint8Array[] = [];
    for (let i = 0; i < pcm.length; i += 1152) parts.push(encoder.encodeBuffer(pcm.subarray(i, i + 1152)));
    parts.push(encoder.flush());
    const mp3 = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      mp3.set(p, offset);
      offset += p.length;
    }
    const result = await musicFromUpload(mp3);
    if (!result.ok) throw new Error(result.reason);
    expect(result.audio.sampleRate).toBe(8000);
    expect(result.durationMs).toBeGreaterThanOrEqual(2000);
    expect(dominantFrequency(result.audio.samples.subarray(4000, 12_000))).toBeCloseTo(900, -1);
    expect((await musicFromUpload(tone(700, 2, 8000, 1))).ok).toBe(true);
    expect(await musicFromUpload(new TextEncoder().encode('neither a WAV nor an MP3 file'))).toEqual({
      ok: false,
      reason: 'neither a WAV nor an MP3 file',
    });
  });
});
