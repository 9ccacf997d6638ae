import { defaultCodecRegistry, rtpHeader } from '@switchboard/media';
import { performance } from 'node:perf_hooks';
import { WavFileWriter } from './wav-file-writer.ts';

/**
 * Records a relayed call: a tap on both legs of a relay (media-path.ts hands it every RTP
 * packet a phone sends, before anything is rewritten) decodes each phone's G.711 and writes
 * the two voices to a WAV file — mixed into one channel, or leg `a` left and leg `b` right.
 *
 * The two phones' packets arrive independently, so each channel places its samples by RTP
 * timestamp, anchored to the wall clock at its first packet (again after an SSRC change or a
 * jump of more than a second: a transfer, a phone's clock drifting). Samples wait in a window
 * of a few seconds and are written once they are 300 ms old, so late packets still find their
 * place; a channel with nothing to say there is silence.
 */
export interface RelayRecordingOptions {
  /** Where the WAV goes (directories are created). */
  readonly file: string;
  /** 1: both parties mixed (default); 2: leg `a` (caller) left, leg `b` (callee) right. */
  readonly channels?: 1 | 2;
}

export interface RelayRecordingResult {
  readonly file: string;
  readonly durationMs: number;
  readonly channels: number;
}

/** The part of a relay leg the recorder reads (RelayLeg satisfies it). */
export interface RecordedLeg {
  readonly codecName: string | undefined;
  readonly codecPt: number;
}

const RATE = 8000;
/** Samples a channel can hold before they must be written (4 s). */
const WINDOW = RATE * 4;
/** How long samples wait for late packets before they are written. */
const HOLD_BACK = RATE * 0.3;
/** A packet placed this far from the wall clock re-anchors its channel. */
const MAX_SKEW = RATE;
const FLUSH_EVERY_MS = 250;
const codecs = defaultCodecRegistry();

class Channel {
  readonly buffer = new Int16Array(WINDOW);
  anchored = false;
  anchorPosition = 0;
  anchorTimestamp = 0;
  ssrc = 0;
}

export class RelayRecorder {
  readonly #writer: WavFileWriter;
  readonly #startMs: number;
  readonly #channels: [Channel, Channel] = [new Channel(), new Channel()];
  readonly #timer: ReturnType<typeof setInterval>;
  /** Samples (per channel) already written to the file. */
  #flushed = 0;
  #stopped: Promise<RelayRecordingResult> | undefined;

  constructor(options: RelayRecordingOptions, nowMs: number) {
    this.#writer = new WavFileWriter(options.file, { channels: options.channels ?? 1, sampleRate: RATE });
    this.#startMs = nowMs;
    this.#timer = setInterval(() => this.#flushTo(this.#wall(performance.now()) - HOLD_BACK), FLUSH_EVERY_MS);
    this.#timer.unref();
  }

  get file(): string {
    return this.#writer.file;
  }

  /** One RTP packet a phone sent on the leg recorded as `channel` (0: leg a, 1: leg b). */
  onRtp(channel: 0 | 1, leg: RecordedLeg, packet: Uint8Array, nowMs: number): void {
    if (this.#stopped || leg.codecName === undefined) return;
    if (rtpHeader.readPayloadType(packet) !== leg.codecPt) return; // DTMF, comfort noise…
    const codec = codecs.get(leg.codecName);
    const bounds = rtpHeader.payloadBounds(packet);
    if (!codec || !bounds || codec.samplesIn(1) !== 1) return; // G.711 only: one sample per octet
    const samples = codec.decode(packet.subarray(bounds.start, bounds.end));
    const ch = this.#channels[channel];
    const ssrc = rtpHeader.readSsrc(packet);
    const timestamp = rtpHeader.readTimestamp(packet);
    const wall = this.#wall(nowMs);
    if (!ch.anchored || ch.ssrc !== ssrc) this.#anchor(ch, wall, timestamp, ssrc);
    let position = ch.anchorPosition + ((timestamp - ch.anchorTimestamp) | 0);
    if (Math.abs(position - wall) > MAX_SKEW) {
      this.#anchor(ch, wall, timestamp, ssrc);
      position = wall;
    }
    // Room in the window (only short of it when the flush timer could not run).
    if (position + samples.length > this.#flushed + WINDOW) this.#flushTo(position + samples.length - WINDOW);
    for (let i = 0; i < samples.length; i++) {
      const at = position + i - this.#flushed;
      if (at >= 0 && at < WINDOW) ch.buffer[at] = samples[i]!;
    }
  }

  /** Writes what is left and closes the file. Idempotent. */
  stop(): Promise<RelayRecordingResult> {
    this.#stopped ??= (async () => {
      clearInterval(this.#timer);
      this.#flushTo(this.#wall(performance.now()));
      await this.#writer.close();
      return {
        file: this.#writer.file,
        durationMs: this.#writer.durationMs,
        channels: this.#writer.channels,
      };
    })();
    return this.#stopped;
  }

  #wall(nowMs: number): number {
    return Math.max(0, Math.round(((nowMs - this.#startMs) * RATE) / 1000));
  }

  #anchor(ch: Channel, wall: number, timestamp: number, ssrc: number): void {
    ch.anchored = true;
    ch.anchorPosition = wall;
    ch.anchorTimestamp = timestamp;
    ch.ssrc = ssrc;
  }

  /** Writes every sample before `upTo` (per channel) and slides the window on. */
  #flushTo(upTo: number): void {
    const count = Math.min(Math.floor(upTo) - this.#flushed, WINDOW);
    if (count <= 0) return;
    const [a, b] = this.#channels;
    const stereo = this.#writer.channels === 2;
    const out = new Int16Array(stereo ? count * 2 : count);
    for (let i = 0; i < count; i++) {
      const x = a.buffer[i]!;
      const y = b.buffer[i]!;
      if (stereo) {
        out[i * 2] = x;
        out[i * 2 + 1] = y;
      } else {
        const sum = x + y;
        out[i] = sum > 32767 ? 32767 : sum < -32768 ? -32768 : sum;
      }
    }
    this.#writer.write(out);
    for (const ch of this.#channels) {
      ch.buffer.copyWithin(0, count);
      ch.buffer.fill(0, WINDOW - count);
    }
    this.#flushed += count;
  }
}
