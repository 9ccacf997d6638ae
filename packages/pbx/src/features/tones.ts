// The sounds the PBX plays itself: the default music on hold (a gentle melody made of sine
// tones, so the project ships no audio file), ringback while a transfer target rings, and short
// beeps that confirm or refuse a feature code. 16-bit mono at 8 kHz, played into relay legs.
import { ToneGenerator } from '@switchboard/media';
import type { PlaybackAudio } from '../call/media-port.ts';

const RATE = 8000;

/** A note: frequencies (a chord) for `ms`, with a soft attack and release (no clicks). */
function note(frequencies: readonly number[], ms: number, amplitude = 0.18): Int16Array {
  const count = Math.round((ms * RATE) / 1000);
  const samples = new ToneGenerator(frequencies, { amplitude: amplitude / frequencies.length }).next(count);
  const ramp = Math.min(Math.round(0.03 * RATE), Math.floor(count / 2));
  for (let i = 0; i < ramp; i++) {
    const gain = i / ramp;
    samples[i] = Math.round(samples[i]! * gain);
    samples[count - 1 - i] = Math.round(samples[count - 1 - i]! * gain);
  }
  return samples;
}

const silence = (ms: number): Int16Array => new Int16Array(Math.round((ms * RATE) / 1000));

function join(parts: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// Equal-tempered pitches (A4 = 440 Hz).
const C4 = 261.63;
const E4 = 329.63;
const G4 = 392.0;
const A4 = 440.0;
const B4 = 493.88;
const C5 = 523.25;
const D5 = 587.33;
const E5 = 659.25;
const F4 = 349.23;

let moh: PlaybackAudio | undefined;

/**
 * The default music on hold: a slow arpeggiated I–vi–IV–V progression in C major over a soft
 * chord, about 10 s, looped. Never silent for more than a breath, so a held caller knows the
 * call is still there.
 */
export function defaultMusicOnHold(): PlaybackAudio {
  if (moh) return moh;
  const bar = (chord: readonly number[], melody: readonly number[]): Int16Array[] =>
    melody.map((pitch) => {
      const lead = note([pitch], 600, 0.16);
      const pad = note(chord, 600, 0.08);
      return lead.map((v, i) => Math.max(-32768, Math.min(32767, v + pad[i]!))) as Int16Array;
    });
  const samples = join([
    ...bar([C4, E4, G4], [C5, E5, G4, E5]),
    ...bar([A4 / 2, C4, E4], [A4, C5, E5, C5]),
    ...bar([F4, A4, C5], [F4 * 2, A4, C5, A4]),
    ...bar([G4, B4, D5], [G4, B4, D5, B4]),
    silence(200),
  ]);
  moh = { sampleRate: RATE, samples };
  return moh;
}

/** Ringback (ITU-T E.180 / ETSI: 425 Hz, 1 s on, 4 s off), looped. */
export function ringback(): PlaybackAudio {
  return { sampleRate: RATE, samples: join([note([425], 1000, 0.2), silence(4000)]) };
}

/** Three rising beeps: the feature code worked. */
export function confirmationBeeps(): PlaybackAudio {
  return {
    sampleRate: RATE,
    samples: join([
      silence(200),
      note([660], 150),
      silence(80),
      note([880], 150),
      silence(80),
      note([1100], 250),
    ]),
  };
}

/** The special information tone (950, 1400, 1800 Hz): the code or the transfer was refused. */
export function errorBeeps(): PlaybackAudio {
  return {
    sampleRate: RATE,
    samples: join([silence(200), note([950], 300), note([1400], 300), note([1800], 300)]),
  };
}

/** How long `audio` plays, in ms. */
export const durationMs = (audio: PlaybackAudio): number => (audio.samples.length * 1000) / audio.sampleRate;
