// The softphone's own PBX services over the API (issue 7): voicemail messages, recordings and
// live calls of the device's own lines only. Every route is tried against another extension of
// the same organisation, an external account named like an extension, and another organisation:
// each must answer 404 and change nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepositories, migrate, openDatabase, SecretBox, type Database } from '@switchboard/db';
import { MemoryLocationStore, PbxEventBus } from '@switchboard/pbx';
import { OutboxMailer, registerApi, type PbxControl } from '@switchboard/api';
import {
  call,
  expectError,
  registrationSource,
  signUp,
  PUBLIC_URL,
  type Harness,
  type Session,
} from './harness.ts';

/** What the running PBX gives the API, kept in memory here: live calls and files in a temp dir. */
class TestPbx implements PbxControl {
  live = [] as { callId: string; caller: string; callee: string; recording: boolean }[];
  readonly changed: string[] = [];
  constructor(readonly dir: string) {}
  readonly conferences = {
    list: () => [],
    get: () => undefined,
    invite: async () => ({ ok: false as const, status: 503, reason: 'none' }),
    participant: async () => false,
    room: async () => false,
  };
  readonly recordings = {
    liveCalls: (_tenantId: string) => this.live,
    set: async (_tenantId: string, callId: string, on: boolean) => {
      const c = this.live.find((l) => l.callId === callId);
      if (!c) return undefined;
      c.recording = on;
      return on;
    },
  };
  voicemailChanged(tenantId: string, extension: string): void {
    this.changed.push(`${tenantId}/${extension}`);
  }
  async readFile(relative: string): Promise<Uint8Array | undefined> {
    return readFile(join(this.dir, relative)).catch(() => undefined);
  }
  async removeFile(relative: string): Promise<void> {
    await rm(join(this.dir, relative), { force: true });
  }
}

