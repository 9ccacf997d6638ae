import type { AudioCodec } from './audio-codec.ts';
import { PCMA, PCMU } from './g711.ts';
import { makeL16 } from './l16.ts';

/**
 * Codecs by encoding name and clock rate (names are case-insensitive in SDP, RFC 4566 §6).
 */
export class CodecRegistry {
  readonly #codecs = new Map<string, AudioCodec>();

  register(codec: AudioCodec): this {
    this.#codecs.set(key(codec.name, codec.clockRate), codec);
    return this;
  }

  get(name: string, clockRate = 8000): AudioCodec | undefined {
    return this.#codecs.get(key(name, clockRate));
  }

  byStaticPayloadType(payloadType: number): AudioCodec | undefined {
    for (const codec of this.#codecs.values()) if (codec.staticPayloadType === payloadType) return codec;
    return undefined;
  }

  list(): AudioCodec[] {
    return [...this.#codecs.values()];
  }
}

const key = (name: string, clockRate: number): string => `${name.toUpperCase()}/${clockRate}`;

/** A registry with what Switchboard ships: PCMU, PCMA, L16 at 8 and 16 kHz. */
export function defaultCodecRegistry(): CodecRegistry {
  return new CodecRegistry().register(PCMU).register(PCMA).register(makeL16(8000)).register(makeL16(16000));
}
