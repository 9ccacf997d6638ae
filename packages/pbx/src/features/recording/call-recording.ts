// Recording one answered call: started when the parties' policy says so, and toggled by the
// in-call code (`*1` by default, RFC 4733 keys from either phone). Each start–stop is one WAV
// file (both parties, from the relay's recorder tap) and one stored recording linked to the
// call; the call's end stops it. A short high beep tells both phones recording started, two
// low ones that it stopped.
import { generateTone } from '@switchboard/media';
import type { Clock } from '@switchboard/sip';
import type { PlaybackAudio } from '../../call/media-port.ts';
import type { AnsweredCall, AnsweredCallHandler, CallSide } from '../answered-call.ts';
import type { FeatureCodeMap } from '../feature-codes.ts';
import { InCallCodes } from '../in-call-codes.ts';
import { recordsCall } from './recording-policy.ts';
import type { RecordingStore } from './recording-store.ts';

export interface CallRecordingDeps {
  readonly store: RecordingStore;
  readonly clock: Clock;
  readonly now: () => Date;
  readonly log: (fields: Record<string, unknown>, message: string) => void;
}

interface Segment {
  readonly id: string;
  readonly file: string;
  readonly startedAt: Date;
  readonly trigger: 'policy' | 'on-demand';
  readonly channels: 1 | 2;
}

/** 120 ms beeps 60 ms apart. */
function beep(tones: readonly number[]): PlaybackAudio {
  const samples = new Int16Array(tones.length * 1440);
  tones.forEach((hz, i) => samples.set(generateTone([hz], 120, { amplitude: 0.2 }), i * 1440));
  return { sampleRate: 8000, samples };
}
const STARTED = beep([1400]);
const STOPPED = beep([700, 700]);

export class CallRecording implements AnsweredCallHandler {
  private segment: Segment | undefined;
  /** Serialises start/stop (keys pressed quickly, the call ending meanwhile). */
  private queue: Promise<unknown> = Promise.resolve();
  private ended = false;
  private readonly codes: Record<CallSide, InCallCodes>;

  constructor(
    private readonly deps: CallRecordingDeps,
    readonly call: AnsweredCall,
    codes: FeatureCodeMap,
  ) {
    // Only the recording code: the call features collect the others (transfers) themselves.
    const own = new Map([...codes].filter(([feature]) => feature === 'record-toggle'));
    const collector = (): InCallCodes =>
      new InCallCodes(own, deps.clock, (match) => {
        if (match.feature === 'record-toggle') void this.toggle();
      });
    this.codes = { a: collector(), b: collector() };
  }

  get recording(): boolean {
    return this.segment !== undefined;
  }

  /** Starts recording when the parties' policies ask for it. */
  async applyPolicy(): Promise<void> {
    const caller = this.call.leg('a')?.party.username;
    const callee = this.call.leg('b')?.party.username;
    if (caller === undefined || callee === undefined) return;
    const tenantId = this.call.tenant.id;
    const [a, b] = await Promise.all([
      this.deps.store.policy(tenantId, caller).catch(() => 'off' as const),
      this.deps.store.policy(tenantId, callee).catch(() => 'off' as const),
    ]);
    if (recordsCall(a, b)) await this.start('policy');
  }

  onDtmf(side: CallSide, digit: string): void {
    if (!this.ended) this.codes[side].key(digit);
  }

  onEnded(): void {
    if (this.ended) return;
    this.ended = true;
    this.codes.a.reset();
    this.codes.b.reset();
    void this.stop(false);
  }

  /** Starts or stops on demand (the in-call code, the API). */
  toggle(): Promise<void> {
    return this.recording ? this.stop(true) : this.start('on-demand');
  }

  start(trigger: 'policy' | 'on-demand'): Promise<void> {
    return this.serial(async () => {
      const relay = this.call.media;
      if (this.segment || this.ended || !relay.record) return;
      const settings = await this.deps.store
        .settings(this.call.tenant.id)
        .catch(() => ({ channels: 1 as const }));
      const { id, file } = this.deps.store.newRecordingFile(this.call.tenant.id, this.call.id);
      await relay.record({ file, channels: settings.channels });
      this.segment = { id, file, startedAt: this.deps.now(), trigger, channels: settings.channels };
      this.deps.log({ callId: this.call.id, recording: id, trigger }, 'recording: started');
      if (trigger === 'on-demand') await this.beep(STARTED);
    });
  }

  stop(announce: boolean): Promise<void> {
    return this.serial(async () => {
      const segment = this.segment;
      if (!segment) return;
      this.segment = undefined;
      const result = await this.call.media.stopRecording?.().catch(() => undefined);
      const endedAt = this.deps.now();
      this.deps.log(
        { callId: this.call.id, recording: segment.id, ms: result?.durationMs },
        'recording: stopped',
      );
      if (announce && !this.ended) await this.beep(STOPPED);
      await this.deps.store
        .save({
          id: segment.id,
          tenantId: this.call.tenant.id,
          sipCallId: this.call.id,
          caller: this.call.leg('a')?.party.username ?? '',
          callee: this.call.leg('b')?.party.username ?? '',
          file: segment.file,
          channels: result?.channels ?? segment.channels,
          durationMs: result?.durationMs ?? endedAt.getTime() - segment.startedAt.getTime(),
          startedAt: segment.startedAt,
          endedAt,
          trigger: segment.trigger,
        })
        .catch((error: unknown) =>
          this.deps.log({ callId: this.call.id, error: String(error) }, 'recording: save failed'),
        );
    });
  }

  private async beep(audio: PlaybackAudio): Promise<void> {
    const relay = this.call.media;
    await Promise.all((['a', 'b'] as const).map((side) => relay.play?.(side, audio).catch(() => undefined)));
  }

  private serial(run: () => Promise<void>): Promise<void> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
