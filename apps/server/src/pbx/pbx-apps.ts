// The PBX's own applications in the running server (issue 7): the media endpoint engine (its
// own slice of RTP_PORTS, one worker thread), voicemail with message-waiting indication and
// e-mail, conference rooms, call recording with its retention job — and the PbxControl the API
// uses to reach them. server.ts starts it before the API, attaches it once SIP runs, and
// closes it after the calls.
import type { Logger } from 'pino';
import type { PbxControl } from '@switchboard/api';
import type { Repositories } from '@switchboard/db';
import { createEndpointEngine, type EndpointEngine, type PortRange } from '@switchboard/media-node';
import {
  CallRecordings,
  Conferences,
  MessageWaiting,
  PbxApplications,
  Voicemail,
  type AppCall,
  type AppContext,
  type CdrSink,
  type Directory,
  type IsLocalHost,
  type LocationStore,
  type MediaPort,
  type PbxApps,
  type PbxEventBus,
  type PlaybackAudio,
  type SubscriptionHandler,
} from '@switchboard/pbx';
import type { Clock, DigestServer, UserAgent } from '@switchboard/sip';
import type { Config } from '../config.ts';
import { createMailer } from '../mail/create-mailer.ts';
import { MediaFiles } from './media-files.ts';
import { DbRecordingStore, purgeExpiredRecordings } from './recording-store.ts';
import { DbVoicemailStore, VoicemailMailer } from './voicemail-store.ts';

/** The last sixth of the relay ports goes to media endpoints (voicemail, conferences). */
export function splitAppPorts(range: PortRange): { relay: PortRange; apps: PortRange } {
  const cut = range.max - Math.floor((range.max - range.min + 1) / 6);
  const even = cut - (cut & 1);
  return { relay: { min: range.min, max: even - 1 }, apps: { min: even, max: range.max } };
}

export interface PbxAppsAttach {
  readonly ua: UserAgent;
  readonly locations: LocationStore;
  readonly directory: Directory;
  readonly digest: DigestServer;
  readonly events: PbxEventBus;
  readonly isLocalHost: IsLocalHost;
  /** Browser legs in front of endpoints. */
  readonly media: MediaPort;
  readonly cdrs: CdrSink;
  readonly clock: Clock;
  readonly musicOnHold: (tenantId: string) => Promise<PlaybackAudio>;
  readonly rtpTimeoutMs?: number;
}

const RETENTION_EVERY_MS = 60 * 60_000;

export class PbxAppsRuntime {
  readonly files: MediaFiles;
  readonly control: PbxControl;
  private voicemail: Voicemail | undefined;
  private conferences: Conferences | undefined;
  private recordings: CallRecordings | undefined;
  private mwi: MessageWaiting | undefined;
  private readonly calls = new Set<AppCall>();
  private retention: ReturnType<typeof setInterval> | undefined;

  private constructor(
    private readonly config: Config,
    private readonly repos: Repositories,
    private readonly logger: Logger,
    readonly engine: EndpointEngine,
  ) {
    this.files = new MediaFiles(config.dataDir);
    this.control = this.createControl();
  }

  static async start(input: {
    config: Config;
    repos: Repositories;
    logger: Logger;
    portRange: PortRange;
  }): Promise<PbxAppsRuntime> {
    const engine = await createEndpointEngine({
      workers: 1,
      portRange: input.portRange,
      address: input.config.host,
      ...(input.config.sipPublicAddress !== undefined && {
        advertisedAddress: input.config.sipPublicAddress,
      }),
    });
    return new PbxAppsRuntime(input.config, input.repos, input.logger, engine);
  }

  /** SUBSCRIBE handling for the Pbx (message-waiting), once attached. */
  get subscriptions(): SubscriptionHandler | undefined {
    return this.mwi;
  }

