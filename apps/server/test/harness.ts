// The whole server in the test process: a temp DATA_DIR (embedded PGlite), SIP/HTTP on port 0,
// a random RTP range, one tenant with extensions, and the repositories to read CDRs back
// (opened through the embedded database's share socket while the server owns DATA_DIR).
import { createSocket } from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cdr, Repositories, Tenant } from '@switchboard/db';
import type { CallOptions, PbxEvent } from '@switchboard/pbx';
import { loadConfig } from '../src/config.ts';
import { openData, type OpenedData } from '../src/data.ts';
import { startServer, type RunningServer, type StartOptions } from '../src/server.ts';

export interface ExtensionSpec {
  readonly number: string;
  readonly password: string;
  readonly name?: string;
}

export interface PbxHarnessOptions {
  readonly extensions: readonly ExtensionSpec[];
  /** The tenant's SIP domain (it is the default tenant, so 127.0.0.1 reaches it too). */
  readonly domain?: string;
  readonly callOptions?: Partial<CallOptions>;
  /** The server's log level (pino, to stdout); default silent. */
  readonly logLevel?: string;
  /** More data in DATA_DIR before the server starts (trunks that register at start, …). */
  readonly beforeStart?: (repos: Repositories, tenant: Tenant) => Promise<void>;
  /** Other start options (e.g. a short trunk registration retry). */
  readonly startOptions?: Omit<StartOptions, 'logger' | 'callOptions'>;
}

export interface PbxHarness {
  readonly server: RunningServer;
  readonly sipPort: number;
  readonly httpPort: number;
  readonly dataDir: string;
  readonly tenant: Tenant;
  readonly repos: Repositories;
  /** Every PBX event published since the server started. */
  readonly events: PbxEvent[];
  /** `registrar` for a phone's account: `127.0.0.1:<sip port>`. */
  readonly registrar: string;
  /** Every CDR of the tenant, newest first. */
  cdrs(): Promise<Cdr[]>;
  /** Waits (bounded) until the tenant has at least `count` CDRs, then returns them, newest first. */
  waitForCdrs(count: number, timeoutMs?: number): Promise<Cdr[]>;
  /** GET /healthz status code. */
  health(): Promise<number>;
  close(): Promise<void>;
}

/** A random RTP range of 400 ports in 20000-59999, so parallel test files rarely meet. */
export function randomRtpPorts(): string {
  const min = 20_000 + 400 * Math.floor(Math.random() * 100);
  return `${min}-${min + 399}`;
}

/**
 * Like randomRtpPorts, but checked: a sample of the range (every 8th port) is free right now,
 * so other programs on a busy host (load tests) do not starve the relay of ports.
 */
export async function freeRtpPorts(): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const range = randomRtpPorts();
    const min = Number(range.split('-')[0]);
    const sample = Array.from({ length: 50 }, (_, i) => min + 8 * i);
    const free = await Promise.all(sample.map(udpPortFree));
    if (free.every(Boolean) || attempt >= 20) return range;
  }
}

function udpPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

/** Creates the tenant and its extensions in DATA_DIR (before or while a server runs there). */
export async function seedData(
  dataDir: string,
  domain: string,
  extensions: readonly ExtensionSpec[],
): Promise<Tenant> {
  const data = await openData({ dataDir, databaseUrl: undefined, secretKey: undefined });
  try {
    const tenant = await data.repos.tenants.create({ name: 'Acme', sipDomain: domain, isDefault: true });
    for (const e of extensions)
      await data.repos.sipAccounts.create({
        tenantId: tenant.id,
        username: e.number,
        password: e.password,
        ...(e.name !== undefined && { displayName: e.name }),
      });
    return tenant;
  } finally {
    await data.db.close();
  }
}

export async function startPbx(options: PbxHarnessOptions): Promise<PbxHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-it-'));
  const domain = options.domain ?? 'acme.test';
  const config = loadConfig(
    {
      HTTP_PORT: '0',
      SIP_PORT: '0',
      RTP_PORTS: await freeRtpPorts(),
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      LOG_LEVEL: options.logLevel ?? 'silent',
      // A test machine running many suites at once lags in ways a PBX in service does not:
      // overload protection is tested on its own (overload.test.ts), not tripped here by load.
      SIP_OVERLOAD_MAX_LAG_MS: '5000',
    },
    {},
  );
  let tenant: Tenant;
  let server: RunningServer;
  try {
    tenant = await seedData(dataDir, domain, options.extensions);
    if (options.beforeStart) {
      const seeded = await openData(config);
      try {
        await options.beforeStart(seeded.repos, tenant);
      } finally {
        await seeded.db.close();
      }
    }
    server = await startServer(config, {
      ...(options.callOptions && { callOptions: options.callOptions }),
      ...options.startOptions,
    });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const events: PbxEvent[] = [];
  server.events.subscribe((event) => events.push(event));
  let data: OpenedData;
  try {
    data = await openData(config);
  } catch (error) {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const cdrs = (): Promise<Cdr[]> => data.repos.cdrs.list({ tenantId: tenant.id, limit: 1000 });
  let closed = false;
  return {
    server,
    sipPort: server.sipPort,
    httpPort: server.httpPort,
    dataDir,
    tenant,
    repos: data.repos,
    events,
    registrar: `127.0.0.1:${server.sipPort}`,
    cdrs,
    async waitForCdrs(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const list = await cdrs();
        if (list.length >= count) return list;
        if (Date.now() > deadline)
          throw new Error(`expected ${count} CDR(s) within ${timeoutMs} ms, have ${list.length}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async health() {
      const response = await fetch(`http://127.0.0.1:${server.httpPort}/healthz`, {
        signal: AbortSignal.timeout(5_000),
      });
      return response.status;
    },
    async close() {
      if (closed) return;
      closed = true;
      await data.db.close().catch(() => undefined);
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
