// What a phone heard, frequency by frequency: the share of a WAV's power at given frequencies,
// over the whole file or the best one-second window (Goertzel, @switchboard/media).
import { readFile } from 'node:fs/promises';
import { goertzelPower, readWav, signalPower } from '@switchboard/media';

export interface Heard {
  readonly sampleRate: number;
  /** Channel 0, as 16-bit samples. */
  readonly samples: Int16Array;
}

export async function readHeard(file: string): Promise<Heard> {
  const wav = readWav(new Uint8Array(await readFile(file)));
  if (!wav.ok) throw new Error(`${file}: ${wav.error}`);
  const { samples, channels, sampleRate } = wav.value;
  const mono = new Int16Array(Math.floor(samples.length / channels));
  for (let i = 0; i < mono.length; i++) mono[i] = samples[i * channels] ?? 0;
  return { sampleRate, samples: mono };
}

/**
 * Share of the audio's power at `hz` (a pure tone ≈ 1, absent ≈ 0), measured over blocks of
 * 1/8 s: a jitter buffer's small jumps would break one long Goertzel sum, not the short ones.
 */
export function share(samples: Int16Array, hz: number, sampleRate: number): number {
  const size = Math.max(1, Math.floor(sampleRate / 8));
  let tone = 0;
  let total = 0;
  for (let start = 0; start + size <= samples.length; start += size) {
    const block = samples.subarray(start, start + size);
    tone += goertzelPower(block, hz, sampleRate);
    total += 2 * signalPower(block);
  }
  return total < 1e-9 ? 0 : tone / total;
}

/** Each one-second window (stepping by a quarter second) and the shares of `frequencies` in it. */
export function windows(heard: Heard, frequencies: readonly number[]): { start: number; shares: number[] }[] {
  const size = heard.sampleRate;
  const out: { start: number; shares: number[] }[] = [];
  for (let start = 0; start + size <= heard.samples.length; start += Math.floor(size / 4)) {
    const block = heard.samples.subarray(start, start + size);
    out.push({
      start: start / heard.sampleRate,
      shares: frequencies.map((f) => share(block, f, heard.sampleRate)),
    });
  }
  return out;
}

/** The highest share of `hz` in any one-second window. */
export function peakShare(heard: Heard, hz: number): number {
  return Math.max(0, ...windows(heard, [hz]).map((w) => w.shares[0]!));
}
