import { describe, expect, it } from 'vitest';
import { DigestClient, DigestServer, parseMessage, SipRequest, type SipResponse } from '@switchboard/sip';
import { PbxEventBus, type PbxEvent } from '../events/pbx-events.ts';
import { MemoryDirectory } from '../store/directory.ts';
import { MemoryLocationStore } from './location-store.ts';
import { Registrar } from './registrar.ts';
import type { RequestSource } from '../routing/request-source.ts';

const random = (n: number): Uint8Array => crypto.getRandomValues(new Uint8Array(n));

function setup() {
  let now = 1_700_000_000_000;
  const directory = new MemoryDirectory()
    .addTenant({ id: 't1', name: 'Acme', domain: 'acme.test', isDefault: true })
    .addTenant({ id: 't2', name: 'Other', domain: 'other.test', isDefault: false })
    .addExtension('t1', '1001', 'secret1001', 'Alice')
    .addExtension('t1', '1002', 'secret1002')
    .addExtension('t2', '1001', 'other-secret');
  const locations = new MemoryLocationStore();
  const events = new PbxEventBus();
  const seen: PbxEvent[] = [];
  events.subscribe((e) => seen.push(e));
  const digest = new DigestServer({
    secret: random(32),
    clock: { now: () => now },
    randomBytes: random,
    algorithms: ['MD5'],
  });
  const registrar = new Registrar({
    directory,
    locations,
    digest,
    events,
    now: () => now,
    isLocalHost: (h) => h === '127.0.0.1',
  });
  return { registrar, directory, locations, seen, advance: (ms: number) => (now += ms), now: () => now };
}

const source: RequestSource = {
  transport: 'udp',
  remote: { host: '203.0.113.5', port: 40000 },
  connectionId: undefined,
};

function register(opts: {
  user: string;
  domain: string;
  contact: string;
  expires?: number;
  cseq: number;
  callId?: string;
}): SipRequest {
  const text =
    `REGISTER sip:${opts.domain} SIP/2.0\r\n` +
    `Via: SIP/2.0/UDP 192.168.1.5:5060;branch=z9hG4bK${opts.cseq}x;rport\r\n` +
    `Max-Forwards: 70\r\n` +
    `From: <sip:${opts.user}@${opts.domain}>;tag=abc\r\n` +
    `To: <sip:${opts.user}@${opts.domain}>\r\n` +
    `Call-ID: ${opts.callId ?? 'reg-call-1'}\r\n` +
    `CSeq: ${opts.cseq} REGISTER\r\n` +
    `Contact: ${opts.contact}\r\n` +
    (opts.expires !== undefined ? `Expires: ${opts.expires}\r\n` : '') +
    `Content-Length: 0\r\n\r\n`;
  const parsed = parseMessage(text);
  if (parsed.kind !== 'message' || !(parsed.message instanceof SipRequest)) throw new Error('bad fixture');
  return parsed.message;
}

async function authed(
  registrar: Registrar,
  request: SipRequest,
  password: string,
): Promise<{ challenge: SipResponse; final: SipResponse }> {
  const challenge = await registrar.handle(request, source);
  expect(challenge.status).toBe(401);
  const user = request.to.uri.toString().replace(/^sip:([^@]+)@.*/, '$1');
  const client = new DigestClient({ credentials: { username: user, password }, randomBytes: random });
  const verdict = client.handleChallenge({
    status: 401,
    headers: challenge.headers.getFieldValues('WWW-Authenticate'),
  });
  expect(verdict.ok).toBe(true);
  const retry = request.clone();
  retry.cseq = { seq: request.cseq.seq + 1, method: 'REGISTER' };
  for (const h of client.authorize({ method: 'REGISTER', requestUri: retry.uri.toString() }).headers)
    retry.headers.append(h.name, h.value);
  return { challenge, final: await registrar.handle(retry, source) };
}

