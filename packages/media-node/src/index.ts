// @switchboard/media-node — RTP sockets, port allocation, anchored relays, worker threads.
export { PortAllocator, type PortRange } from './port/port-allocator.ts';
export { RelayHost, type RelayHostOptions } from './relay/relay-host.ts';
export {
  createMediaEngine,
  type MediaEngine,
  type MediaEngineOptions,
  type Relay,
  type RelayDelegate,
  type MediaLeg,
  type LegDelegate,
  type AllocateLegOptions,
} from './engine/media-engine.ts';
export {
  zeroCounters,
  type LegConfig,
  type LegCodec,
  type LegSide,
  type LegStats,
  type LocalEndpoint,
  type MediaCounters,
  type MediaDirection,
  type LegEvent,
  type LegInfo,
  type LegOptions,
  type RelayOptions,
  type RelayStats,
  type RemoteEndpoint,
} from './relay/relay-types.ts';
export type { PlaybackAudio, PlayOptions } from './relay/leg-player.ts';
export type { RelayRecordingOptions, RelayRecordingResult } from './recording/relay-recorder.ts';
export { RelayRecorder } from './recording/relay-recorder.ts';
export { WavFileWriter } from './recording/wav-file-writer.ts';
// WebRTC legs: ICE-lite + DTLS-SRTP endpoints bridged to plain RTP legs (src/webrtc/).
export * from './webrtc/index.ts';
// Media application endpoints: voicemail, conferences, prompts (src/endpoint/).
export {
  createEndpointEngine,
  type EndpointEngine,
  type EndpointEngineOptions,
  type EndpointDelegate,
  type MediaEndpoint,
  type ConferenceBridgeHandle,
  type AllocateEndpointOptions,
  type RecordingOutcome,
} from './endpoint/endpoint-engine.ts';
export type {
  BridgeMemberState,
  EndpointConfig,
  EndpointCounters,
  EndpointEvent,
  EndpointOptions,
  EndpointPlayOptions,
  EndpointRecordOptions,
  PlaybackEnd,
  PlaySource,
  RecordingEnd,
} from './endpoint/endpoint-types.ts';
