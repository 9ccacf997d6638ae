import { malformed, ok, type ParseResult } from '../result.ts';
import { walkMpegFrames } from './mp3-frames.ts';

/** Decoded MPEG audio, shaped like a WAV's: interleaved 16-bit samples. */
export interface DecodedMpegAudio {
  readonly sampleRate: number;
  readonly channels: number;
  readonly samples: Int16Array;
  readonly durationMs: number;
}

export interface MpegDecodeOptions {
  /** Refuse (before decoding) a stream that lasts longer. */
  readonly maxDurationMs?: number;
  /**
   * Awaited between chunks, so a long file does not hold a server's event loop for seconds (a
   * Node caller passes `() => new Promise((r) => setImmediate(r))`; this package has no timers).
   */
  readonly pause?: () => Promise<void>;
  /** Mix the channels down to one while decoding (half the memory of stereo samples). */
  readonly mono?: boolean;
}

/** Bytes handed to the decoder at a time, so its WebAssembly heap stays small. */
const CHUNK = 64 * 1024;

/**
 * Decodes an MP3 (MPEG-1/2/2.5 Layer I, II or III) file with libmpg123 compiled to WebAssembly
 * (`mpg123-decoder`, loaded on first use: it runs in Node and in browsers alike). The frames are
 * checked first (walkMpegFrames): random bytes, a cut-short upload or an over-long track are
 * refused without decoding, and a frame the decoder rejects makes the whole file corrupt.
 */
export async function decodeMpegAudio(
  bytes: Uint8Array,
  options: MpegDecodeOptions = {},
): Promise<ParseResult<DecodedMpegAudio>> {
  const stream = walkMpegFrames(bytes);
  if (!stream.ok) return stream;
  if (options.maxDurationMs !== undefined && stream.value.durationMs > options.maxDurationMs)
    return malformed(`the audio lasts ${Math.round(stream.value.durationMs / 1000)} s, longer than allowed`);
  const { MPEGDecoder } = await import('mpg123-decoder');
  const decoder = new MPEGDecoder();
  await decoder.ready;
  const parts: Int16Array[] = [];
  let channels = 0;
  let sampleRate = 0;
  try {
    // Frames only: tags behind them (ID3v1, APE) are not audio.
    const { start, end } = stream.value;
    for (let at = start; at < end; at += CHUNK) {
      const decoded = decoder.decode(bytes.subarray(at, Math.min(at + CHUNK, end)));
      const error = decoded.errors[0];
      if (error) return malformed(`corrupt MPEG audio (frame ${error.frameNumber}: ${error.message})`);
      if (decoded.samplesDecoded === 0) continue;
      if (channels === 0) {
        channels = decoded.channelData.length;
        sampleRate = decoded.sampleRate;
      } else if (decoded.channelData.length !== channels || decoded.sampleRate !== sampleRate)
        return malformed('the channel count or sample rate changes mid-stream');
      parts.push(
        options.mono
          ? mixDown(decoded.channelData, decoded.samplesDecoded)
          : interleave(decoded.channelData, decoded.samplesDecoded),
      );
      if (options.pause) await options.pause();
    }
  } finally {
    decoder.free();
  }
  if (channels === 0) return malformed('the MPEG audio decoded to no samples');
  const samples = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    samples.set(part, offset);
    offset += part.length;
  }
  const outChannels = options.mono ? 1 : channels;
  const durationMs = Math.round((samples.length / outChannels / sampleRate) * 1000);
  return ok({ sampleRate, channels: outChannels, samples, durationMs });
}

function mixDown(channelData: readonly Float32Array[], frames: number): Int16Array {
  const out = new Int16Array(frames);
  const scale = 32767 / channelData.length;
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (const data of channelData) sum += data[i] ?? 0;
    const v = Math.round(sum * scale);
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}

function interleave(channelData: readonly Float32Array[], frames: number): Int16Array {
  const channels = channelData.length;
  const out = new Int16Array(frames * channels);
  for (let c = 0; c < channels; c++) {
    const data = channelData[c]!;
    for (let i = 0; i < frames; i++) {
      const v = Math.round((data[i] ?? 0) * 32767);
      out[i * channels + c] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
  }
  return out;
}
