import type { AudioCodec } from './audio-codec.ts';

/**
 * L16, RFC 3551 §4.5.11: 16-bit signed linear samples in network byte order (big endian).
 * Static payload types 10 (stereo) and 11 (mono) exist only at 44.1 kHz; other rates are
 * dynamic.
 */
export function l16Encode(samples: Int16Array): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    out[i * 2] = (s >> 8) & 0xff;
    out[i * 2 + 1] = s & 0xff;
  }
  return out;
}

export function l16Decode(payload: Uint8Array): Int16Array {
  const out = new Int16Array(payload.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = (payload[i * 2]! << 8) | payload[i * 2 + 1]!;
  return out;
}

export function makeL16(clockRate: number, channels = 1): AudioCodec {
  const staticPayloadType =
    clockRate === 44100 ? (channels === 2 ? 10 : channels === 1 ? 11 : undefined) : undefined;
  return {
    name: 'L16',
    clockRate,
    channels,
    staticPayloadType,
    encode: l16Encode,
    decode: l16Decode,
    samplesIn: (payloadLength) => Math.floor(payloadLength / (2 * channels)),
  };
}
