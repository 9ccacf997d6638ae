// The endpoint engine's protocol with its hosts (worker/worker-rpc.ts carries it to a worker).
import type { PortRange } from '../port/port-allocator.ts';
import type {
  BridgeMemberState,
  EndpointConfig,
  EndpointCounters,
  EndpointInfo,
  EndpointOptions,
  EndpointPlayOptions,
  EndpointRecordOptions,
  PlaySource,
} from './endpoint-types.ts';

/** Requests the endpoint engine makes of a host, in-process or across a worker boundary. */
export type EndpointRequest =
  | { readonly op: 'allocate'; readonly options: EndpointOptions }
  | { readonly op: 'configure'; readonly id: string; readonly config: EndpointConfig }
  | {
      readonly op: 'play';
      readonly id: string;
      readonly playId: number;
      readonly sources: readonly PlaySource[];
      readonly options: EndpointPlayOptions;
    }
  | { readonly op: 'stop-playback'; readonly id: string }
  | {
      readonly op: 'record';
      readonly id: string;
      readonly recordId: number;
      readonly options: EndpointRecordOptions;
    }
  | { readonly op: 'stop-recording'; readonly id: string }
  | { readonly op: 'release'; readonly id: string }
  | { readonly op: 'create-bridge' }
  | { readonly op: 'join'; readonly bridgeId: string; readonly id: string; readonly state: BridgeMemberState }
  | {
      readonly op: 'update-member';
      readonly bridgeId: string;
      readonly id: string;
      readonly state: BridgeMemberState;
    }
  | { readonly op: 'leave'; readonly bridgeId: string; readonly id: string }
  | { readonly op: 'close-bridge'; readonly bridgeId: string }
  | { readonly op: 'counters' }
  | { readonly op: 'shutdown' };

export interface EndpointReplies {
  allocate: EndpointInfo;
  configure: undefined;
  play: undefined;
  'stop-playback': undefined;
  record: undefined;
  'stop-recording': undefined;
  release: undefined;
  'create-bridge': string;
  join: undefined;
  'update-member': undefined;
  leave: undefined;
  'close-bridge': undefined;
  counters: EndpointCounters;
  shutdown: undefined;
}

/** What an endpoint worker starts from (its `workerData`). */
export interface EndpointWorkerInit {
  readonly portRange: PortRange;
  readonly address: string;
  readonly advertisedAddress?: string;
  readonly idPrefix: string;
}
