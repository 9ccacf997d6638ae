// Test harness: the API on a fresh migrated database (PGlite or a throwaway PostgreSQL), with
// the outbox mailer, a real in-memory location store for "SIP status", and a controllable clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import {
  createRepositories,
  migrate,
  openDatabase,
  SecretBox,
  type Backend,
  type Database,
  type Repositories,
} from '@switchboard/db';
import { MemoryLocationStore, PbxEventBus, type Binding } from '@switchboard/pbx';
import { startPostgres, type PostgresServer } from '@switchboard/testkit';
import { OutboxMailer, registerApi, type ApiHandle, type RegistrationSource } from '@switchboard/api';

export const BACKENDS: readonly Backend[] = ['pglite', 'postgres'];

let server: Promise<PostgresServer> | undefined;
let users = 0;

export interface Harness {
  readonly app: FastifyInstance;
  readonly api: ApiHandle;
  readonly repos: Repositories;
  readonly db: Database;
  readonly locations: MemoryLocationStore;
  readonly events: PbxEventBus;
  /** The clock the API sees; tests move it. */
  readonly clock: { now: number };
}

export const PUBLIC_URL = 'https://portal.example.test';

export function registrationSource(
  locations: MemoryLocationStore,
  events: PbxEventBus,
  clock: { now: number },
): RegistrationSource {
  return {
    isRegistered: async (tenantId, username) =>
      (await locations.lookup(tenantId, username, clock.now)).length > 0,
    subscribe: (listener) =>
      events.subscribe((e) => {
        if (e.type === 'registration') listener(e.change.binding.tenantId, e.change.binding.username);
      }),
  };
}

/** Opens a fresh database and API for the enclosing describe. */
export function useApi(backend: Backend): Harness {
  let h: Harness | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    let db: Database;
    if (backend === 'postgres') {
      users++;
      server ??= startPostgres();
      db = await openDatabase({ url: await (await server).createDatabase() });
    } else {
      dir = mkdtempSync(join(tmpdir(), 'sb-api-'));
      db = await openDatabase({ dataDir: dir });
    }
    await migrate(db.sql);
    const repos = createRepositories(db.sql, new SecretBox(new Uint8Array(32).map((_, i) => i + 7)));
    const clock = { now: Date.parse('2030-01-01T00:00:00Z') };
    const locations = new MemoryLocationStore();
    const events = new PbxEventBus();
    const app = Fastify();
    const api = registerApi(app, {
      repos,
      mailer: new OutboxMailer(repos.outbox),
      publicUrl: () => PUBLIC_URL,
      sip: { host: () => 'pbx.example.test', port: () => 5060 },
      registrations: registrationSource(locations, events, clock),
      now: () => clock.now,
      presenceSweepMs: 0,
    });
    await app.ready();
    h = { app, api, repos, db, locations, events, clock };
  });
  afterAll(async () => {
    await h?.app.close();
    await h?.db.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (backend === 'postgres' && --users === 0 && server) {
      const stopping = server;
      server = undefined;
      await stopping.then((s) => s.stop()).catch(() => undefined);
    }
  });
  return new Proxy({} as Harness, {
    get(_t, key) {
      if (!h) throw new Error('harness not ready (use it inside a test)');
      return h[key as keyof Harness];
    },
  });
}

let n = 0;
export const uniqueEmail = (prefix = 'admin'): string => `${prefix}${++n}-${process.pid}@example.com`;

export interface Session {
  readonly cookie: string;
  readonly email: string;
  readonly tenantId: string;
  readonly headers: { cookie: string };
}

/** The last mail in the outbox to `to`. */
export async function lastMailTo(h: Harness, to: string) {
  const { items } = await h.repos.outbox.list({ tenantId: null, to, limit: 1 });
  expect(items[0], `a mail to ${to}`).toBeDefined();
  return items[0]!;
}

/** Registers, confirms through the e-mailed link, and signs in. */
export async function signUp(h: Harness, overrides: Record<string, unknown> = {}): Promise<Session> {
  const email = (overrides.email as string | undefined) ?? uniqueEmail();
  const password = 'correct horse battery';
  const reg = await h.app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email,
      password,
      passwordConfirmation: password,
      privacyAccepted: true,
      organisationName: `Org ${email}`,
      ...overrides,
    },
  });
  expect(reg.statusCode, reg.body).toBe(201);
  const mail = await lastMailTo(h, email);
  const token = /token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
  const confirm = await h.app.inject({
    method: 'POST',
    url: '/api/v1/auth/confirm-email',
    payload: { token },
  });
  expect(confirm.statusCode, confirm.body).toBe(204);
  const login = await h.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password },
  });
  expect(login.statusCode, login.body).toBe(200);
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  return { cookie, email, tenantId: login.json().organisation.id, headers: { cookie } };
}

export function binding(tenantId: string, username: string, expiresAt: number): Binding {
  return {
    tenantId,
    username,
    contact: `sip:${username}@127.0.0.1:5070`,
    source: { transport: 'udp', host: '127.0.0.1', port: 5070 },
    connectionId: undefined,
    callId: `call-${username}`,
    cseq: 1,
    expiresAt,
    q: undefined,
    userAgent: 'test',
    instanceId: undefined,
  };
}

export interface Reply {
  readonly status: number;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly raw: string;
  readonly headers: Record<string, unknown>;
}

/** One request through app.inject(), as the signed-in session `s` (or anonymous). */
export async function call(
  h: Harness,
  s: Session | { headers: Record<string, string> } | undefined,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
): Promise<Reply> {
  const r = await h.app.inject({
    method,
    url,
    headers: s?.headers ?? {},
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
  let body: unknown;
  try {
    body = r.body ? JSON.parse(r.body) : undefined;
  } catch {
    body = undefined;
  }
  return { status: r.statusCode, body, raw: r.body, headers: r.headers };
}

/** Expects a JSON error with this code (and these bad fields, when given). */
export function expectError(r: Reply, status: number, code: string, fields?: string[]): void {
  expect(r.status, r.raw).toBe(status);
  expect(r.body.error.code, r.raw).toBe(code);
  expect(typeof r.body.error.message).toBe('string');
  expect(Array.isArray(r.body.error.details)).toBe(true);
  if (fields)
    expect(r.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([...fields].sort());
}
