import { describe, expect, it } from 'vitest';
import { dominantFrequency } from '../tone/goertzel.ts';
import { generateTone } from '../tone/tone-generator.ts';
import { AudioMixer } from './audio-mixer.ts';

describe('AudioMixer', () => {
  it('gives each participant everyone but themselves', () => {
    const mixer = new AudioMixer(800);
    for (const id of ['a', 'b', 'c']) mixer.add(id);
    mixer.push('a', generateTone([400], 100, { amplitude: 0.2 }));
    mixer.push('b', generateTone([1000], 100, { amplitude: 0.2 }));
    mixer.push('c', new Int16Array(800));
    const heard = mixer.mix();
    expect(dominantFrequency(heard.get('a')!)).toBe(1000);
    expect(dominantFrequency(heard.get('b')!)).toBe(400);
    const c = heard.get('c')!;
    expect(Math.abs(dominantFrequency(c, { max: 700 }) - 400)).toBeLessThanOrEqual(10);
    expect(Math.abs(dominantFrequency(c, { min: 700 }) - 1000)).toBeLessThanOrEqual(10);
    // Frames are consumed: the next tick is silence.
    expect(
      mixer
        .mix()
        .get('a')!
        .every((v) => v === 0),
    ).toBe(true);
  });

  it('saturates instead of wrapping', () => {
    const mixer = new AudioMixer(2);
    for (const id of ['a', 'b', 'c']) mixer.add(id);
    mixer.push('a', Int16Array.of(30000, -30000));
    mixer.push('b', Int16Array.of(30000, -30000));
    expect([...mixer.mix().get('c')!]).toEqual([32767, -32768]);
  });
});
