// The media engine's protocol with its relay hosts (worker/worker-rpc.ts carries it to a worker).
import type { LegConfig, LegInfo, LegOptions, LegStats, MediaCounters } from '../relay/relay-types.ts';
import type { PlaybackAudio, PlayOptions } from '../relay/leg-player.ts';
import type { RelayRecordingOptions, RelayRecordingResult } from '../recording/relay-recorder.ts';

/** Requests the engine makes of a relay host, in-process or across a worker boundary. */
export type HostRequest =
  | { readonly op: 'allocate'; readonly options: LegOptions }
  | { readonly op: 'configure'; readonly legId: string; readonly config: LegConfig }
  | { readonly op: 'connect'; readonly legId: string; readonly peerId: string }
  | { readonly op: 'disconnect'; readonly legId: string }
  | {
      readonly op: 'play';
      readonly legId: string;
      readonly audio: PlaybackAudio;
      readonly options: PlayOptions;
    }
  | { readonly op: 'stop-playback'; readonly legId: string }
  | {
      readonly op: 'record';
      readonly legId: string;
      readonly peerId: string;
      readonly options: RelayRecordingOptions;
    }
  | { readonly op: 'stop-recording'; readonly legId: string }
  | { readonly op: 'stats'; readonly legId: string }
  | { readonly op: 'release'; readonly legId: string }
  | { readonly op: 'counters' }
  | { readonly op: 'shutdown' };

export interface HostReplies {
  allocate: LegInfo;
  configure: undefined;
  connect: undefined;
  disconnect: undefined;
  play: undefined;
  'stop-playback': undefined;
  record: undefined;
  'stop-recording': RelayRecordingResult | undefined;
  stats: LegStats;
  release: LegStats | undefined;
  counters: MediaCounters;
  shutdown: undefined;
}

/** What a media worker starts from (its `workerData`). */
export interface WorkerInit {
  readonly portRange: { min: number; max: number };
  readonly address: string;
  readonly advertisedAddress?: string;
  readonly idPrefix: string;
}
