import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { defaultCodecRegistry, rtpHeader } from '@switchboard/media';
import type { RelayLeg } from './relay-leg.ts';
import type { MediaCounters } from './relay-types.ts';

/**
 * Plays audio into a leg: music on hold, ringback, a feature code's confirmation beeps. One RTP
 * packet of 20 ms every 20 ms, in the codec the leg negotiated, through the leg's outbound
 * stream — so the phone keeps one SSRC with continuous numbers when the relay switches between
 * the other phone and the player (RFC 3550 §5.1; the marker flags the switch).
 *
 * While a leg plays, media from its peer is not forwarded to it (media-path.ts checks
 * `leg.player`); the peer's own leg goes on latching, counting and detecting DTMF.
 */

/** 16-bit linear samples at 8 kHz (what G.711 legs carry), mono. */
export interface PlaybackAudio {
  readonly sampleRate: number;
  readonly samples: Int16Array;
}

export interface PlayOptions {
  /** Start again at the end (music on hold); otherwise the player stops by itself. */
  readonly loop?: boolean;
}

const FRAME_MS = 20;
const SAMPLES_PER_FRAME = 160;
/** A timer that fired late sends what is due, but never more than this many frames at once. */
const MAX_BURST = 5;
const codecs = defaultCodecRegistry();

export class LegPlayer {
  readonly #leg: RelayLeg;
  readonly #samples: Int16Array;
  readonly #loop: boolean;
  readonly #counters: MediaCounters;
  readonly #ssrc = randomInt(1, 0xffffffff);
  /** Encoded audio per codec name: a re-INVITE may change the leg's codec mid-play. */
  readonly #encoded = new Map<string, Uint8Array | undefined>();
  readonly #timer: ReturnType<typeof setInterval>;
  readonly #startMs: number;
  #seq = randomInt(0, 0xffff);
  #timestamp = randomInt(0, 0x7fffffff);
  #frames = 0;
  #position = 0;
  #stopped = false;

  constructor(leg: RelayLeg, audio: PlaybackAudio, options: PlayOptions, counters: MediaCounters) {
    if (audio.sampleRate !== 8000) throw new RangeError('playback audio must be 8 kHz');
    this.#leg = leg;
    this.#samples = audio.samples;
    this.#loop = options.loop ?? false;
    this.#counters = counters;
    this.#startMs = performance.now();
    this.#timer = setInterval(() => this.#tick(), FRAME_MS);
    this.#timer.unref();
  }

  get playing(): boolean {
    return !this.#stopped;
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    if (this.#leg.player === this) this.#leg.player = undefined;
  }

  #tick(): void {
    const now = performance.now();
    const due = Math.floor((now - this.#startMs) / FRAME_MS) + 1 - this.#frames;
    for (let i = 0; i < Math.min(due, MAX_BURST) && !this.#stopped; i++) this.#sendFrame(now);
    // Frames we could not send in time are skipped, not bunched up.
    if (due > MAX_BURST) this.#frames += due - MAX_BURST;
  }

  #sendFrame(now: number): void {
    const leg = this.#leg;
    if (this.#position >= this.#samples.length) {
      if (!this.#loop || this.#samples.length === 0) return this.stop();
      this.#position = 0;
    }
    const start = this.#position;
    this.#position += SAMPLES_PER_FRAME;
    this.#frames++;
    this.#seq = (this.#seq + 1) & 0xffff;
    this.#timestamp = (this.#timestamp + SAMPLES_PER_FRAME) >>> 0;
    const audio = this.#encodedFor(leg.codecName);
    if (!audio || leg.codecPt < 0 || !leg.receives || leg.rtpDstAddress === undefined) return;
    const packet = Buffer.alloc(12 + SAMPLES_PER_FRAME);
    packet[0] = 0x80; // RFC 3550 §5.1: version 2, no padding, extension or CSRC
    packet.set(audio.subarray(start, start + SAMPLES_PER_FRAME), 12);
    const stream = leg.out;
    stream.map(this.#ssrc, this.#seq, this.#timestamp, now);
    rtpHeader.writePayloadType(packet, leg.codecPt);
    rtpHeader.writeSsrc(packet, stream.ssrc);
    rtpHeader.writeSequenceNumber(packet, stream.seq);
    rtpHeader.writeTimestamp(packet, stream.timestamp);
    if (stream.sourceChanged) packet[1] = packet[1]! | 0x80;
    leg.rtpSocket.send(packet, leg.rtpDstPort, leg.rtpDstAddress);
    leg.packetsOut++;
    leg.bytesOut += packet.length;
    this.#counters.packetsOut++;
    this.#counters.bytesOut += packet.length;
  }

  /** The whole track in `codecName`; undefined for codecs we cannot encode (then: silence). */
  #encodedFor(codecName: string | undefined): Uint8Array | undefined {
    if (codecName === undefined) return undefined;
    if (!this.#encoded.has(codecName)) {
      const codec = codecs.get(codecName);
      // NOTE: only sample-per-octet codecs (G.711) fit the fixed 160-octet frames used here.
      const fits = codec !== undefined && codec.samplesIn(SAMPLES_PER_FRAME) === SAMPLES_PER_FRAME;
      // Padded with silence to whole frames.
      const frames = Math.ceil(this.#samples.length / SAMPLES_PER_FRAME);
      const padded = new Int16Array(frames * SAMPLES_PER_FRAME);
      padded.set(this.#samples);
      this.#encoded.set(codecName, fits ? codec.encode(padded) : undefined);
    }
    return this.#encoded.get(codecName);
  }
}

/** Starts playing `audio` into `leg`, replacing what it played before. */
export function startPlayback(
  leg: RelayLeg,
  audio: PlaybackAudio,
  options: PlayOptions,
  counters: MediaCounters,
): void {
  leg.player?.stop();
  leg.player = new LegPlayer(leg, audio, options, counters);
}

/** Stops playing into `leg`: its peer's media reaches it again. */
export function stopPlayback(leg: RelayLeg): void {
  leg.player?.stop();
}
