import { digitToEvent } from '../dtmf/telephone-event.ts';

/**
 * A continuous sum of sines (one for a test tone, two for DTMF), frame after frame without
 * phase jumps. Amplitude is per component, as a fraction of full scale.
 */
export class ToneGenerator {
  readonly #steps: number[];
  readonly #amplitude: number;
  #phases: number[];

  constructor(frequencies: readonly number[], options: { sampleRate?: number; amplitude?: number } = {}) {
    const rate = options.sampleRate ?? 8000;
    this.#steps = frequencies.map((f) => (2 * Math.PI * f) / rate);
    this.#phases = frequencies.map(() => 0);
    this.#amplitude = (options.amplitude ?? 0.3) * 32767;
  }

  /** The next `count` samples. */
  next(count: number): Int16Array {
    const out = new Int16Array(count);
    for (let i = 0; i < count; i++) {
      let v = 0;
      for (let k = 0; k < this.#steps.length; k++) {
        v += Math.sin(this.#phases[k]!);
        this.#phases[k]! += this.#steps[k]!;
      }
      out[i] = Math.max(-32768, Math.min(32767, Math.round(v * this.#amplitude)));
    }
    this.#phases = this.#phases.map((p) => p % (2 * Math.PI));
    return out;
  }
}

/** `durationMs` of a sine (or sum of sines) at `sampleRate`. */
export function generateTone(
  frequencies: readonly number[],
  durationMs: number,
  options: { sampleRate?: number; amplitude?: number } = {},
): Int16Array {
  const rate = options.sampleRate ?? 8000;
  return new ToneGenerator(frequencies, options).next(Math.round((durationMs * rate) / 1000));
}

/** ITU-T Q.23 DTMF frequency pairs: rows 697–941 Hz, columns 1209–1633 Hz. */
export const DTMF_ROWS = [697, 770, 852, 941] as const;
export const DTMF_COLUMNS = [1209, 1336, 1477, 1633] as const;
const LAYOUT = ['123A', '456B', '789C', '*0#D'];

export function dtmfFrequencies(digit: string): [number, number] {
  if (digitToEvent(digit) === undefined) throw new RangeError(`not a DTMF digit: ${digit}`);
  const d = digit.toUpperCase();
  const row = LAYOUT.findIndex((r) => r.includes(d));
  const col = LAYOUT[row]!.indexOf(d);
  return [DTMF_ROWS[row]!, DTMF_COLUMNS[col]!];
}

/** An in-band DTMF digit (dual tone), -≈10 dBFS per component by default. */
export function generateDtmfTone(
  digit: string,
  durationMs: number,
  options: { sampleRate?: number; amplitude?: number } = {},
): Int16Array {
  return generateTone(dtmfFrequencies(digit), durationMs, { amplitude: 0.25, ...options });
}
