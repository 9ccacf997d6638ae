// Composition root: wires the database, the PBX, the SIP transports, media and HTTP together.
// `startServer(config)` is what `npm start` runs; tests start it too, on port 0.
import { randomBytes } from 'node:crypto';
import { availableParallelism, networkInterfaces } from 'node:os';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { DigestServer, isSipUri, parseUri, uriEquals } from '@switchboard/sip';
import { createMediaEngine, type MediaCounters } from '@switchboard/media-node';
import { nodeDigestCrypto } from '@switchboard/sip-node';
import {
  BindingMaintenance,
  CallFeatures,
  CallManager,
  MemoryLocationStore,
  Pbx,
  PbxEventBus,
  Registrar,
  type CallOptions,
} from '@switchboard/pbx';
import type { Config } from './config.ts';
import { openData } from './data.ts';
import { portalApiOptions } from './api/portal-api.ts';
import { buildHttpApp } from './http/http-app.ts';
import { Metrics } from './observability/metrics.ts';
import { DbCdrSink } from './pbx/db-cdr-sink.ts';
import { startPbxLookups } from './pbx/pbx-lookups.ts';
import { dbMusicOnHold } from './pbx/db-music-on-hold.ts';
import { splitRtpPorts, startWebRtcMedia } from './pbx/webrtc-media.ts';
import { PbxAppsRuntime, splitAppPorts } from './pbx/pbx-apps.ts';
import { startSipStack } from './sip/sip-stack.ts';
import { startTrunks, type TrunksRuntime } from './pbx/trunks-runtime.ts';

export const USER_AGENT = 'Switchboard';

export interface RunningServer {
  readonly httpPort: number;
  readonly sipPort: number;
  readonly events: PbxEventBus;
  /** Stops accepting calls, ends active calls with BYE, flushes CDRs, and closes everything. */
  close(): Promise<void>;
}

export interface StartOptions {
  readonly logger?: Logger;
  /** Call limits (ring timeout, maximum duration, RTP timeout); tests shorten them. */
  readonly callOptions?: Partial<CallOptions>;
  /** First retry after a failed trunk registration (default 30 s); tests shorten it. */
  readonly trunkRegistrationRetryMs?: number;
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? pino({ level: config.logLevel, base: { service: 'switchboard' } });
  // The embedded database on a worker thread: its queries never block SIP (decision 0004).
  const { db, repos } = await openData(config, { embeddedThread: 'worker' });
  const events = new PbxEventBus();
  events.onListenerError = (error) => logger.error({ error: String(error) }, 'event listener failed');
  const locations = new MemoryLocationStore();
  // What the PBX reads per REGISTER and call, kept in memory and invalidated by the database's
  // change notifications (docs/pbx.md, "Directory cache").
  const lookups = await startPbxLookups(db, repos, {
    onSubscribeError: (error) =>
      logger.error(
        { error: String(error) },
        'no database change notifications: the PBX reads the database directly',
      ),
  });
  const directory = lookups.directory;
  const digest = createDigestServer(config.sipAuthAlgorithms);
  const localHosts = localAddresses(config);
  const isLocalHost = (host: string): boolean => localHosts.has(host.toLowerCase());
  const registrar = new Registrar({
    directory,
    locations,
    digest,
    events,
    now: () => Date.now(),
    isLocalHost,
  });
  const pbx = new Pbx({ registrar, logger: logger.child({ component: 'pbx' }) });
  const cdrs = new DbCdrSink(repos.cdrs, (error, record) =>
    logger.error({ error: String(error), record }, 'CDR write failed'),
  );

