// SIP trunks in the running server (docs/trunks.md): the PBX's TrunkDirectory over the
// database, host names resolved with the system resolver for inbound matching, and the
// registrations at the providers.
//
// The enabled trunks are kept in memory (inbound matching runs for every INVITE) and the
// registrations follow them. Both are read again when the database says a trunk changed
// (change notifications, migration 0010: whoever wrote — the API, the CLI through the embedded
// database's socket, another node on the same PostgreSQL), when the listening connection came
// back (notifications may have been lost), when the API changed a trunk (at once, not waiting
// for the notification), and every 5 minutes as a safety net. A database that cannot notify (a
// PostgreSQL pooler that does not pass LISTEN through) falls back to reading them every 5 s
// (calls) and 30 s (registrations). Outbound routes, DIDs and the external-call policy are read
// from the database for each call: nothing to forget there.
import { lookup } from 'node:dns/promises';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { ChangeSubscription, Database, Repositories } from '@switchboard/db';
import {
  TrunkRegistrations,
  Trunks,
  type PbxEventBus,
  type PbxTrunk,
  type TrunkDirectory,
} from '@switchboard/pbx';
import type { Clock, UserAgent } from '@switchboard/sip';
import type { TrunkRegistration } from '@switchboard/contracts';

/** Safety re-read when notifications tell us of every change. */
const SAFETY_REREAD_MS = 300_000;
/** Without notifications: how long calls reuse the trunk list, and how often registrations sync. */
const POLL_CACHE_MS = 5_000;
const POLL_SYNC_MS = 30_000;

export class DbTrunkDirectory implements TrunkDirectory {
  constructor(private readonly repos: Pick<Repositories, 'trunks'>) {}

  async enabledTrunks(): Promise<readonly PbxTrunk[]> {
    return this.repos.trunks.listEnabled();
  }

  async routes(tenantId: string) {
    return this.repos.trunks.listRoutes(tenantId);
  }

  async policy(tenantId: string) {
    return this.repos.trunks.policy(tenantId);
  }

  async did(tenantId: string, number: string) {
    return this.repos.trunks.findDid(tenantId, number);
  }

  async password(tenantId: string, trunkId: string): Promise<string | undefined> {
    return this.repos.trunks.revealPassword(tenantId, trunkId);
  }
}

export interface TrunksRuntimeOptions {
  readonly repos: Pick<Repositories, 'trunks' | 'tenants'>;
  /** The database's change notifications (migration 0010). */
  readonly db: Pick<Database, 'subscribeChanges'>;
  readonly ua: UserAgent;
  readonly clock: Clock;
  readonly events: PbxEventBus;
  readonly logger: Logger;
  /** First retry after a failed registration (default 30 s); tests shorten it. */
  readonly registrationRetryMs?: number;
  /** The safety re-read while notifications arrive (default 5 min). */
  readonly safetyRereadMs?: number;
}

export interface TrunksRuntime {
  readonly trunks: Trunks;
  readonly registrations: TrunkRegistrations;
  /** Whether database change notifications drive the re-reads (else: polling). */
  readonly notified: boolean;
  /** The trunks changed (API, notification): forget cached ones and follow with the registrations. */
  changed(): void;
  /** A trunk's live registration, as the API shows it. */
  registration(trunkId: string): TrunkRegistration | undefined;
  close(): Promise<void>;
}

export async function startTrunks(options: TrunksRuntimeOptions): Promise<TrunksRuntime> {
  const { logger } = options;
  // Subscribed first, so no change slips between the first read and the subscription; one that
  // arrives before the runtime exists is covered by that first read.
  let onChange: (() => void) | undefined;
  const subscription: ChangeSubscription | undefined = await options.db
    .subscribeChanges({
      change: (change) => {
        if (change.table === 'trunks') onChange?.();
      },
      resync: () => onChange?.(),
    })
    .catch((error: unknown) => {
      logger.error(
        { error: String(error) },
        'no database change notifications: trunks are read again every 5 s, registrations every 30 s',
      );
      return undefined;
    });
  const notified = subscription !== undefined;
  const safetyMs = options.safetyRereadMs ?? SAFETY_REREAD_MS;

  const directory = new DbTrunkDirectory(options.repos);
  const trunks = new Trunks({
    directory,
    tenant: async (tenantId) => {
      const t = await options.repos.tenants.findById(tenantId);
      return t && { id: t.id, name: t.name, domain: t.sipDomain, isDefault: t.isDefault };
    },
    resolve: async (host) => (await lookup(host, { all: true, family: 4 })).map((a) => a.address),
    randomBytes: (n) => randomBytes(n),
    now: () => Date.now(),
    cacheMs: notified ? safetyMs : POLL_CACHE_MS,
  });
  const registrations = new TrunkRegistrations({
    ua: options.ua,
    directory,
    clock: options.clock,
    events: options.events,
    randomBytes: (n) => randomBytes(n),
    ...(options.registrationRetryMs !== undefined && { retryMs: options.registrationRetryMs }),
    log: (fields, message) => logger.info(fields, message),
  });
  const sync = serialSync(() =>
    registrations
      .sync()
      .catch((error: unknown) => logger.warn({ error: String(error) }, 'trunks: registration sync failed')),
  );
  const changed = (): void => {
    trunks.invalidate();
    sync();
  };
  onChange = changed;
  sync();
  const timer = setInterval(sync, notified ? safetyMs : POLL_SYNC_MS);
  timer.unref();
  return {
    trunks,
    registrations,
    notified,
    changed,
    registration: (trunkId) => {
      const status = registrations.status(trunkId);
      return (
        status && {
          state: status.state,
          lastStatus: status.lastStatus ?? null,
          expiresAt: status.expiresAt === undefined ? null : new Date(status.expiresAt).toISOString(),
        }
      );
    },
    close: async () => {
      onChange = undefined;
      clearInterval(timer);
      await subscription?.close();
      await registrations.close();
    },
  };
}

/**
 * `run` one at a time: a call while it runs schedules one more run after it (which reads what
 * changed meanwhile), and further calls join that one. NOTE: TrunkRegistrations.sync is not
 * safe to run twice at once (both could start a registration for one new trunk), and a burst
 * of notifications (a trunk removed with its routes and DIDs) would otherwise do just that.
 */
export function serialSync(run: () => Promise<void>): () => void {
  let running = false;
  let again = false;
  const start = (): void => {
    running = true;
    void run().finally(() => {
      running = false;
      if (again) {
        again = false;
        start();
      }
    });
  };
  return () => {
    if (running) again = true;
    else start();
  };
}
