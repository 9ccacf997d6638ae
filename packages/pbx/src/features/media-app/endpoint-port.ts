// What the PBX needs to answer calls itself (voicemail, conferences, prompts): media endpoints
// that play, record, mix and report digits. Declared here so the PBX never depends on sockets
// (ARCHITECTURE.md); @switchboard/media-node's EndpointEngine satisfies it, the server passes it in.
import type { MediaLegSettings, MediaLocalEndpoint } from '../../call/media-port.ts';

/** Something to play: 8 kHz samples, a WAV file, a tone, or silence — played in order. */
export type AudioSource =
  | { readonly samples: Int16Array; readonly sampleRate?: number }
  | { readonly file: string }
  | { readonly tone: readonly number[]; readonly durationMs: number; readonly amplitude?: number }
  | { readonly silenceMs: number };

export type PlaybackEnd = 'finished' | 'stopped' | 'failed';

export interface RecordingOutcome {
  readonly end: 'stopped' | 'max-duration' | 'closed' | 'failed';
  readonly durationMs: number;
  readonly error?: string;
}

export interface MediaEndpointEvents {
  /** An RFC 4733 digit from the phone. */
  onDtmf?(digit: string, durationMs: number): void;
  /** The phone should send and has been silent this long: a dead call. */
  onTimeout?(idleMs: number): void;
}

/** The RTP side of a call the PBX answers itself. */
export interface MediaEndpointHandle {
  readonly id: string;
  readonly local: MediaLocalEndpoint;
  configure(settings: MediaLegSettings): Promise<void>;
  /** Resolves when the audio ends: played out, stopped (by stopPlayback or a newer play), or unplayable. */
  play(sources: readonly AudioSource[], options?: { readonly loop?: boolean }): Promise<PlaybackEnd>;
  stopPlayback(): Promise<void>;
  /** Records the phone (WAV, 8 kHz mono) to `file`; resolves when the recording ends. */
  record(options: { readonly file: string; readonly maxDurationMs?: number }): Promise<RecordingOutcome>;
  stopRecording(): Promise<void>;
  release(): Promise<void>;
}

/** How a participant takes part in a bridge. */
export interface BridgeMemberState {
  /** The others do not hear it. */
  readonly muted?: boolean;
  /** It neither hears nor is heard (music is played to it instead). */
  readonly held?: boolean;
}

/** A conference bridge: each member hears the others, never itself (N-1 mix). */
export interface MediaBridgeHandle {
  readonly id: string;
  join(endpoint: MediaEndpointHandle, state?: BridgeMemberState): Promise<void>;
  update(endpoint: MediaEndpointHandle, state: BridgeMemberState): Promise<void>;
  leave(endpoint: MediaEndpointHandle): Promise<void>;
  close(): Promise<void>;
}

export interface MediaEndpointPort {
  allocate(options: {
    readonly inactivityTimeoutMs?: number;
    /** The endpoint will join this bridge (it must live beside it). */
    readonly near?: MediaBridgeHandle;
    readonly delegate?: MediaEndpointEvents;
  }): Promise<MediaEndpointHandle>;
  createBridge(): Promise<MediaBridgeHandle>;
}
