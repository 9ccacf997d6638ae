// Call recording for every answered call (the PbxApps `answered` hook): a CallRecording per
// call, kept while the call lasts so the API can start or stop it by the call's SIP Call-ID.
import type { Clock } from '@switchboard/sip';
import type { AnsweredCall, AnsweredCallHandler } from '../answered-call.ts';
import type { FeatureCodeMap } from '../feature-codes.ts';
import { CallRecording } from './call-recording.ts';
import type { RecordingStore } from './recording-store.ts';

export interface CallRecordingsOptions {
  readonly store: RecordingStore;
  readonly clock: Clock;
  readonly now?: () => Date;
  readonly log?: (fields: Record<string, unknown>, message: string) => void;
}

export class CallRecordings {
  private readonly live = new Map<string, CallRecording>();

  constructor(private readonly options: CallRecordingsOptions) {}

  answered(call: AnsweredCall, codes: FeatureCodeMap): AnsweredCallHandler {
    const recording = new CallRecording(
      {
        store: this.options.store,
        clock: this.options.clock,
        now: this.options.now ?? (() => new Date()),
        log: this.options.log ?? (() => undefined),
      },
      call,
      codes,
    );
    this.live.set(call.id, recording);
    void recording.applyPolicy();
    return {
      onDtmf: (side, digit) => recording.onDtmf(side, digit),
      onEnded: () => {
        recording.onEnded();
        if (this.live.get(call.id) === recording) this.live.delete(call.id);
      },
    };
  }

  /** Starts or stops recording a live call (by its caller leg's SIP Call-ID); undefined if no such call. */
  async set(callId: string, on: boolean): Promise<boolean | undefined> {
    const recording = this.live.get(callId);
    if (!recording) return undefined;
    if (on) await recording.start('on-demand');
    else await recording.stop(true);
    return recording.recording;
  }

  /** Live calls and whether each is being recorded. */
  calls(tenantId: string): { callId: string; caller: string; callee: string; recording: boolean }[] {
    return [...this.live.values()]
      .filter((r) => r.call.tenant.id === tenantId)
      .map((r) => ({
        callId: r.call.id,
        caller: r.call.leg('a')?.party.username ?? '',
        callee: r.call.leg('b')?.party.username ?? '',
        recording: r.recording,
      }));
  }
}
