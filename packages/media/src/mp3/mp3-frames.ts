import { malformed, ok, type ParseResult } from '../result.ts';

/**
 * MPEG audio (MP3, and Layers I/II) frame walking, to check a file before decoding it: where
 * the audio starts (after an ID3v2 tag), how long it lasts, and whether it is cut short.
 *
 * Frame header (ISO/IEC 11172-3 §2.4.1.3, 13818-3 for MPEG-2, "2.5" for 8–12 kHz):
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |        sync (11 × 1)    |ver|lay|P| bitrate |rate |p|x| mode ...
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * ID3v2 tag: "ID3" <u8 major> <u8 minor> <u8 flags> <u32 syncsafe size> (+10 with a footer).
 * ID3v1 tag: "TAG" + 125 bytes at the end; APEv2: "APETAGEX" at the end.
 */
export interface MpegStream {
  /** Offset of the first frame (past any ID3v2 tag). */
  readonly start: number;
  /** Offset just past the last frame (trailing tags and padding excluded). */
  readonly end: number;
  readonly frames: number;
  readonly sampleRate: number;
  readonly durationMs: number;
}

const BITRATES: Record<string, readonly number[]> = {
  // Index 1–14 in kbit/s; 0 (free format) and 15 (bad) are not accepted.
  'v1-l1': [32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  'v1-l2': [32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  'v1-l3': [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  'v2-l1': [32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  'v2-l23': [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const RATES: Record<number, readonly number[]> = {
  3: [44_100, 48_000, 32_000], // MPEG-1
  2: [22_050, 24_000, 16_000], // MPEG-2
  0: [11_025, 12_000, 8_000], // MPEG-2.5
};

interface FrameHeader {
  readonly length: number;
  readonly samples: number;
  readonly sampleRate: number;
}

/** The frame header at `at`, or undefined when the four bytes are not one. */
export function frameHeader(bytes: Uint8Array, at: number): FrameHeader | undefined {
  if (at + 4 > bytes.length) return undefined;
  const b1 = bytes[at + 1]!;
  const b2 = bytes[at + 2]!;
  if (bytes[at] !== 0xff || (b1 & 0xe0) !== 0xe0) return undefined;
  const version = (b1 >> 3) & 3; // 0 = 2.5, 1 reserved, 2 = MPEG-2, 3 = MPEG-1
  const layer = 4 - ((b1 >> 1) & 3); // bits 11 → I, 10 → II, 01 → III; 00 reserved
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  if (version === 1 || layer === 4 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3)
    return undefined;
  const padding = (b2 >> 1) & 1;
  const v1 = version === 3;
  const table = v1 ? `v1-l${layer}` : layer === 1 ? 'v2-l1' : 'v2-l23';
  const bitrate = BITRATES[table]![bitrateIndex - 1]! * 1000;
  const sampleRate = RATES[version]![rateIndex]!;
  if (layer === 1)
    return { length: (Math.floor((12 * bitrate) / sampleRate) + padding) * 4, samples: 384, sampleRate };
  const samples = layer === 3 && !v1 ? 576 : 1152;
  return { length: Math.floor(((samples / 8) * bitrate) / sampleRate) + padding, samples, sampleRate };
}

/** Size of the ID3v2 tag at the start (0 when there is none). */
function id3v2Size(bytes: Uint8Array): number {
  if (bytes.length < 10 || bytes[0] !== 0x49 || bytes[1] !== 0x44 || bytes[2] !== 0x33) return 0;
  const size =
    ((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f);
  const footer = (bytes[5]! & 0x10) !== 0 ? 10 : 0;
  return 10 + size + footer;
}

const startsWith = (bytes: Uint8Array, at: number, text: string): boolean =>
  [...text].every((c, i) => bytes[at + i] === c.charCodeAt(0));

/** True when the bytes begin like an MP3 file (an ID3v2 tag or a frame header). */
export function looksLikeMpegAudio(bytes: Uint8Array): boolean {
  return id3v2Size(bytes) > 0 || frameHeader(bytes, 0) !== undefined;
}

/**
 * Walks every frame. Refuses what would decode to nothing or to a part of the file: no frame,
 * frames that change sample rate, data that is not frames (except trailing ID3v1/APE tags), and
 * a last frame cut short (an upload that did not finish).
 */
export function walkMpegFrames(bytes: Uint8Array): ParseResult<MpegStream> {
  const start = id3v2Size(bytes);
  if (start >= bytes.length) return malformed('no MPEG audio frames (only a tag, or cut short)');
  let at = start;
  // NOTE: some encoders leave a few stray bytes between the tag and the first frame; look a
  // little way ahead for two consecutive headers, no further.
  for (let skipped = 0; skipped < 4096 && at + 4 <= bytes.length; at++, skipped++) {
    const header = frameHeader(bytes, at);
    if (header && (at + header.length === bytes.length || frameHeader(bytes, at + header.length))) break;
  }
  const first = frameHeader(bytes, at);
  if (!first) return malformed('no MPEG audio frames found');
  const firstAt = at;
  let frames = 0;
  let samples = 0;
  while (at < bytes.length) {
    const header = frameHeader(bytes, at);
    if (!header) {
      if (
        startsWith(bytes, at, 'TAG') ||
        startsWith(bytes, at, 'APETAGEX') ||
        startsWith(bytes, at, 'LYRICS')
      )
        break;
      // Zero padding at the very end is harmless.
      if (bytes.subarray(at).every((b) => b === 0)) break;
      return malformed(`corrupt MPEG audio: no frame header at byte ${at}`);
    }
    if (header.sampleRate !== first.sampleRate) return malformed('the sample rate changes mid-stream');
    if (at + header.length > bytes.length)
      return malformed(
        `the MPEG audio is cut short (frame ${frames + 1} needs ${at + header.length - bytes.length} more bytes)`,
      );
    frames++;
    samples += header.samples;
    at += header.length;
  }
  return ok({
    start: firstAt,
    end: at,
    frames,
    sampleRate: first.sampleRate,
    durationMs: Math.round((samples * 1000) / first.sampleRate),
  });
}