  const rtpPorts = splitRtpPorts(config.rtpPorts);
  const appPorts = splitAppPorts(rtpPorts.relay);
  // Voicemail, conferences, recording (docs/voicemail.md, conference.md, recording.md).
  const pbxApps = await PbxAppsRuntime.start({
    config,
    repos: lookups.repositories,
    logger: logger.child({ component: 'apps' }),
    portRange: appPorts.apps,
  });
  const media = await createMediaEngine({
    workers: Math.max(1, Math.min(4, availableParallelism() - 1)),
    portRange: appPorts.relay,
    address: config.host,
    ...(config.sipPublicAddress !== undefined && { advertisedAddress: config.sipPublicAddress }),
  });
  // Browser legs (docs/webrtc.md): SRTP costs CPU per packet, so they get a worker per core.
  const webrtc = await startWebRtcMedia(media, {
    workers: Math.max(1, Math.min(4, availableParallelism())),
    portRange: rtpPorts.webrtc,
    address: config.host,
    publicAddress: config.sipPublicAddress,
  });
  let mediaCounters: MediaCounters | undefined;
  let browserCounters:
    { activeEndpoints: number; packetsIn: number; packetsOut: number; srtpErrors: number } | undefined;
  const mediaPoll = setInterval(() => {
    void media.counters().then(
      (c) => (mediaCounters = c),
      () => undefined,
    );
    void webrtc.counters().then(
      (c) => (browserCounters = c),
      () => undefined,
    );
  }, 2_000);
  mediaPoll.unref();

