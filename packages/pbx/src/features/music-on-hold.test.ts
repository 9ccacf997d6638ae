import { describe, expect, it } from 'vitest';
import { dominantFrequency, readWav, writeWav } from '@switchboard/media';
import { musicFromWav, musicWav } from './music-on-hold.ts';

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