/** The authenticated retry of `request` after its 401 (what a phone sends next). */
async function authorizedRetry(
  registrar: Registrar,
  request: SipRequest,
  password: string,
): Promise<SipRequest> {
  const challenge = await registrar.handle(request, source);
  const user = request.to.uri.toString().replace(/^sip:([^@]+)@.*/, '$1');
  const client = new DigestClient({ credentials: { username: user, password }, randomBytes: random });
  client.handleChallenge({ status: 401, headers: challenge.headers.getFieldValues('WWW-Authenticate') });
  const retry = request.clone();
  retry.cseq = { seq: request.cseq.seq + 1, method: 'REGISTER' };
  for (const h of client.authorize({ method: 'REGISTER', requestUri: retry.uri.toString() }).headers)
    retry.headers.append(h.name, h.value);
  return retry;
}

/**
 * The in-memory store answering a few event-loop turns after it read, as a store over the
 * network does (the answer is a snapshot taken before the reply travels back).
 */
class SlowLocationStore extends MemoryLocationStore {
  override async lookup(tenantId: string, username: string, now: number) {
    const snapshot = await super.lookup(tenantId, username, now);
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    return snapshot;
  }
}

describe('Registrar', () => {
  it('keeps both devices when they register at the same moment (one REGISTER per AOR at a time)', async () => {
    const { directory, now } = setup();
    const locations = new SlowLocationStore();
    const registrar = new Registrar({
      directory,
      locations,
      digest: new DigestServer({
        secret: random(32),
        clock: { now },
        randomBytes: random,
        algorithms: ['MD5'],
      }),
      events: new PbxEventBus(),
      now,
      isLocalHost: (h) => h === '127.0.0.1',
    });
    const devices = ['10.0.0.1', '10.0.0.2', '10.0.0.3'];
    const retries = await Promise.all(
      devices.map((host, i) =>
        authorizedRetry(
          registrar,
          register({
            user: '1001',
            domain: 'acme.test',
            contact: `<sip:1001@${host}>`,
            cseq: 1,
            callId: `dev-${i}`,
          }),
          'secret1001',
        ),
      ),
    );
    const finals = await Promise.all(retries.map((r) => registrar.handle(r, source)));
    expect(finals.map((f) => f.status)).toEqual([200, 200, 200]);
    const bound = (await locations.lookup('t1', '1001', now())).map((b) => b.contact).sort();
    expect(bound).toEqual(devices.map((host) => `sip:1001@${host}`));
    // The last answer lists every binding (§10.3 step 8).
    expect(finals[2]!.contacts()).toHaveLength(3);
  });

  it('challenges, then binds the contact with the source address and publishes the change', async () => {
    const { registrar, locations, seen, now } = setup();
    const { final } = await authed(
      registrar,
      register({ user: '1001', domain: 'acme.test', contact: '<sip:1001@192.168.1.5:5060>', cseq: 1 }),
      'secret1001',
    );
    expect(final.status).toBe(200);
    expect(final.contacts().map((c) => [c.uri.toString(), c.expires])).toEqual([
      ['sip:1001@192.168.1.5:5060', 3600],
    ]);
    const bindings = await locations.lookup('t1', '1001', now());
    expect(bindings).toHaveLength(1);
    expect(bindings[0]!.source).toEqual({ transport: 'udp', host: '203.0.113.5', port: 40000 });
    expect(seen.map((e) => e.type === 'registration' && e.change.kind)).toEqual(['added']);
  });

  it('answers a wrong password with 403, not an endless 401', async () => {
    const { registrar, seen } = setup();
    const { final } = await authed(
      registrar,
      register({ user: '1001', domain: 'acme.test', contact: '<sip:1001@10.0.0.1>', cseq: 1 }),
      'wrong',
    );
    expect(final.status).toBe(403);
    expect(seen.some((e) => e.type === 'auth-failure')).toBe(true);
  });

  it('refuses a disabled extension with 403 and binds nothing', async () => {
    const { registrar, directory, locations, now } = setup();
    directory.addExtension('t1', '1003', 'secret1003', 'Carol', false);
    const { final } = await authed(
      registrar,
      register({ user: '1003', domain: 'acme.test', contact: '<sip:1003@10.0.0.3>', cseq: 1 }),
      'secret1003',
    );
    expect(final.status).toBe(403);
    expect(await locations.lookup('t1', '1003', now())).toEqual([]);
  });

  it('rejects too short an interval with 423 and Min-Expires', async () => {
    const { registrar } = setup();
    const { final } = await authed(
      registrar,
      register({ user: '1001', domain: 'acme.test', contact: '<sip:1001@10.0.0.1>', cseq: 1, expires: 10 }),
      'secret1001',
    );
    expect(final.status).toBe(423);
    expect(final.headers.get('Min-Expires')).toBe('60');
  });

  it('caps long intervals, keeps several devices, and un-registers with Expires: 0 and *', async () => {
    const { registrar, locations, now } = setup();
    const a = await authed(
      registrar,
      register({
        user: '1001',
        domain: '127.0.0.1',
        contact: '<sip:1001@10.0.0.1>',
        cseq: 1,
        expires: 99999,
        callId: 'dev-a',
      }),
      'secret1001',
    );
    expect(a.final.contacts()[0]!.expires).toBe(3600);
    const b = await authed(
      registrar,
      register({
        user: '1001',
        domain: '127.0.0.1',
        contact: '<sip:1001@10.0.0.2>',
        cseq: 1,
        callId: 'dev-b',
      }),
      'secret1001',
    );
    expect(b.final.contacts()).toHaveLength(2);
    const off = await authed(
      registrar,
      register({
        user: '1001',
        domain: '127.0.0.1',
        contact: '<sip:1001@10.0.0.1>',
        cseq: 5,
        expires: 0,
        callId: 'dev-a',
      }),
      'secret1001',
    );
    expect(off.final.contacts().map((c) => c.uri.toString())).toEqual(['sip:1001@10.0.0.2']);
    const all = await authed(
      registrar,
      register({ user: '1001', domain: '127.0.0.1', contact: '*', cseq: 9, expires: 0, callId: 'dev-c' }),
      'secret1001',
    );
    expect(all.final.status).toBe(200);
    expect(await locations.lookup('t1', '1001', now())).toHaveLength(0);
  });

  it('expires bindings when their time is up', async () => {
    const { registrar, locations, advance, now } = setup();
    await authed(
      registrar,
      register({ user: '1002', domain: 'acme.test', contact: '<sip:1002@10.0.0.9>', cseq: 1, expires: 120 }),
      'secret1002',
    );
    advance(121_000);
    expect(await locations.lookup('t1', '1002', now())).toHaveLength(0);
    expect(await locations.expire(now())).toHaveLength(1);
  });

  it('keeps tenants apart: the same number in another domain is another account', async () => {
    const { registrar, locations, now } = setup();
    const wrongTenant = await authed(
      registrar,
      register({ user: '1001', domain: 'other.test', contact: '<sip:1001@10.0.0.1>', cseq: 1 }),
      'secret1001',
    );
    expect(wrongTenant.final.status).toBe(403);
    const ok = await authed(
      registrar,
      register({ user: '1001', domain: 'other.test', contact: '<sip:1001@10.0.0.1>', cseq: 1 }),
      'other-secret',
    );
    expect(ok.final.status).toBe(200);
    expect(await locations.lookup('t1', '1001', now())).toHaveLength(0);
    expect(await locations.lookup('t2', '1001', now())).toHaveLength(1);
  });

  it('refuses unknown domains and answers a broken To header with 400', async () => {
    const { registrar } = setup();
    expect(
      (
        await registrar.handle(
          register({ user: '1001', domain: 'nowhere.test', contact: '<sip:x@1.2.3.4>', cseq: 1 }),
          source,
        )
      ).status,
    ).toBe(404);
    const bad = register({ user: '1001', domain: 'acme.test', contact: '<sip:x@1.2.3.4>', cseq: 1 });
    bad.headers.set('To', '<<not a uri');
    expect((await registrar.handle(bad, source)).status).toBe(400);
  });
});