  let sipReady = false;
  const metrics = new Metrics({
    registrations: () => locations.count(Date.now()),
    activeCalls: () => pbx.calls?.activeCalls ?? 0,
    rtp: () => ({
      packetsIn: mediaCounters?.packetsIn ?? 0,
      packetsOut: mediaCounters?.packetsOut ?? 0,
      packetsLost: mediaCounters?.packetsLost ?? 0,
    }),
    transportCounters: () => sip.transport.counters,
    overloadRefusals: () => sip.overload.refused,
    lookupCache: () => lookups.cache?.kinds(),
    webrtc: () => browserCounters ?? { activeEndpoints: 0, packetsIn: 0, packetsOut: 0, srtpErrors: 0 },
  });
  events.subscribe(metrics.onPbxEvent);
  const apiPorts = { sip: config.sipPort };
  // The API is built before SIP runs: it reaches the trunks runtime once there is one.
  const trunksLate: { runtime?: TrunksRuntime } = {};
  const http = buildHttpApp({
    trustProxy: config.trustProxy,
    metrics,
    api: portalApiOptions({
      config,
      repos,
      events,
      locations,
      logger: logger.child({ component: 'api' }),
      httpServer: () => http.server,
      sipPort: () => apiPorts.sip,
      pbx: pbxApps.control,
      trunks: {
        changed: () => trunksLate.runtime?.changed(),
        registration: (trunkId) => trunksLate.runtime?.registration(trunkId),
      },
    }),
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
  const closedConnections: ((id: string) => void)[] = [];
  const sip = await startSipStack(
    config,
    pbx,
    USER_AGENT,
    logger.child({ component: 'sip' }),
    http.server,
    (id) => closedConnections.forEach((listener) => listener(id)),
  );
  const maintenance = new BindingMaintenance({ ua: sip.ua, locations, events, now: () => Date.now() });
  closedConnections.push((id) => void maintenance.connectionClosed(id));
  const apps = pbxApps.attach({
    ua: sip.ua,
    locations,
    directory,
    digest,
    events,
    isLocalHost,
    media: webrtc.port,
    cdrs,
    clock: sip.clock,
    musicOnHold: (tenantId) => features.context.musicOnHold(tenantId),
    ...(options.callOptions?.rtpTimeoutMs !== undefined && {
      rtpTimeoutMs: options.callOptions.rtpTimeoutMs,
    }),
  });
  pbx.subscriptions = pbxApps.subscriptions;
  // SIP trunks: external numbers out, DIDs in, registration at providers (docs/trunks.md); kept
  // in memory and read again when the database notifies a trunk change.
  const trunks = await startTrunks({
    repos,
    db,
    ua: sip.ua,
    clock: sip.clock,
    events,
    logger: logger.child({ component: 'trunks' }),
    ...(options.trunkRegistrationRetryMs !== undefined && {
      registrationRetryMs: options.trunkRegistrationRetryMs,
    }),
  });
  trunksLate.runtime = trunks;
  const features = new CallFeatures({
    apps,
    trunks: trunks.trunks,
    ua: sip.ua,
    locations,
    directory,
    media: webrtc.port,
    clock: sip.clock,
    ...(options.callOptions?.rtpTimeoutMs !== undefined && {
      rtpTimeoutMs: options.callOptions.rtpTimeoutMs,
    }),
    log: (fields, message) => logger.info(fields, message),
    musicOnHold: dbMusicOnHold(repos.musicOnHold, (error) =>
      logger.warn({ error: String(error) }, 'music on hold: reading the tenant track failed'),
    ),
  });
  const calls = new CallManager({
    ua: sip.ua,
    features,
    trunks: trunks.trunks,
    directory,
    locations,
    digest,
    events,
    media: webrtc.port,
    cdrs,
    clock: sip.clock,
    isLocalHost,
    ...(options.callOptions && { options: options.callOptions }),
    log: (fields, message) => logger.warn(fields, message),
  });
  pbx.calls = calls;
  sipReady = true;
  const sipPort = sip.listening.find((p) => p.protocol === 'UDP')?.port ?? config.sipPort;
  apiPorts.sip = sipPort;
  for (const p of sip.listening) localHosts.add(p.host.toLowerCase());
  logger.info(
    {
      http: `http://${config.host}:${httpPort}`,
      sip: sip.listening.map((p) => `${p.protocol.toLowerCase()}:${p.host}:${p.port}`),
      rtp: `${config.rtpPorts.min}-${config.rtpPorts.max}`,
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
  // NAT keep-alive ("qualify"): OPTIONS to UDP bindings keep pinholes open and find dead phones,
  // each binding every 30 s on its own phase (spread, not one burst).
  maintenance.startKeepAlive(sip.clock, { intervalMs: 30_000 });

  let closing: Promise<void> | undefined;
  return {
    httpPort,
    sipPort,
    events,
    close: () =>
      (closing ??= (async () => {
        sipReady = false;
        clearInterval(expiry);
        clearInterval(mediaPoll);
        maintenance.stopKeepAlive();
        await calls.shutdown();
        await trunks.close();
        await pbxApps.close();
        await cdrs.flush();
        await lookups.close();
        await sip.close();
        await webrtc.close();
        await media.close();
        await http.close();
        await db.close();
        logger.info({}, 'switchboard stopped');
      })()),
  };
}

function createDigestServer(algorithms: Config['sipAuthAlgorithms']): DigestServer {
  return new DigestServer({
    // NOTE: a per-process nonce secret; after a restart phones get stale=true and retry silently.
    secret: randomBytes(32),
    clock: { now: () => Date.now() },
    randomBytes: (n) => randomBytes(n),
    // OpenSSL's hashes: the pure-JS default costs several times more per authenticated request.
    crypto: nodeDigestCrypto,
    // NOTE: MD5 only by default: several deployed stacks (baresip/libre among them) fail the whole
    // exchange when any challenge names an algorithm they lack. SIP_AUTH_ALGORITHMS adds SHA-256.
    algorithms,
    // Some phones rewrite the digest uri (case, parameter order): compare as SIP URIs (§19.1.4).
    // SIPp's [authentication] always signs `sip:HOST:PORT` of its target, never the request-URI:
    // a digest uri without a user part that names the request-URI's own host and port passes
    // too. The response still covers the uri as sent, and nonce counts stop replays.
    uriMatches: (a, b) => {
      if (a === b) return true;
      const x = parseUri(a);
      const y = parseUri(b);
      if (!x.ok || !y.ok) return false;
      if (uriEquals(x.value, y.value)) return true;
      const [d, r] = [x.value, y.value];
      return (
        isSipUri(d) &&
        isSipUri(r) &&
        d.user === undefined &&
        d.scheme === r.scheme &&
        d.host.toLowerCase() === r.host.toLowerCase() &&
        d.port === r.port
      );
    },
  });
}

/** Hosts that mean "this server" in a request-URI: they select the default tenant. */
function localAddresses(config: Config): Set<string> {
  const hosts = new Set<string>(['localhost', '127.0.0.1', '::1', config.host.toLowerCase()]);
  if (config.sipPublicAddress !== undefined) hosts.add(config.sipPublicAddress.toLowerCase());
  for (const list of Object.values(networkInterfaces()))
    for (const info of list ?? []) hosts.add(info.address.toLowerCase());
  return hosts;
}
