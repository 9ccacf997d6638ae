// What every call feature may use: the UA (new legs), registrations and the directory (transfer
// targets), media (parking relays, music), the clock, and the live answered calls (Replaces).
import type { Clock, UserAgent } from '@switchboard/sip';
import type { MediaPort, PlaybackAudio } from '../call/media-port.ts';
import type { LocationStore } from '../registrar/location-store.ts';
import type { Directory, Tenant } from '../store/directory.ts';
import type { ExternalDialer } from '../trunks/transfer-target.ts';
import type { CallSide } from './answered-call.ts';
import type { ConferencePhone } from './conference/conferences.ts';
import type { FeatureSession } from './feature-session.ts';

export interface FeatureContext {
  readonly ua: UserAgent;
  readonly locations: LocationStore;
  readonly directory: Directory;
  readonly media: MediaPort;
  readonly clock: Clock;
  /** How long a transfer target may ring. */
  readonly ringTimeoutMs: number;
  /** RTP inactivity timeout for the relays features create. */
  readonly rtpTimeoutMs: number;
  readonly log: (fields: Record<string, unknown>, message: string) => void;
  /** The tenant's music on hold. */
  musicOnHold(tenantId: string): Promise<PlaybackAudio>;
  /** Moves a phone of an answered call into a conference room (the PBX's applications). */
  joinConference?(tenant: Tenant, room: string, phone: ConferencePhone, owner: boolean): Promise<boolean>;
  /** The answered call one of whose legs has this SIP Call-ID (RFC 3891 Replaces). */
  findByCallId(callId: string): { readonly session: FeatureSession; readonly side: CallSide } | undefined;
  /** SIP trunks: transfers to external numbers (trunks/); without them, extensions only. */
  readonly trunks?: ExternalDialer;
}
