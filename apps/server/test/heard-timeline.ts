// What a phone heard over time, from the WAV it recorded: the dominant frequency and level of
// each short window, to check an order of events (a tone, then music on hold, then the tone).
import { readFile } from 'node:fs/promises';
import { dominantFrequency, readWav } from '@switchboard/media';

export interface HeardWindow {
  /** Dominant frequency in Hz; 0 when the window is (nearly) silent. */
  readonly frequency: number;
  readonly rms: number;
}

export async function heardTimeline(file: string, windowMs = 250): Promise<HeardWindow[]> {
  const wav = readWav(new Uint8Array(await readFile(file)));
  if (!wav.ok) throw new Error(`${file}: ${wav.error}`);
  const { samples, channels, sampleRate } = wav.value;
  const mono = new Int16Array(Math.floor(samples.length / channels));
  for (let i = 0; i < mono.length; i++) mono[i] = samples[i * channels] ?? 0;
  const size = Math.round((sampleRate * windowMs) / 1000);
  const out: HeardWindow[] = [];
  for (let start = 0; start + size <= mono.length; start += size) {
    const slice = mono.subarray(start, start + size);
    let energy = 0;
    for (const v of slice) energy += v * v;
    const rms = Math.sqrt(energy / size);
    out.push({
      rms,
      frequency: rms < 100 ? 0 : dominantFrequency(slice, { sampleRate, min: 100, max: 3800, step: 10 }),
    });
  }
  return out;
}

/** Indexes of windows whose frequency is within `tolerance` Hz of `hz`. */
export function windowsAt(timeline: readonly HeardWindow[], hz: number, tolerance = 25): number[] {
  return timeline.flatMap((w, i) => (w.frequency > 0 && Math.abs(w.frequency - hz) <= tolerance ? [i] : []));
}

/** Indexes of audible windows whose frequency lies in [min, max] Hz (music on hold is below 1 kHz). */
export function windowsBetween(timeline: readonly HeardWindow[], min: number, max: number): number[] {
  return timeline.flatMap((w, i) => (w.frequency >= min && w.frequency <= max ? [i] : []));
}

/** A compact picture of the timeline for assertion messages. */
export const describeTimeline = (timeline: readonly HeardWindow[]): string =>
  timeline.map((w) => (w.frequency === 0 ? '.' : String(Math.round(w.frequency)))).join(' ');
