// A tenant's own music on hold from an uploaded WAV (PCM 16-bit, μ-law or A-law, any rate, mono
// or stereo) or MP3 (MPEG-1/2/2.5 Layer I–III): mixed down to mono and resampled to 8 kHz,
// what G.711 legs carry.
import { decodeMpegAudio, looksLikeMpegAudio, readWav, writeWav } from '@switchboard/media';
import type { PlaybackAudio } from '../call/media-port.ts';

export const MUSIC_MIN_MS = 1000;
export const MUSIC_MAX_MS = 300_000;

export type MusicResult =
  | { readonly ok: true; readonly audio: PlaybackAudio; readonly durationMs: number }
  | { readonly ok: false; readonly reason: string };

export interface UploadOptions {
  /** Awaited now and then while decoding, to let a server's other work run (see decodeMpegAudio). */
  readonly pause?: () => Promise<void>;
}

/** The track an uploaded WAV file makes, or why it cannot be one. */
export function musicFromWav(bytes: Uint8Array): MusicResult {
  const wav = readWav(bytes);
  if (!wav.ok) return { ok: false, reason: `not a WAV file we can read (${wav.error})` };
  return musicFromPcm(wav.value);
}

/** The track an uploaded MP3 file makes, or why it cannot be one (corrupt, cut short, too long). */
export async function musicFromMp3(bytes: Uint8Array, options: UploadOptions = {}): Promise<MusicResult> {
  // The frames are counted before decoding: a 2-hour file is refused without decoding it.
  const mp3 = await decodeMpegAudio(bytes, {
    maxDurationMs: MUSIC_MAX_MS,
    // Five minutes of 48 kHz stereo are 58 MB as 16-bit samples: mix down while decoding.
    mono: true,
    ...(options.pause && { pause: options.pause }),
  });
  if (!mp3.ok) return { ok: false, reason: `not an MP3 file we can read (${mp3.error})` };
  return musicFromPcm(mp3.value);
}

/** An uploaded file, WAV or MP3 (told apart by their first bytes). */
export async function musicFromUpload(bytes: Uint8Array, options: UploadOptions = {}): Promise<MusicResult> {
  if (bytes.length >= 4 && String.fromCharCode(...bytes.subarray(0, 4)) === 'RIFF')
    return musicFromWav(bytes);
  if (looksLikeMpegAudio(bytes)) return musicFromMp3(bytes, options);
  return { ok: false, reason: 'neither a WAV nor an MP3 file' };
}

function musicFromPcm(audio: { samples: Int16Array; channels: number; sampleRate: number }): MusicResult {
  const { samples, channels, sampleRate } = audio;
  if (channels < 1 || sampleRate < 4000)
    return { ok: false, reason: 'unsupported channel count or sample rate' };
  const frames = Math.floor(samples.length / channels);
  const durationMs = Math.round((frames * 1000) / sampleRate);
  if (durationMs < MUSIC_MIN_MS || durationMs > MUSIC_MAX_MS)
    return { ok: false, reason: 'the track must last between 1 second and 5 minutes' };
  const mono = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += samples[i * channels + c]!;
    mono[i] = sum / channels;
  }
  return { ok: true, audio: { sampleRate: 8000, samples: resample(mono, sampleRate, 8000) }, durationMs };
}

/**
 * Linear-interpolation resampling. Going down, each output sample first averages the input
 * samples it stands for (a box filter), which keeps most aliasing out of the telephone band.
 */
function resample(input: Float32Array, from: number, to: number): Int16Array {
  if (from === to) return Int16Array.from(input, (v) => Math.round(v));
  const ratio = from / to;
  const out = new Int16Array(Math.floor(input.length / ratio));
  const span = Math.max(1, Math.floor(ratio));
  for (let i = 0; i < out.length; i++) {
    const position = i * ratio;
    const at = Math.floor(position);
    let value: number;
    if (ratio > 1) {
      let sum = 0;
      let n = 0;
      for (let k = at; k < Math.min(at + span, input.length); k++, n++) sum += input[k]!;
      value = n > 0 ? sum / n : 0;
    } else {
      const frac = position - at;
      value = input[at]! * (1 - frac) + (input[Math.min(at + 1, input.length - 1)] ?? 0) * frac;
    }
    out[i] = Math.max(-32768, Math.min(32767, Math.round(value)));
  }
  return out;
}

/** The track as the WAV file stored for it (PCM 16-bit, 8 kHz, mono). */
export function musicWav(audio: PlaybackAudio): Uint8Array {
  return writeWav({ format: 'pcm16', sampleRate: audio.sampleRate, channels: 1, samples: audio.samples });
}
