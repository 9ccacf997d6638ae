// Registration at a provider on fake time: a real PBX UserAgent and a provider UserAgent on the
// fake network. The provider challenges (401, verified with a DigestServer), grants 60 s; the
// PBX refreshes at half of it; when the provider fails, the PBX retries with backoff.
import { DigestServer, UserAgent, seededRandom, type IncomingRequest } from '@switchboard/sip';
import { FakeClock, FakeNetwork } from '@switchboard/testkit';
import { describe, expect, it } from 'vitest';
import { PbxEventBus, type PbxEvent } from '../events/pbx-events.ts';
import { MemoryTrunkDirectory } from './trunk.ts';
import { TrunkRegistrations } from './trunk-registration.ts';

const bytes = (n: number): Uint8Array => crypto.getRandomValues(new Uint8Array(n));

function setup() {
  const clock = new FakeClock();
  const net = new FakeNetwork({ clock, latencyMs: 1 });
  const pbxEndpoint = net.endpoint('192.0.2.1', 5060);
  const ua = new UserAgent({ clock, transport: pbxEndpoint, random: seededRandom(1) });
  pbxEndpoint.onMessage = (m, s) => ua.receive(m, s);
  const providerEndpoint = net.endpoint('192.0.2.10', 5060);
  const digest = new DigestServer({
    secret: bytes(32),
    clock: { now: () => 1_700_000_000_000 + clock.now() },
    randomBytes: bytes,
    algorithms: ['MD5'],
  });
  const provider = { fail: false, registers: [] as IncomingRequest[] };
  const providerUa = new UserAgent(
    { clock, transport: providerEndpoint, random: seededRandom(2) },
    {
      onRequest: (incoming) => {
        provider.registers.push(incoming);
        if (provider.fail) return void incoming.respond(503);
        const request = incoming.request;
        void digest
          .verify({
            headers: request.headers.getFieldValues('Authorization'),
            realm: 'provider.test',
            method: request.method,
            requestUri: request.uri.toString(),
            lookup: async (user) => (user === 'acct-1' ? { password: 'secret-1' } : undefined),
          })
          .then((verdict) => {
            if (!verdict.ok) {
              const challenges = digest.challenge({ realm: 'provider.test', stale: verdict.stale });
              incoming.respond(verdict.reason === 'missing' || verdict.stale ? 401 : 403, {
                headers: challenges.map((c) => ['WWW-Authenticate', c] as const),
              });
              return;
            }
            const contact = request.headers.get('Contact') ?? '';
            incoming.respond(200, { headers: [['Contact', `${contact};expires=60`]] });
          });
      },
    },
  );
  providerEndpoint.onMessage = (m, s) => providerUa.receive(m, s);
  const directory = new MemoryTrunkDirectory();
  directory.trunks.push({
    id: '0a1b2c3d-4e5f-4a6b-8c7d-000000000001',
    tenantId: 't1',
    name: 'provider',
    host: '192.0.2.10',
    port: 5060,
    transport: 'udp',
    outboundProxy: null,
    authUsername: 'acct-1',
    password: 'secret-1',
    fromUser: null,
    fromDomain: 'provider.test',
    callerId: null,
    register: true,
    codecs: ['PCMU'],
    inboundAddresses: [],
    enabled: true,
  });
  const events = new PbxEventBus();
  const states: string[] = [];
  events.subscribe((e: PbxEvent) => e.type === 'trunk-registration' && states.push(e.state));
  const registrations = new TrunkRegistrations({
    ua,
    directory,
    clock,
    events,
    randomBytes: bytes,
    expiresSeconds: 3600,
    retryMs: 1_000,
  });
  return { clock, net, provider, directory, registrations, states };
}

describe('trunk registration', () => {
  it('registers with digest, refreshes at half the granted time, retries with backoff, un-registers', async () => {
    const { clock, net, provider, registrations, states } = setup();
    await registrations.sync();
    await clock.advanceAsync(100);
    expect(states).toEqual(['registering', 'registered']);
    const first = net.packets({ label: 'REGISTER' });
    expect(first).toHaveLength(2); // without, then with credentials
    expect(first[1]!.text).toMatch(/Authorization: Digest username="acct-1"/);
    expect(first[1]!.text).toMatch(/Contact: <sip:sb0a1b2c3d4e5f@192\.0\.2\.1:5060>/);
    expect(first[0]!.text).toMatch(/Expires: 3600/);
    expect(registrations.status('0a1b2c3d-4e5f-4a6b-8c7d-000000000001')).toMatchObject({
      state: 'registered',
      lastStatus: 200,
    });

    // 60 s granted: the refresh goes out at 30 s, not before.
    // (Long quiet stretches advance synchronously: nothing async is pending in them.)
    clock.advance(29_000);
    expect(net.packets({ label: 'REGISTER' })).toHaveLength(2);
    await clock.advanceAsync(1_100);
    expect(states.slice(2)).toEqual(['registering', 'registered']);

    // The provider fails: retries after 1 s, then 2 s, then 4 s.
    provider.fail = true;
    clock.advance(29_900);
    await clock.advanceAsync(300);
    expect(states.at(-1)).toBe('failed');
    const failedAt = provider.registers.length;
    await clock.advanceAsync(1_050);
    expect(provider.registers.length).toBe(failedAt + 1);
    await clock.advanceAsync(1_000);
    expect(provider.registers.length).toBe(failedAt + 1);
    await clock.advanceAsync(1_100);
    expect(provider.registers.length).toBe(failedAt + 2);
    // Back up: the next retry (4 s later) registers again and the backoff starts over.
    provider.fail = false;
    await clock.advanceAsync(4_100);
    expect(states.at(-1)).toBe('registered');

    const closing = registrations.close();
    await clock.advanceAsync(100);
    await closing;
    const last = net.packets({ label: 'REGISTER' }).at(-1)!;
    expect(last.text).toMatch(/Expires: 0/);
    expect(states.at(-1)).toBe('stopped');
  });

  it('follows trunk changes: a trunk that stops registering un-registers', async () => {
    const { clock, directory, registrations, states } = setup();
    await registrations.sync();
    await clock.advanceAsync(100);
    expect(states.at(-1)).toBe('registered');
    directory.trunks[0] = { ...directory.trunks[0]!, register: false };
    await registrations.sync();
    await clock.advanceAsync(100);
    expect(states.at(-1)).toBe('stopped');
    expect(registrations.statuses()).toEqual([]);
  });
});
