import { readFile } from 'node:fs/promises';
import { generateTone, readWav } from '@switchboard/media';
import type { PlaySource } from './endpoint-types.ts';

const RATE = 8000;

/**
 * Turns what the PBX asks to play into one track of 8 kHz mono samples: WAV files are read
 * (PCM, μ-law or A-law), mixed down to mono and resampled when they are not 8 kHz; tones are
 * generated; silence is zeros.
 */
export async function loadSources(sources: readonly PlaySource[]): Promise<Int16Array> {
  const parts: Int16Array[] = [];
  for (const source of sources) parts.push(await loadSource(source));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Int16Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function loadSource(source: PlaySource): Promise<Int16Array> {
  if ('samples' in source) return resample(source.samples, source.sampleRate ?? RATE);
  if ('tone' in source)
    return generateTone(source.tone, source.durationMs, { amplitude: source.amplitude ?? 0.25 });
  if ('silenceMs' in source) return new Int16Array(Math.round((source.silenceMs * RATE) / 1000));
  const wav = readWav(new Uint8Array(await readFile(source.file)));
  if (!wav.ok) throw new Error(`${source.file}: ${wav.error}`);
  const { samples, channels, sampleRate } = wav.value;
  return resample(downmix(samples, channels), sampleRate);
}

function downmix(samples: Int16Array, channels: number): Int16Array {
  if (channels <= 1) return samples;
  const out = new Int16Array(Math.floor(samples.length / channels));
  for (let i = 0; i < out.length; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += samples[i * channels + c]!;
    out[i] = Math.round(sum / channels);
  }
  return out;
}

/** Linear interpolation: good enough for prompts and greetings on a telephone line. */
function resample(samples: Int16Array, from: number): Int16Array {
  if (from === RATE || samples.length === 0) return samples;
  const out = new Int16Array(Math.floor((samples.length * RATE) / from));
  const step = from / RATE;
  for (let i = 0; i < out.length; i++) {
    const x = i * step;
    const j = Math.floor(x);
    const a = samples[j]!;
    const b = samples[Math.min(j + 1, samples.length - 1)]!;
    out[i] = Math.round(a + (b - a) * (x - j));
  }
  return out;
}
