// The management portal API's options, from what the composition root has: the repositories,
// the mail configuration, the registrar's location store and events (live SIP status), and where
// users and devices reach this server.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { ApiOptions, PbxControl, TrunkControl } from '@switchboard/api';
import type { Repositories } from '@switchboard/db';
import type { LocationStore, PbxEventBus } from '@switchboard/pbx';
import type { Config } from '../config.ts';
import { createMailer } from '../mail/create-mailer.ts';

export interface PortalApiInput {
  readonly config: Config;
  readonly repos: Repositories;
  readonly events: PbxEventBus;
  readonly locations: LocationStore;
  readonly logger: Logger;
  readonly httpServer: () => Server;
  /** The SIP UDP port once listening (config.sipPort before). */
  readonly sipPort: () => number;
  /** Conferences, recordings and voicemail of the running PBX (pbx/pbx-apps.ts). */
  readonly pbx?: PbxControl;
  /** SIP trunks of the running PBX (pbx/trunks-runtime.ts). */
  readonly trunks?: TrunkControl;
}

const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/** The address people and devices use for this server. */
function publicHost(config: Config): string {
  if (config.sipPublicAddress !== undefined) return config.sipPublicAddress;
  return WILDCARDS.has(config.host) ? '127.0.0.1' : config.host;
}

export function portalApiOptions(input: PortalApiInput): ApiOptions {
  const { config } = input;
  const host = publicHost(config);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    repos: input.repos,
    mailer: createMailer(config, input.repos),
    // PUBLIC_URL wins (reverse proxy, https); otherwise this server's own address and port.
    publicUrl: () =>
      config.publicUrl ??
      `http://${urlHost}:${(input.httpServer().address() as AddressInfo | null)?.port ?? config.httpPort}`,
    ...(config.sipDomain !== undefined && { sipDomain: config.sipDomain }),
    sip: { host: () => host, port: input.sipPort },
    registrations: {
      isRegistered: async (tenantId, username) =>
        (await input.locations.lookup(tenantId, username, Date.now())).length > 0,
      subscribe: (listener) =>
        input.events.subscribe((event) => {
          // A refresh changes no status: only additions and removals are worth a look.
          if (event.type === 'registration' && event.change.kind !== 'refreshed') {
            listener(event.change.binding.tenantId, event.change.binding.username);
          }
        }),
    },
    logger: input.logger,
    ...(input.pbx && { pbx: input.pbx }),
    ...(input.trunks && { trunks: input.trunks }),
  };
}
