import { alawToLinear, linearToAlaw, linearToUlaw, ulawToLinear } from '../codec/g711.ts';
import { malformed, ok, type ParseResult } from '../result.ts';

/**
 * WAV (RIFF WAVE) files: 16-bit PCM, μ-law and A-law, the formats a PBX records and plays.
 *
 * RIFF header:  "RIFF" <u32 size> "WAVE"
 * fmt chunk:    "fmt " <u32 16|18> <u16 format> <u16 channels> <u32 rate> <u32 byte rate>
 *               <u16 block align> <u16 bits> [<u16 cbSize = 0>]
 * fact chunk:   "fact" <u32 4> <u32 sample frames>      (non-PCM formats)
 * data chunk:   "data" <u32 size> <samples, little endian>
 * Chunks are padded to an even length.
 */
export type WavFormat = 'pcm16' | 'pcmu' | 'pcma';

const FORMAT_CODES: Record<WavFormat, number> = { pcm16: 1, pcma: 6, pcmu: 7 };

export interface WavAudio {
  readonly format: WavFormat;
  readonly sampleRate: number;
  readonly channels: number;
  /** Interleaved samples, decoded to 16-bit linear whatever the file's format. */
  readonly samples: Int16Array;
}

const ascii = (b: Uint8Array, at: number): string =>
  String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);

export function readWav(bytes: Uint8Array): ParseResult<WavAudio> {
  if (bytes.length < 12 || ascii(bytes, 0) !== 'RIFF' || ascii(bytes, 8) !== 'WAVE')
    return malformed('not a RIFF WAVE file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: { code: number; channels: number; rate: number; bits: number } | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = ascii(bytes, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) return malformed('fmt chunk too short');
      fmt = {
        code: view.getUint16(body, true),
        channels: view.getUint16(body + 2, true),
        rate: view.getUint32(body + 4, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (!fmt) return malformed('data chunk before fmt chunk');
      // Streams written live may carry a data size of 0 or beyond the file: take what is there.
      const end = size === 0 || body + size > bytes.length ? bytes.length : body + size;
      return decodeData(fmt, bytes.subarray(body, end));
    }
    offset = body + size + (size & 1);
  }
  return malformed('no data chunk');
}

function decodeData(
  fmt: { code: number; channels: number; rate: number; bits: number },
  data: Uint8Array,
): ParseResult<WavAudio> {
  const base = { sampleRate: fmt.rate, channels: fmt.channels };
  if (fmt.channels < 1) return malformed('WAV with no channel');
  if (fmt.code === 1 && fmt.bits === 16) {
    const samples = new Int16Array(data.length >> 1);
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 2, true);
    return ok({ format: 'pcm16', samples, ...base });
  }
  if ((fmt.code === 6 || fmt.code === 7) && fmt.bits === 8) {
    const decode = fmt.code === 7 ? ulawToLinear : alawToLinear;
    const samples = new Int16Array(data.length);
    for (let i = 0; i < data.length; i++) samples[i] = decode(data[i]!);
    return ok({ format: fmt.code === 7 ? 'pcmu' : 'pcma', samples, ...base });
  }
  return malformed(`unsupported WAV format ${fmt.code} with ${fmt.bits} bits`);
}

export function writeWav(audio: WavAudio): Uint8Array {
  const pcm = audio.format === 'pcm16';
  const bytesPerSample = pcm ? 2 : 1;
  const dataSize = audio.samples.length * bytesPerSample;
  const fmtSize = pcm ? 16 : 18;
  const factSize = pcm ? 0 : 12;
  const total = 12 + 8 + fmtSize + factSize + 8 + dataSize + (dataSize & 1);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  const tag = (at: number, s: string): void => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  tag(0, 'RIFF');
  view.setUint32(4, total - 8, true);
  tag(8, 'WAVE');
  tag(12, 'fmt ');
  view.setUint32(16, fmtSize, true);
  view.setUint16(20, FORMAT_CODES[audio.format], true);
  view.setUint16(22, audio.channels, true);
  view.setUint32(24, audio.sampleRate, true);
  view.setUint32(28, audio.sampleRate * audio.channels * bytesPerSample, true);
  view.setUint16(32, audio.channels * bytesPerSample, true);
  view.setUint16(34, bytesPerSample * 8, true);
  let at = 20 + fmtSize; // cbSize (if any) is already 0
  if (!pcm) {
    tag(at, 'fact');
    view.setUint32(at + 4, 4, true);
    view.setUint32(at + 8, audio.samples.length / audio.channels, true);
    at += 12;
  }
  tag(at, 'data');
  view.setUint32(at + 4, dataSize, true);
  at += 8;
  if (pcm) {
    for (let i = 0; i < audio.samples.length; i++) view.setInt16(at + i * 2, audio.samples[i]!, true);
  } else {
    const encode = audio.format === 'pcmu' ? linearToUlaw : linearToAlaw;
    for (let i = 0; i < audio.samples.length; i++) out[at + i] = encode(audio.samples[i]!);
  }
  return out;
}
