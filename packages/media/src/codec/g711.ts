import type { AudioCodec } from './audio-codec.ts';

/**
 * G.711 μ-law (PCMU) and A-law (PCMA), ITU-T G.711, table driven. The segment arithmetic is
 * the classic reference (Sun Microsystems' public-domain g711.c, as used by baresip and
 * others); here it only fills tables once, and encode/decode are one lookup per sample.
 */
const BIAS = 0x84;
const CLIP = 8159;
const SEG_UEND = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff];
const SEG_AEND = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];

function segment(value: number, table: readonly number[]): number {
  for (let i = 0; i < table.length; i++) if (value <= table[i]!) return i;
  return table.length;
}

function linearToUlawSlow(sample: number): number {
  let pcm = sample >> 2; // 14-bit magnitude
  let mask: number;
  if (pcm < 0) {
    pcm = -pcm;
    mask = 0x7f;
  } else {
    mask = 0xff;
  }
  if (pcm > CLIP) pcm = CLIP;
  pcm += BIAS >> 2;
  const seg = segment(pcm, SEG_UEND);
  if (seg >= 8) return 0x7f ^ mask;
  return ((seg << 4) | ((pcm >> (seg + 1)) & 0xf)) ^ mask;
}

function ulawToLinearSlow(code: number): number {
  const u = ~code & 0xff;
  let t = ((u & 0x0f) << 3) + BIAS;
  t <<= (u & 0x70) >> 4;
  return u & 0x80 ? BIAS - t : t - BIAS;
}

function linearToAlawSlow(sample: number): number {
  let pcm = sample >> 3; // 13-bit magnitude
  let mask: number;
  if (pcm >= 0) {
    mask = 0xd5;
  } else {
    mask = 0x55;
    pcm = -pcm - 1;
  }
  const seg = segment(pcm, SEG_AEND);
  if (seg >= 8) return 0x7f ^ mask;
  let aval = seg << 4;
  aval |= seg < 2 ? (pcm >> 1) & 0x0f : (pcm >> seg) & 0x0f;
  return aval ^ mask;
}

function alawToLinearSlow(code: number): number {
  const a = code ^ 0x55;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return a & 0x80 ? t : -t;
}

// Encode tables are indexed by the 16-bit sample as unsigned (sample & 0xffff).
const ULAW_ENCODE = new Uint8Array(65536);
const ALAW_ENCODE = new Uint8Array(65536);
const ULAW_DECODE = new Int16Array(256);
const ALAW_DECODE = new Int16Array(256);
for (let i = 0; i < 65536; i++) {
  const sample = i >= 32768 ? i - 65536 : i;
  ULAW_ENCODE[i] = linearToUlawSlow(sample);
  ALAW_ENCODE[i] = linearToAlawSlow(sample);
}
for (let i = 0; i < 256; i++) {
  ULAW_DECODE[i] = ulawToLinearSlow(i);
  ALAW_DECODE[i] = alawToLinearSlow(i);
}

/** Direct code-to-code tables for transcoding without a linear buffer. */
export const ULAW_TO_ALAW = new Uint8Array(256);
export const ALAW_TO_ULAW = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  ULAW_TO_ALAW[i] = ALAW_ENCODE[ULAW_DECODE[i]! & 0xffff]!;
  ALAW_TO_ULAW[i] = ULAW_ENCODE[ALAW_DECODE[i]! & 0xffff]!;
}

export const linearToUlaw = (sample: number): number => ULAW_ENCODE[sample & 0xffff]!;
export const ulawToLinear = (code: number): number => ULAW_DECODE[code & 0xff]!;
export const linearToAlaw = (sample: number): number => ALAW_ENCODE[sample & 0xffff]!;
export const alawToLinear = (code: number): number => ALAW_DECODE[code & 0xff]!;

function makeG711(name: 'PCMU' | 'PCMA', pt: number, enc: Uint8Array, dec: Int16Array): AudioCodec {
  return {
    name,
    clockRate: 8000,
    channels: 1,
    staticPayloadType: pt,
    encode(samples: Int16Array): Uint8Array {
      const out = new Uint8Array(samples.length);
      for (let i = 0; i < samples.length; i++) out[i] = enc[samples[i]! & 0xffff]!;
      return out;
    },
    decode(payload: Uint8Array): Int16Array {
      const out = new Int16Array(payload.length);
      for (let i = 0; i < payload.length; i++) out[i] = dec[payload[i]!]!;
      return out;
    },
    samplesIn: (payloadLength) => payloadLength,
  };
}

/** RFC 3551 §4.5.14: PCMU is static payload type 0. */
export const PCMU: AudioCodec = makeG711('PCMU', 0, ULAW_ENCODE, ULAW_DECODE);
/** RFC 3551 §4.5.14: PCMA is static payload type 8. */
export const PCMA: AudioCodec = makeG711('PCMA', 8, ALAW_ENCODE, ALAW_DECODE);
