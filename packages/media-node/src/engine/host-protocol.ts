import type {
  LegConfig,
  MediaCounters,
  RelayEvent,
  RelayInfo,
  RelayOptions,
  RelayStats,
} from '../relay/relay-types.ts';

/** Requests the engine makes of a relay host, in-process or across a worker boundary. */
export type HostRequest =
  | { readonly op: 'create'; readonly options: RelayOptions }
  | { readonly op: 'configure'; readonly relayId: string; readonly update: { a?: LegConfig; b?: LegConfig } }
  | { readonly op: 'stats'; readonly relayId: string }
  | { readonly op: 'close'; readonly relayId: string }
  | { readonly op: 'counters' }
  | { readonly op: 'shutdown' };

export interface HostReplies {
  create: RelayInfo;
  configure: undefined;
  stats: RelayStats;
  close: RelayStats | undefined;
  counters: MediaCounters;
  shutdown: undefined;
}

/** Worker → engine messages. */
export type WorkerMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'reply'; readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly kind: 'reply'; readonly id: number; readonly ok: false; readonly error: string }
  | { readonly kind: 'event'; readonly event: RelayEvent };

/** Engine → worker messages. */
export interface WorkerRequest {
  readonly id: number;
  readonly request: HostRequest;
}

export interface WorkerInit {
  readonly portRange: { min: number; max: number };
  readonly address: string;
  readonly advertisedAddress?: string;
  readonly idPrefix: string;
}
