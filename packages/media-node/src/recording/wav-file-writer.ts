import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * A WAV file written as audio arrives: 16-bit PCM at 8 kHz, mono or stereo. The RIFF and data
 * sizes are written when the file is closed (a file cut short by a crash still reads: readWav
 * takes what is there when the data size is 0). Writes are queued so the thread never waits
 * on the disk; `close()` waits for all of them.
 *
 *   "RIFF" <size> "WAVE" "fmt " 16 <1 = PCM> <channels> <rate> <byte rate> <align> 16 "data" <size>
 */
export class WavFileWriter {
  readonly file: string;
  readonly channels: number;
  readonly sampleRate: number;
  #handle: Promise<FileHandle>;
  #queue: Promise<unknown>;
  #bytes = 0;
  #closed: Promise<void> | undefined;
  #error: unknown;

  constructor(file: string, options: { channels?: number; sampleRate?: number } = {}) {
    this.file = file;
    this.channels = options.channels ?? 1;
    this.sampleRate = options.sampleRate ?? 8000;
    this.#handle = mkdir(dirname(file), { recursive: true }).then(() => open(file, 'w'));
    this.#queue = this.#handle.then((h) => h.write(wavHeader(this.channels, this.sampleRate, 0), 0, 44, 0));
    this.#queue.catch((error: unknown) => (this.#error = error));
  }

  /** Samples written so far, per channel. */
  get frames(): number {
    return this.#bytes / 2 / this.channels;
  }

  get durationMs(): number {
    return Math.round((this.frames * 1000) / this.sampleRate);
  }

  /** Appends interleaved samples (a copy is taken: the caller may reuse its buffer). */
  write(samples: Int16Array): void {
    if (this.#closed || samples.length === 0) return;
    const bytes = new Uint8Array(samples.length * 2);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i]!, true);
    const position = 44 + this.#bytes;
    this.#bytes += bytes.length;
    this.#queue = this.#queue.then(async () => {
      if (this.#error) return;
      const h = await this.#handle;
      await h.write(bytes, 0, bytes.length, position);
    });
    this.#queue.catch((error: unknown) => (this.#error = error));
  }

  /** Writes the sizes into the header and closes the file. Idempotent; rejects on I/O errors. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.#queue.catch(() => undefined);
      const h = await this.#handle.catch(() => undefined);
      if (h) {
        try {
          if (!this.#error) await h.write(wavHeader(this.channels, this.sampleRate, this.#bytes), 0, 44, 0);
        } finally {
          await h.close();
        }
      }
      if (this.#error) throw this.#error instanceof Error ? this.#error : new Error(String(this.#error));
    })();
    return this.#closed;
  }
}

function wavHeader(channels: number, sampleRate: number, dataBytes: number): Uint8Array {
  const out = new Uint8Array(44);
  const view = new DataView(out.buffer);
  const tag = (at: number, s: string): void => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  tag(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  tag(8, 'WAVE');
  tag(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * 2, true);
  view.setUint16(32, channels * 2, true);
  view.setUint16(34, 16, true);
  tag(36, 'data');
  view.setUint32(40, dataBytes, true);
  return out;
}