function useServicesApi(): { h: Harness; pbx: TestPbx } {
  const out = {} as { h: Harness; pbx: TestPbx };
  let dir = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-api-services-'));
    const db: Database = await openDatabase({ dataDir: join(dir, 'db') });
    await migrate(db.sql);
    const repos = createRepositories(db.sql, new SecretBox(new Uint8Array(32).map((_, i) => i + 3)));
    const clock = { now: Date.parse('2030-01-01T00:00:00Z') };
    const locations = new MemoryLocationStore();
    const events = new PbxEventBus();
    const pbx = new TestPbx(join(dir, 'files'));
    const app = Fastify();
    const api = registerApi(app, {
      repos,
      mailer: new OutboxMailer(repos.outbox),
      publicUrl: () => PUBLIC_URL,
      sip: { host: () => 'pbx.example.test', port: () => 5060 },
      registrations: registrationSource(locations, events, clock),
      now: () => clock.now,
      presenceSweepMs: 0,
      pbx,
    });
    await app.ready();
    out.h = { app, api, repos, db, locations, events, clock };
    out.pbx = pbx;
  });
  afterAll(async () => {
    await out.h?.app.close();
    await out.h?.db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return out;
}

async function organisation(h: Harness, s: Session) {
  const pbx = (await call(h, s, 'GET', '/api/v1/providers')).body.items.find(
    (p: { builtIn: boolean }) => p.builtIn,
  ).id;
  const carrier = (
    await call(h, s, 'POST', '/api/v1/providers', { name: 'Carrier', host: 'sip.carrier.example' })
  ).body.id;
  const account = async (provider: string, username: string) => {
    const r = await call(h, s, 'POST', `/api/v1/providers/${provider}/accounts`, {
      username,
      password: `pw-${username}-secret`,
    });
    expect(r.status, r.raw).toBe(201);
    return r.body.id as string;
  };
  const alice = await account(pbx, '1001');
  const bob = await account(pbx, '1002');
  await account(pbx, '1003');
  // An account at another provider that happens to be called like extension 1003.
  const lookalike = await account(carrier, '1003');
  const made = await call(h, s, 'POST', '/api/v1/contacts', {
    firstName: 'Alice',
    lastName: 'A',
    emails: [{ address: 'alice@example.com', label: 'work' }],
  });
  expect(made.status, made.raw).toBe(201);
  const contact = made.body;
  const created = await call(h, s, 'POST', `/api/v1/contacts/${contact.id}/devices`, {
    name: 'Laptop',
    accountIds: [alice, lookalike],
  });
  expect(created.status, created.raw).toBe(201);
  const laptop = created.body;
  const { code } = (await call(h, s, 'GET', `/api/v1/devices/${laptop.id}/activation`)).body;
  const activated = await call(h, undefined, 'POST', '/api/v1/provisioning/activate', {
    code,
    os: 'linux',
    appVersion: '1.0.0',
  });
  expect(activated.status, activated.raw).toBe(200);
  return {
    alice,
    bob,
    device: { headers: { authorization: `Bearer ${activated.body.deviceToken}` } },
  };
}

let files = 0;
async function storedFile(pbx: TestPbx, bytes: Uint8Array): Promise<string> {
  const relative = `audio/${++files}.wav`;
  await mkdir(dirname(join(pbx.dir, relative)), { recursive: true });
  await writeFile(join(pbx.dir, relative), bytes);
  return relative;
}

describe('the softphone’s voicemail, recordings and live calls (device token)', () => {
  const t = useServicesApi();

  it('voicemail: lists, plays, marks heard and deletes only its own lines’ messages', async () => {
    const { h, pbx } = t;
    const s = await signUp(h);
    const other = await signUp(h);
    const { alice, device } = await organisation(h, s);
    const theirs = await organisation(h, other);
    const message = async (tenantId: string, extension: string, caller: string) => {
      const bytes = new TextEncoder().encode(`RIFF-${extension}-${caller}`);
      const row = await h.repos.voicemail.addMessage({
        id: crypto.randomUUID(),
        tenantId,
        extension,
        caller,
        callerName: `Caller ${caller}`,
        file: await storedFile(pbx, bytes),
        durationMs: 3200,
      });
      return { row, bytes };
    };
    const mine = await message(s.tenantId, '1001', '1002');
    const bobs = await message(s.tenantId, '1002', '1001');
    const lookalikes = await message(s.tenantId, '1003', '1001');
    const foreign = await message(other.tenantId, '1001', '1002');

    // The counts (the MWI of the app) are the device's own extension's only.
    const counts = await call(h, device, 'GET', '/api/v1/provisioning/voicemail');
    expect(counts.body).toEqual({ lines: [{ extension: '1001', newMessages: 1, oldMessages: 0 }] });

    const list = await call(h, device, 'GET', '/api/v1/provisioning/voicemail/messages');
    expect(list.status, list.raw).toBe(200);
    expect(list.body.items).toEqual([
      {
        id: mine.row.id,
        accountId: alice,
        extension: '1001',
        caller: '1002',
        callerName: 'Caller 1002',
        durationMs: 3200,
        folder: 'new',
        createdAt: mine.row.createdAt.toISOString(),
        audioUrl: `/api/v1/provisioning/voicemail/messages/${mine.row.id}/audio`,
      },
    ]);
    expect(
      (await call(h, device, 'GET', `/api/v1/provisioning/voicemail/messages?accountId=${alice}`)).body.total,
    ).toBe(1);
    expectError(
      await call(h, device, 'GET', `/api/v1/provisioning/voicemail/messages?accountId=${theirs.alice}`),
      404,
      'not_found',
    );

    const audio = await h.app.inject({
      method: 'GET',
      url: `/api/v1/provisioning/voicemail/messages/${mine.row.id}/audio`,
      headers: device.headers,
    });
    expect(audio.statusCode).toBe(200);
    expect(audio.headers['content-type']).toBe('audio/wav');
    expect(new Uint8Array(audio.rawPayload)).toEqual(mine.bytes);

    // Another extension of the organisation, the look-alike external account, another organisation.
    for (const stranger of [bobs, lookalikes, foreign]) {
      const id = stranger.row.id;
      expectError(
        await call(h, device, 'GET', `/api/v1/provisioning/voicemail/messages/${id}/audio`),
        404,
        'not_found',
      );
      expectError(
        await call(h, device, 'PATCH', `/api/v1/provisioning/voicemail/messages/${id}`, { folder: 'saved' }),
        404,
        'not_found',
      );
      expectError(
        await call(h, device, 'DELETE', `/api/v1/provisioning/voicemail/messages/${id}`),
        404,
        'not_found',
      );
      const still = await h.repos.voicemail.message(stranger.row.tenantId, id);
      expect(still?.folder).toBe('new');
    }
    expect(pbx.changed).toEqual([]);

    const heard = await call(h, device, 'PATCH', `/api/v1/provisioning/voicemail/messages/${mine.row.id}`, {
      folder: 'saved',
    });
    expect(heard.status, heard.raw).toBe(200);
    expect(heard.body.folder).toBe('saved');
    expect(pbx.changed).toEqual([`${s.tenantId}/1001`]);
    expect(await h.repos.voicemail.counts(s.tenantId, '1001')).toEqual({ newMessages: 0, oldMessages: 1 });

    const gone = await call(h, device, 'DELETE', `/api/v1/provisioning/voicemail/messages/${mine.row.id}`);
    expect(gone.status, gone.raw).toBe(204);
    expect(await h.repos.voicemail.message(s.tenantId, mine.row.id)).toBeUndefined();
    await expect(stat(join(pbx.dir, mine.row.file))).rejects.toThrow();
    expect(pbx.changed).toEqual([`${s.tenantId}/1001`, `${s.tenantId}/1001`]);
    expectError(
      await call(h, undefined, 'GET', '/api/v1/provisioning/voicemail/messages'),
      401,
      'device_deactivated',
    );
  });

  it('recordings: listed, attached to the call history and played only for its own lines’ calls', async () => {
    const { h, pbx } = t;
    const s = await signUp(h);
    const other = await signUp(h);
    const { device } = await organisation(h, s);
    const at = (sec: number): Date => new Date(Date.UTC(2030, 0, 1, 12, 0, sec));
    const recording = async (
      tenantId: string,
      callId: string,
      caller: string,
      callee: string,
      start: number,
    ) => {
      const bytes = new TextEncoder().encode(`RIFF-${callId}`);
      const row = await h.repos.recordings.insert({
        id: crypto.randomUUID(),
        tenantId,
        sipCallId: callId,
        caller,
        callee,
        file: await storedFile(pbx, bytes),
        channels: 1,
        durationMs: 5000,
        trigger: 'on-demand',
        startedAt: at(start),
        endedAt: at(start + 5),
      });
      return { row, bytes };
    };
    const mine = await recording(s.tenantId, 'call-a@x', '1002', '1001', 10);
    const bobs = await recording(s.tenantId, 'call-b@x', '1002', '1003', 20);
    const foreign = await recording(other.tenantId, 'call-c@x', '1001', '1002', 30);
    await h.repos.cdrs.insert({
      tenantId: s.tenantId,
      direction: 'internal',
      caller: '1002',
      callee: '1001',
      startedAt: at(8),
      answeredAt: at(9),
      endedAt: at(20),
      disposition: 'answered',
      hangupCause: 'normal_clearing',
      hangupSide: 'caller',
      sipCallIds: ['call-a@x', 'leg-2@x'],
    });

    const list = await call(h, device, 'GET', '/api/v1/provisioning/recordings');
    expect(list.status, list.raw).toBe(200);
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([mine.row.id]);
    expect(list.body.items[0]).toMatchObject({
      callId: 'call-a@x',
      caller: '1002',
      callee: '1001',
      durationMs: 5000,
      trigger: 'on-demand',
      audioUrl: `/api/v1/provisioning/recordings/${mine.row.id}/audio`,
    });

    const history = await call(h, device, 'GET', '/api/v1/provisioning/call-history');
    expect(history.status, history.raw).toBe(200);
    expect(history.body.items).toHaveLength(1);
    expect(history.body.items[0]).toMatchObject({
      type: 'inbound',
      number: '1002',
      sipCallIds: ['call-a@x', 'leg-2@x'],
      recordings: [{ id: mine.row.id, audioUrl: `/api/v1/provisioning/recordings/${mine.row.id}/audio` }],
    });

    const audio = await h.app.inject({
      method: 'GET',
      url: `/api/v1/provisioning/recordings/${mine.row.id}/audio`,
      headers: device.headers,
    });
    expect(audio.statusCode).toBe(200);
    expect(new Uint8Array(audio.rawPayload)).toEqual(mine.bytes);
    for (const stranger of [bobs, foreign])
      expectError(
        await call(h, device, 'GET', `/api/v1/provisioning/recordings/${stranger.row.id}/audio`),
        404,
        'not_found',
      );
  });

  it('live calls: sees and records only its own lines’ calls', async () => {
    const { h, pbx } = t;
    const s = await signUp(h);
    const { device } = await organisation(h, s);
    pbx.live = [
      { callId: 'live-1', caller: '1001', callee: '1002', recording: false },
      { callId: 'live-2', caller: '1002', callee: '1003', recording: false },
    ];
    const live = await call(h, device, 'GET', '/api/v1/provisioning/live-calls');
    expect(live.status, live.raw).toBe(200);
    expect(live.body.items.map((c: { callId: string }) => c.callId)).toEqual(['live-1']);

    const refused = await h.app.inject({
      method: 'PUT',
      url: '/api/v1/provisioning/live-calls/live-2/recording',
      headers: device.headers,
      payload: { recording: true },
    });
    expect(refused.statusCode, refused.body).toBe(404);
    expect(pbx.live[1]!.recording).toBe(false);

    const started = await h.app.inject({
      method: 'PUT',
      url: '/api/v1/provisioning/live-calls/live-1/recording',
      headers: device.headers,
      payload: { recording: true },
    });
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json()).toEqual({ recording: true });
    expect(pbx.live[0]!.recording).toBe(true);
  });
});
