import type { AudioCodec } from './audio-codec.ts';
import { ALAW_TO_ULAW, PCMA, PCMU, ULAW_TO_ALAW } from './g711.ts';

/** Converts one RTP payload from one codec to another. */
export type PayloadTranscoder = (payload: Uint8Array) => Uint8Array;

function viaTable(table: Uint8Array): PayloadTranscoder {
  return (payload) => {
    const out = new Uint8Array(payload.length);
    for (let i = 0; i < payload.length; i++) out[i] = table[payload[i]!]!;
    return out;
  };
}

/**
 * A transcoder between two codecs of the same clock rate, or undefined when none is needed
 * (same codec) or none is possible (different rates: that needs resampling, not done here).
 * PCMU⇄PCMA use a direct 256-entry table; other pairs decode to linear and re-encode.
 */
export function createTranscoder(from: AudioCodec, to: AudioCodec): PayloadTranscoder | undefined {
  if (from === to || (from.name === to.name && from.clockRate === to.clockRate)) return undefined;
  if (from.clockRate !== to.clockRate || from.channels !== to.channels) return undefined;
  if (from.name === PCMU.name && to.name === PCMA.name) return viaTable(ULAW_TO_ALAW);
  if (from.name === PCMA.name && to.name === PCMU.name) return viaTable(ALAW_TO_ULAW);
  return (payload) => to.encode(from.decode(payload));
}

/** Transcodes in place (same length, one octet per sample): for G.711 on the relay path. */
export function transcodeG711InPlace(bytes: Uint8Array, start: number, end: number, toAlaw: boolean): void {
  const table = toAlaw ? ULAW_TO_ALAW : ALAW_TO_ULAW;
  for (let i = start; i < end; i++) bytes[i] = table[bytes[i]!]!;
}
