import { describe, expect, it } from 'vitest';
import { detectDtmfDigit, detectTone, dominantFrequency, goertzelPower } from './goertzel.ts';
import { dtmfFrequencies, generateDtmfTone, generateTone, ToneGenerator } from './tone-generator.ts';

describe('tones', () => {
  it('Goertzel finds the frequency that was generated', () => {
    const samples = generateTone([440], 200);
    expect(samples.length).toBe(1600);
    expect(dominantFrequency(samples)).toBe(440);
    expect(detectTone(samples, [350, 440, 480, 620])?.frequency).toBe(440);
    expect(detectTone(generateTone([1000], 100), [440, 480])).toBeUndefined();
    expect(detectTone(new Int16Array(800), [440])).toBeUndefined();
    expect(goertzelPower(samples, 440)).toBeGreaterThan(50 * goertzelPower(samples, 1000));
  });

  it('a generator continues its phase across frames', () => {
    const gen = new ToneGenerator([1000]);
    const frames = Array.from({ length: 10 }, () => gen.next(160));
    const joined = new Int16Array(1600);
    frames.forEach((f, i) => joined.set(f, i * 160));
    expect(joined).toEqual(generateTone([1000], 200));
  });

  it('generates and detects every DTMF digit', () => {
    expect(dtmfFrequencies('5')).toEqual([770, 1336]);
    for (const digit of '0123456789*#ABCD') expect(detectDtmfDigit(generateDtmfTone(digit, 40))).toBe(digit);
    expect(detectDtmfDigit(generateTone([440], 40))).toBeUndefined();
  });
});
