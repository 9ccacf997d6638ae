import { DTMF_COLUMNS, DTMF_ROWS } from './tone-generator.ts';

/**
 * Goertzel's algorithm: the power of one frequency in a block of samples, at the cost of one
 * multiply-add per sample. Normalised so a full-scale sine at `frequency` scores ≈ 1.
 */
export function goertzelPower(samples: Int16Array, frequency: number, sampleRate = 8000): number {
  const n = samples.length;
  if (n === 0) return 0;
  const coeff = 2 * Math.cos((2 * Math.PI * frequency) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const s0 = samples[i]! / 32768 + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (4 * power) / (n * n);
}

/** Mean power of the block (a full-scale sine scores 0.5), to judge a tone against the rest. */
export function signalPower(samples: Int16Array): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]! / 32768;
    sum += v * v;
  }
  return samples.length === 0 ? 0 : sum / samples.length;
}

export interface ToneDetection {
  readonly frequency: number;
  /** The candidate's share of the block's power, 0–1 (1 = a pure tone at that frequency). */
  readonly purity: number;
}

/**
 * Which of `candidates` the block holds, or undefined if none dominates (silence, noise, or a
 * frequency not in the list). A pure sine's Goertzel power ≈ 2 × its mean power.
 */
export function detectTone(
  samples: Int16Array,
  candidates: readonly number[],
  options: { sampleRate?: number; minPurity?: number } = {},
): ToneDetection | undefined {
  const rate = options.sampleRate ?? 8000;
  const total = signalPower(samples);
  if (total < 1e-6) return undefined;
  let best: ToneDetection | undefined;
  for (const frequency of candidates) {
    const purity = goertzelPower(samples, frequency, rate) / (2 * total);
    if (!best || purity > best.purity) best = { frequency, purity };
  }
  return best && best.purity >= (options.minPurity ?? 0.5) ? best : undefined;
}

/** The strongest frequency in [min, max] by `step` Hz, for tests that ask "what was heard?". */
export function dominantFrequency(
  samples: Int16Array,
  options: { sampleRate?: number; min?: number; max?: number; step?: number } = {},
): number {
  const rate = options.sampleRate ?? 8000;
  let best = 0;
  let bestPower = -1;
  for (let f = options.min ?? 100; f <= (options.max ?? 3800); f += options.step ?? 10) {
    const p = goertzelPower(samples, f, rate);
    if (p > bestPower) {
      bestPower = p;
      best = f;
    }
  }
  return best;
}

/**
 * The DTMF digit in a block (≥ 20 ms recommended), or undefined: the strongest row and column
 * must each dominate their group and together carry most of the block's power.
 */
export function detectDtmfDigit(samples: Int16Array, sampleRate = 8000): string | undefined {
  const total = signalPower(samples);
  if (total < 1e-6) return undefined;
  const rows = DTMF_ROWS.map((f) => goertzelPower(samples, f, sampleRate));
  const cols = DTMF_COLUMNS.map((f) => goertzelPower(samples, f, sampleRate));
  const r = argmax(rows);
  const c = argmax(cols);
  const share = (rows[r]! + cols[c]!) / (2 * total);
  if (share < 0.6) return undefined;
  return ['123A', '456B', '789C', '*0#D'][r]![c];
}

function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
