import { describe, expect, it } from 'vitest';
import { toHex } from '../test-hex.ts';
import { dominantFrequency } from '../tone/goertzel.ts';
import { generateTone } from '../tone/tone-generator.ts';
import { readWav, writeWav, type WavFormat } from './wav.ts';

describe('WAV', () => {
  it('writes the canonical 44-octet PCM header', () => {
    const bytes = writeWav({ format: 'pcm16', sampleRate: 8000, channels: 1, samples: Int16Array.of(1, -1) });
    expect(toHex(bytes)).toBe(
      '52494646' +
        '28000000' +
        '57415645' +
        '666d7420' +
        '10000000' +
        '0100' +
        '0100' +
        '401f0000' +
        '803e0000' +
        '0200' +
        '1000' +
        '64617461' +
        '04000000' +
        '0100' +
        'ffff',
    );
  });

  it.each<WavFormat>(['pcm16', 'pcmu', 'pcma'])('round-trips a tone as %s', (format) => {
    const samples = generateTone([1000], 100);
    const r = readWav(writeWav({ format, sampleRate: 8000, channels: 1, samples }));
    if (!r.ok) throw new Error(r.error);
    expect(r.value.format).toBe(format);
    expect(r.value.sampleRate).toBe(8000);
    expect(r.value.samples.length).toBe(800);
    expect(dominantFrequency(r.value.samples)).toBe(1000);
    if (format === 'pcm16') expect(r.value.samples).toEqual(samples);
  });

  it('rejects what is not a WAV it can read', () => {
    expect(readWav(new TextEncoder().encode('hello')).ok).toBe(false);
    const bytes = writeWav({ format: 'pcm16', sampleRate: 8000, channels: 1, samples: new Int16Array(4) });
    bytes[20] = 3; // IEEE float
    expect(readWav(bytes).ok).toBe(false);
  });
});
