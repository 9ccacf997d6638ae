// What call recording needs to keep: each extension's policy and each recording (a WAV file and
// a row linked to the call). The server implements it over @switchboard/db and DATA_DIR.
import type { RecordingPolicy } from './recording-policy.ts';

export interface RecordingSettings {
  /** 2: caller left, callee right; 1: both mixed. */
  readonly channels: 1 | 2;
}

export interface NewCallRecording {
  readonly id: string;
  readonly tenantId: string;
  /** The SIP Call-ID of the caller's leg (the first of the call record's Call-IDs). */
  readonly sipCallId: string;
  readonly caller: string;
  readonly callee: string;
  readonly file: string;
  readonly channels: number;
  readonly durationMs: number;
  readonly startedAt: Date;
  readonly endedAt: Date;
  /** Started by the policy, or by a key / the API during the call. */
  readonly trigger: 'policy' | 'on-demand';
}

export interface RecordingStore {
  policy(tenantId: string, extension: string): Promise<RecordingPolicy>;
  settings(tenantId: string): Promise<RecordingSettings>;
  /** A new recording's id and the file its audio goes to. */
  newRecordingFile(tenantId: string, sipCallId: string): { readonly id: string; readonly file: string };
  save(recording: NewCallRecording): Promise<void>;
}
