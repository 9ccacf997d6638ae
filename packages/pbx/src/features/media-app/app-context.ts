// What the PBX's media applications (voicemail, conferences) may use: the UA for new legs,
// registrations and the directory (dialling out), media endpoints, browser legs, call records,
// events and the clock. The server builds one; apps get it as a narrow capability object.
import type { Clock, UserAgent } from '@switchboard/sip';
import type { CdrSink } from '../../call/call-record.ts';
import type { MediaPort } from '../../call/media-port.ts';
import type { PbxEventBus } from '../../events/pbx-events.ts';
import type { LocationStore } from '../../registrar/location-store.ts';
import type { Directory } from '../../store/directory.ts';
import type { AppCall } from './app-call.ts';
import type { MediaEndpointPort } from './endpoint-port.ts';

export interface AppContext {
  readonly ua: UserAgent;
  readonly locations: LocationStore;
  readonly directory: Directory;
  readonly endpoints: MediaEndpointPort;
  /** Browser legs (WebRTC) in front of endpoints; relays are not used by apps. */
  readonly media?: MediaPort;
  readonly cdrs: CdrSink;
  readonly events: PbxEventBus;
  readonly clock: Clock;
  readonly now: () => Date;
  /** RTP silence that ends an app call as dead (ms). */
  readonly rtpTimeoutMs: number;
  /** How long phones the PBX calls (conference invitations) may ring (ms). */
  readonly ringTimeoutMs: number;
  readonly log: (fields: Record<string, unknown>, message: string) => void;
  /** Told about every app call (the server ends them all at shutdown). */
  readonly track?: (call: AppCall) => void;
}
