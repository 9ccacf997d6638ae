/**
 * Media application endpoints: RTP legs the PBX terminates itself (voicemail, conferences,
 * prompts). Plain data, so the same shapes cross a worker-thread boundary unchanged.
 *
 * An endpoint plays audio to its phone, records what the phone says, reports RFC 4733 digits,
 * and can sit in a conference bridge (each member hears the others, N-1).
 */
import type { LegConfig, LocalEndpoint } from '../relay/relay-types.ts';

export type EndpointConfig = LegConfig;
export type { LocalEndpoint };

export interface EndpointOptions {
  /** Raise `timeout` when the phone should send but has been silent this long (0 = never). */
  readonly inactivityTimeoutMs?: number;
  /** One port for RTP and RTCP (RFC 5761). */
  readonly rtcpMux?: boolean;
  /** Put the endpoint on the thread of this bridge, so it can join it. */
  readonly near?: string;
}

/** Something to play: 8 kHz samples, a WAV file, a tone, or silence. Played one after another. */
export type PlaySource =
  | { readonly samples: Int16Array; readonly sampleRate?: number }
  | { readonly file: string }
  | {
      readonly tone: readonly number[];
      readonly durationMs: number;
      /** Fraction of full scale per frequency; default 0.25. */
      readonly amplitude?: number;
    }
  | { readonly silenceMs: number };

export interface EndpointPlayOptions {
  /** Start again at the end (music on hold) until stopped. */
  readonly loop?: boolean;
}

export interface EndpointRecordOptions {
  /** Where the WAV goes (16-bit PCM, 8 kHz, mono; directories are created). */
  readonly file: string;
  /** Stop by itself after this long (default: never). */
  readonly maxDurationMs?: number;
}

export type PlaybackEnd = 'finished' | 'stopped' | 'failed';
export type RecordingEnd = 'stopped' | 'max-duration' | 'closed' | 'failed';

/** How a member takes part in a bridge. */
export interface BridgeMemberState {
  /** Not heard by the others (still hears them). */
  readonly muted?: boolean;
  /** Neither heard nor hearing (a member on hold hears what is played to it instead). */
  readonly held?: boolean;
}

export type EndpointEvent =
  | {
      readonly type: 'dtmf';
      readonly endpointId: string;
      readonly digit: string;
      readonly durationMs: number;
    }
  | {
      readonly type: 'played';
      readonly endpointId: string;
      readonly playId: number;
      readonly end: PlaybackEnd;
    }
  | {
      readonly type: 'recorded';
      readonly endpointId: string;
      readonly recordId: number;
      readonly end: RecordingEnd;
      readonly durationMs: number;
      readonly error?: string;
    }
  | { readonly type: 'timeout'; readonly endpointId: string; readonly idleMs: number };

export interface EndpointInfo {
  readonly id: string;
  readonly local: LocalEndpoint;
}

/** Counters of one endpoint host (thread). */
export interface EndpointCounters {
  endpoints: number;
  bridges: number;
  packetsIn: number;
  packetsOut: number;
  packetsDropped: number;
  dtmfDigits: number;
  /** 20 ms frames that found no audio from the phone (late or lost packets). */
  underruns: number;
}

export const zeroEndpointCounters = (): EndpointCounters => ({
  endpoints: 0,
  bridges: 0,
  packetsIn: 0,
  packetsOut: 0,
  packetsDropped: 0,
  dtmfDigits: 0,
  underruns: 0,
});