  /** Builds the applications on the running SIP stack; returns what CallFeatures takes. */
  attach(deps: PbxAppsAttach): PbxApps {
    const log = (fields: Record<string, unknown>, message: string): void => this.logger.info(fields, message);
    const ctx: AppContext = {
      ua: deps.ua,
      locations: deps.locations,
      directory: deps.directory,
      endpoints: this.engine,
      media: deps.media,
      cdrs: deps.cdrs,
      events: deps.events,
      clock: deps.clock,
      now: () => new Date(),
      rtpTimeoutMs: deps.rtpTimeoutMs ?? 60_000,
      ringTimeoutMs: 30_000,
      log,
      track: (call) => {
        this.calls.add(call);
        void call.done.then(() => this.calls.delete(call));
      },
    };
    const store = new DbVoicemailStore(this.repos, this.files);
    this.mwi = new MessageWaiting({
      ua: deps.ua,
      directory: deps.directory,
      digest: deps.digest,
      events: deps.events,
      isLocalHost: deps.isLocalHost,
      counts: (tenantId, extension) => store.counts(tenantId, extension),
      log,
    });
    this.voicemail = new Voicemail(ctx, {
      store,
      mwi: this.mwi,
      notifier: new VoicemailMailer(createMailer(this.config, this.repos)),
    });
    this.conferences = new Conferences(ctx, { musicOnHold: deps.musicOnHold });
    this.recordings = new CallRecordings({
      store: new DbRecordingStore(this.repos, this.files),
      clock: deps.clock,
      log,
    });
    const purge = (): void =>
      void purgeExpiredRecordings(this.repos, this.files, new Date()).then(
        (n) => n > 0 && this.logger.info({ removed: n }, 'recordings past retention deleted'),
        (error: unknown) => this.logger.warn({ error: String(error) }, 'recording retention failed'),
      );
    purge();
    this.retention = setInterval(purge, RETENTION_EVERY_MS);
    this.retention.unref();
    return new PbxApplications({
      voicemail: this.voicemail,
      conferences: this.conferences,
      recordings: this.recordings,
    });
  }

  /** Ends conferences and every app call (BYE), subscriptions, and the endpoint engine. */
  async close(): Promise<void> {
    if (this.retention) clearInterval(this.retention);
    await this.conferences?.shutdown().catch(() => undefined);
    await Promise.all([...this.calls].map((c) => c.hangup('shutdown', 'system').catch(() => undefined)));
    await this.voicemail?.drain();
    await this.mwi?.close().catch(() => undefined);
    await this.engine.close();
  }

  private createControl(): PbxControl {
    const tenant = async (tenantId: string) => {
      const t = await this.repos.tenants.findById(tenantId);
      return t && { id: t.id, name: t.name, domain: t.sipDomain, isDefault: t.isDefault };
    };
    return {
      conferences: {
        list: (tenantId) => this.conferences?.list(tenantId) ?? [],
        get: (tenantId, room) => this.conferences?.get(tenantId, room)?.view(),
        invite: async (tenantId, room, extension) => {
          const t = await tenant(tenantId);
          if (!this.conferences || !t) return { ok: false, status: 503, reason: 'the PBX is not running' };
          return this.conferences.invite(t, room, extension);
        },
        participant: async (tenantId, room, participant, action) =>
          (await this.conferences?.participantAction(tenantId, room, participant, action)) ?? false,
        room: async (tenantId, room, action) =>
          (await this.conferences?.roomAction(tenantId, room, action)) ?? false,
      },
      recordings: {
        liveCalls: (tenantId) => this.recordings?.calls(tenantId) ?? [],
        set: async (tenantId, callId, on) => {
          const live = this.recordings?.calls(tenantId).some((c) => c.callId === callId);
          return live ? this.recordings?.set(callId, on) : undefined;
        },
      },
      voicemailChanged: (tenantId, extension) => void this.voicemail?.changed(tenantId, extension),
      readFile: (stored) => this.files.read(stored),
      removeFile: (stored) => this.files.remove(stored),
    };
  }
}
