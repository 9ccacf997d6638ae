// Composition root: wires the database, the PBX, the SIP transports, media and HTTP together.
// `startServer(config)` is what `npm start` runs; tests start it too, on port 0.
import { randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { DigestServer, parseUri, uriEquals } from '@switchboard/sip';
import { MemoryLocationStore, Pbx, PbxEventBus, Registrar } from '@switchboard/pbx';
import type { Config } from './config.ts';
import { openData } from './data.ts';
import { buildHttpApp } from './http/http-app.ts';
import { Metrics } from './observability/metrics.ts';
import { DbDirectory } from './pbx/db-directory.ts';
import { startSipStack } from './sip/sip-stack.ts';

export const USER_AGENT = 'Switchboard';

export interface RunningServer {
  readonly httpPort: number;
  readonly sipPort: number;
  readonly events: PbxEventBus;
  /** Stops accepting work, ends calls, flushes CDRs, and closes everything. */
  close(): Promise<void>;
}

export interface StartOptions {
  readonly logger?: Logger;
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? pino({ level: config.logLevel, base: { service: 'switchboard' } });
  const { db, repos } = await openData(config);
  const events = new PbxEventBus();
  events.onListenerError = (error) => logger.error({ error: String(error) }, 'event listener failed');
  const locations = new MemoryLocationStore();
  const directory = new DbDirectory(repos);
  const digest = new DigestServer({
    // NOTE: a per-process nonce secret; after a restart phones get stale=true and retry silently.
    secret: randomBytes(32),
    clock: { now: () => Date.now() },
    randomBytes: (n) => randomBytes(n),
    // MD5 first: many deployed phones answer the first challenge even when they cannot compute it.
    algorithms: ['MD5', 'SHA-256'],
    // Some phones rewrite the digest uri (case, parameter order): compare as SIP URIs (§19.1.4).
    uriMatches: (a, b) => {
      if (a === b) return true;
      const x = parseUri(a);
      const y = parseUri(b);
      return x.ok && y.ok && uriEquals(x.value, y.value);
    },
  });
  const localHosts = localAddresses(config);
  const registrar = new Registrar({
    directory,
    locations,
    digest,
    events,
    now: () => Date.now(),
    isLocalHost: (host) => localHosts.has(host.toLowerCase()),
  });
  const pbx = new Pbx({ registrar, logger: logger.child({ component: 'pbx' }), userAgent: USER_AGENT });

  let sipReady = false;
  const metrics = new Metrics({
    registrations: () => locations.count(Date.now()),
    activeCalls: () => 0,
    rtp: () => ({ packetsIn: 0, packetsOut: 0, packetsLost: 0 }),
    transportCounters: () => sip.transport.counters,
  });
  events.subscribe(metrics.onPbxEvent);
  const http = buildHttpApp({
    metrics,
    health: {
      readiness: async () => ({
        sip: sipReady,
        database: await db.sql.query('SELECT 1').then(
          () => true,
          () => false,
        ),
      }),
    },
  });
  await http.listen({ host: config.host, port: config.httpPort });
  const httpPort = (http.server.address() as AddressInfo).port;
  const sip = await startSipStack(config, pbx, logger.child({ component: 'sip' }), http.server);
  sipReady = true;
  const sipPort = sip.listening.find((p) => p.protocol === 'UDP')?.port ?? config.sipPort;
  for (const p of sip.listening) localHosts.add(`${p.host}`);
  logger.info(
    {
      http: `http://${config.host}:${httpPort}`,
      sip: sip.listening.map((p) => `${p.protocol.toLowerCase()}:${p.host}:${p.port}`),
      database: db.location,
    },
    'switchboard started',
  );

  // Expire registrations as they run out, so "SIP status" changes without a new REGISTER.
  const expiry = setInterval(() => {
    void locations.expire(Date.now()).then((expired) => {
      for (const binding of expired)
        events.publish({ type: 'registration', change: { kind: 'removed', binding, reason: 'expired' } });
    });
  }, 5_000);
  expiry.unref();

  let closing: Promise<void> | undefined;
  return {
    httpPort,
    sipPort,
    events,
    close: () =>
      (closing ??= (async () => {
        sipReady = false;
        clearInterval(expiry);
        await sip.close();
        await http.close();
        await db.close();
        logger.info({}, 'switchboard stopped');
      })()),
  };
}

/** Hosts that mean "this server" in a request-URI: they select the default tenant. */
function localAddresses(config: Config): Set<string> {
  const hosts = new Set<string>(['localhost', '127.0.0.1', '::1', config.host.toLowerCase()]);
  if (config.sipPublicAddress !== undefined) hosts.add(config.sipPublicAddress.toLowerCase());
  for (const list of Object.values(networkInterfaces()))
    for (const info of list ?? []) hosts.add(info.address.toLowerCase());
  return hosts;
}
