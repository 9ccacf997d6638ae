// SIP trunks in the running server (docs/trunks.md): the PBX's TrunkDirectory over the
// database, host names resolved with the system resolver for inbound matching, and the
// registrations at the providers — synced at start, when the API changes a trunk, and every
// 30 s (changes made with the CLI while the server runs are picked up then).
import { lookup } from 'node:dns/promises';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Repositories } from '@switchboard/db';
import {
  TrunkRegistrations,
  Trunks,
  type PbxEventBus,
  type PbxTrunk,
  type TrunkDirectory,
} from '@switchboard/pbx';
import type { Clock, UserAgent } from '@switchboard/sip';
import type { TrunkRegistration } from '@switchboard/contracts';

const SYNC_EVERY_MS = 30_000;

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
  readonly ua: UserAgent;
  readonly clock: Clock;
  readonly events: PbxEventBus;
  readonly logger: Logger;
  /** First retry after a failed registration (default 30 s); tests shorten it. */
  readonly registrationRetryMs?: number;
}

export interface TrunksRuntime {
  readonly trunks: Trunks;
  readonly registrations: TrunkRegistrations;
  /** The trunks changed (API): forget cached ones and follow with the registrations. */
  changed(): void;
  /** A trunk's live registration, as the API shows it. */
  registration(trunkId: string): TrunkRegistration | undefined;
  close(): Promise<void>;
}

export function startTrunks(options: TrunksRuntimeOptions): TrunksRuntime {
  const directory = new DbTrunkDirectory(options.repos);
  const log = (fields: Record<string, unknown>, message: string): void =>
    options.logger.info(fields, message);
  const trunks = new Trunks({
    directory,
    tenant: async (tenantId) => {
      const t = await options.repos.tenants.findById(tenantId);
      return t && { id: t.id, name: t.name, domain: t.sipDomain, isDefault: t.isDefault };
    },
    resolve: async (host) => (await lookup(host, { all: true, family: 4 })).map((a) => a.address),
    randomBytes: (n) => randomBytes(n),
    now: () => Date.now(),
  });
  const registrations = new TrunkRegistrations({
    ua: options.ua,
    directory,
    clock: options.clock,
    events: options.events,
    randomBytes: (n) => randomBytes(n),
    ...(options.registrationRetryMs !== undefined && { retryMs: options.registrationRetryMs }),
    log,
  });
  const sync = (): void =>
    void registrations
      .sync()
      .catch((error: unknown) =>
        options.logger.warn({ error: String(error) }, 'trunks: registration sync failed'),
      );
  sync();
  const timer = setInterval(sync, SYNC_EVERY_MS);
  timer.unref();
  return {
    trunks,
    registrations,
    changed: () => {
      trunks.invalidate();
      sync();
    },
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
      clearInterval(timer);
      await registrations.close();
    },
  };
}
