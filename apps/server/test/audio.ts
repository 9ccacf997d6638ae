// What a phone heard, from the WAV it recorded: the dominant frequency of its loudest second.
import { readFile } from 'node:fs/promises';
import { dominantFrequency, readWav } from '@switchboard/media';

export interface HeardAudio {
  readonly seconds: number;
  /** Dominant frequency (Hz) of the analysed window, 0 when the window is silent. */
  readonly frequency: number;
  /** RMS level of the analysed window, in 16-bit sample units. */
  readonly rms: number;
}

/** Analyses channel 0 of a WAV file: the one-second window with the most energy. */
export async function analyseHeard(file: string): Promise<HeardAudio> {
  const wav = readWav(new Uint8Array(await readFile(file)));
  if (!wav.ok) throw new Error(`${file}: ${wav.error}`);
  const { samples, channels, sampleRate } = wav.value;
  const mono = new Int16Array(Math.floor(samples.length / channels));
  for (let i = 0; i < mono.length; i++) mono[i] = samples[i * channels] ?? 0;
  const window = Math.min(sampleRate, mono.length);
  let best = { start: 0, energy: -1 };
  for (let start = 0; start + window <= mono.length; start += Math.floor(sampleRate / 4)) {
    let energy = 0;
    for (let i = start; i < start + window; i++) energy += (mono[i] ?? 0) ** 2;
    if (energy > best.energy) best = { start, energy };
  }
  const slice = mono.subarray(best.start, best.start + window);
  const rms = Math.sqrt(Math.max(best.energy, 0) / Math.max(window, 1));
  return {
    seconds: mono.length / sampleRate,
    frequency: rms < 30 ? 0 : dominantFrequency(slice, { sampleRate, min: 100, max: 3800, step: 10 }),
    rms,
  };
}
