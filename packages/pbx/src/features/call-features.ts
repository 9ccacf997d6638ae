// The PBX's call features (issue 7) as one object the CallManager holds: per answered call a
// FeatureSession (hold with music, transfers, in-call codes); feature codes dialled as numbers
// (dialled-code.ts); the live calls by SIP Call-ID for attended transfers (Replaces).
// Later modules (conference, recording, voicemail) add their own files beside these.
import type { Clock, UserAgent } from '@switchboard/sip';
import type { MediaPort, PlaybackAudio } from '../call/media-port.ts';
import type { LocationStore } from '../registrar/location-store.ts';
import type { Directory } from '../store/directory.ts';
import type { AnsweredCall, AnsweredCallHandler, CallSide } from './answered-call.ts';
import type { FeatureContext } from './feature-context.ts';
import { featureCodeMap, type FeatureCodeMap } from './feature-codes.ts';
import { FeatureSession } from './feature-session.ts';
import { combineHandlers, type PbxApps } from './media-app/pbx-apps.ts';
import { defaultMusicOnHold } from './tones.ts';
import type { ExternalDialer } from '../trunks/transfer-target.ts';

export interface CallFeaturesOptions {
  readonly ua: UserAgent;
  readonly locations: LocationStore;
  readonly directory: Directory;
  readonly media: MediaPort;
  readonly clock: Clock;
  /** How long transfer targets ring (default 30 s). */
  readonly ringTimeoutMs?: number;
  /** RTP inactivity timeout of relays the features create (default 60 s). */
  readonly rtpTimeoutMs?: number;
  /** A tenant's own music on hold; undefined falls back to the built-in track. */
  readonly musicOnHold?: (tenantId: string) => Promise<PlaybackAudio | undefined>;
  readonly log?: (fields: Record<string, unknown>, message: string) => void;
  /** Voicemail, conferences, recording (features/media-app/pbx-apps.ts). */
  readonly apps?: PbxApps;
  /** SIP trunks: forwarding and transfers to external numbers. */
  readonly trunks?: ExternalDialer;
}

export class CallFeatures {
  readonly context: FeatureContext;
  readonly apps: PbxApps | undefined;
  private readonly live = new Set<FeatureSession>();

  constructor(options: CallFeaturesOptions) {
    const custom = options.musicOnHold;
    this.apps = options.apps;
    this.context = {
      ua: options.ua,
      locations: options.locations,
      directory: options.directory,
      media: options.media,
      clock: options.clock,
      ringTimeoutMs: options.ringTimeoutMs ?? 30_000,
      rtpTimeoutMs: options.rtpTimeoutMs ?? 60_000,
      log: options.log ?? (() => undefined),
      musicOnHold: async (tenantId) =>
        (custom && (await custom(tenantId).catch(() => undefined))) ?? defaultMusicOnHold(),
      findByCallId: (callId) => this.findByCallId(callId),
      ...(options.apps?.joinConference && {
        joinConference: (tenant, room, phone, owner) =>
          options.apps?.joinConference?.(tenant, room, phone, owner) ?? Promise.resolve(false),
      }),
      ...(options.trunks && { trunks: options.trunks }),
    };
  }

  /** The tenant's feature codes: the defaults with its own laid over them. */
  async codes(tenantId: string): Promise<FeatureCodeMap> {
    const overrides = await this.context.directory.featureCodes?.(tenantId).catch(() => ({}));
    return featureCodeMap(overrides ?? {});
  }

  /** Features for a call that was just answered. */
  answered(call: AnsweredCall, codes: FeatureCodeMap): AnsweredCallHandler {
    const session = new FeatureSession(this.context, call, codes, (s) => this.live.delete(s));
    this.live.add(session);
    return combineHandlers(session, this.apps?.answered?.(call, codes));
  }

  /** Answered calls with features right now. */
  get size(): number {
    return this.live.size;
  }

  private findByCallId(callId: string): { session: FeatureSession; side: CallSide } | undefined {
    for (const session of this.live)
      for (const side of ['a', 'b'] as const)
        if (session.call.leg(side)?.session.dialog.callId === callId) return { session, side };
    return undefined;
  }
}
