// Registration upkeep on real loopback sockets: the PBX side is wired as in server.ts (NodeTransport
// on UDP and TCP, UserAgent, Pbx + Registrar, BindingMaintenance fed by the transport's
// connection news), with a short T1 so an unanswered OPTIONS times out in about two seconds.
// Phones are scriptable UAs (UDP and TCP). Keep-alive rounds are run by calling keepAlive().
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DigestServer, hostClock, UserAgent } from '@switchboard/sip';
import { NodeTransport } from '@switchboard/sip-node';
import {
  BindingMaintenance,
  MemoryDirectory,
  MemoryLocationStore,
  Pbx,
  PbxEventBus,
  Registrar,
  type PbxEvent,
} from '@switchboard/pbx';
import { TestPhone, until, within } from './sip-phone.ts';

const DOMAIN = 'acme.test';
const TENANT = 't1';
const ALICE = { number: '7001', password: 'alice-7001-pw' };
const BOB = { number: '7002', password: 'bob-7002-pw' };
const CAROL = { number: '7003', password: 'carol-7003-pw' };
const MAX_MISSED = 2;

describe('binding maintenance (keep-alive OPTIONS, connection-bound bindings)', () => {
  const locations = new MemoryLocationStore();
  const events = new PbxEventBus();
  const seen: PbxEvent[] = [];
  let transport: NodeTransport;
  let ua: UserAgent;
  let maintenance: BindingMaintenance;
  let sipPort: number;
  let phones: TestPhone[] = [];

  beforeAll(async () => {
    events.subscribe((e) => seen.push(e));
    const directory = new MemoryDirectory()
      .addTenant({ id: TENANT, name: 'Acme', domain: DOMAIN, isDefault: true })
      .addExtension(TENANT, ALICE.number, ALICE.password)
      .addExtension(TENANT, BOB.number, BOB.password)
      .addExtension(TENANT, CAROL.number, CAROL.password);
    const digest = new DigestServer({
      secret: randomBytes(32),
      clock: { now: () => Date.now() },
      randomBytes: (n) => new Uint8Array(randomBytes(n)),
      algorithms: ['MD5'],
    });
    const registrar = new Registrar({
      directory,
      locations,
      digest,
      events,
      now: () => Date.now(),
      isLocalHost: (h) => h === '127.0.0.1',
    });
    transport = new NodeTransport();
    // T1 = 30 ms: Timer F (64·T1) ends an unanswered OPTIONS after about 2 s.
    ua = new UserAgent(
      {
        clock: hostClock({ setTimeout, clearTimeout, now: () => performance.now() }),
        transport,
        timers: { T1: 30 },
      },
      new Pbx({ registrar }),
    );
    maintenance = new BindingMaintenance({
      ua,
      locations,
      events,
      now: () => Date.now(),
      options: { maxMissed: MAX_MISSED },
    });
    transport.setReceiver({
      receive: (message, source) => ua.receive(message, source),
      connectionClosed: (connection) => void maintenance.connectionClosed(connection.id),
    });
    const udp = await transport.listen({ protocol: 'UDP', host: '127.0.0.1', port: 0 });
    await transport.listen({ protocol: 'TCP', host: '127.0.0.1', port: udp.port });
    sipPort = udp.port;
  });
  afterEach(async () => {
    await Promise.all(phones.map((p) => p.close()));
    phones = [];
  });
  afterAll(async () => {
    ua?.dispose();
    await transport?.close();
  });

  const registered = async (
    user: { number: string; password: string },
    protocol: 'UDP' | 'TCP' = 'UDP',
  ): Promise<TestPhone> => {
    const p = await TestPhone.start({
      user: user.number,
      password: user.password,
      domain: DOMAIN,
      pbxPort: sipPort,
      protocol,
    });
    phones.push(p);
    expect((await within(p.register(), 5_000, 'REGISTER')).status).toBe(200);
    return p;
  };
  const bindingsOf = async (user: { number: string }) => locations.lookup(TENANT, user.number, Date.now());
  const removed = (user: { number: string }) =>
    seen.filter(
      (e) =>
        e.type === 'registration' && e.change.kind === 'removed' && e.change.binding.username === user.number,
    );

  it('sends OPTIONS to a UDP phone; a phone that answers keeps its binding', async () => {
    const alice = await registered(ALICE);
    for (let round = 0; round < MAX_MISSED + 1; round++)
      await within(maintenance.keepAlive(), 10_000, 'keep-alive');
    const options = alice.requests('OPTIONS');
    expect(options.length).toBe(MAX_MISSED + 1);
    // Sent to the contact the phone registered.
    expect(options[0]!.uri.toString()).toContain(`${ALICE.number}@127.0.0.1`);
    expect(await bindingsOf(ALICE)).toHaveLength(1);
    expect(removed(ALICE)).toHaveLength(0);
  }, 30_000);

  it(`drops a UDP phone that misses ${MAX_MISSED} keep-alives in a row (reason unreachable)`, async () => {
    const bob = await registered(BOB);
    // Bob's phone goes silent: it still receives, but answers nothing.
    bob.transport.setReceiver({ receive: (message, source) => void bob.received.push({ message, source }) });
    await within(maintenance.keepAlive(), 10_000, 'keep-alive round 1');
    expect(await bindingsOf(BOB)).toHaveLength(1);
    expect(removed(BOB)).toHaveLength(0);
    await within(maintenance.keepAlive(), 10_000, 'keep-alive round 2');
    expect(bob.requests('OPTIONS').length).toBeGreaterThanOrEqual(MAX_MISSED);
    expect(await bindingsOf(BOB)).toHaveLength(0);
    expect(removed(BOB)).toEqual([
      expect.objectContaining({
        change: expect.objectContaining({ kind: 'removed', reason: 'unreachable' }),
      }),
    ]);
  }, 30_000);

  it('keeps no OPTIONS for TCP bindings, and drops them when their connection closes', async () => {
    const carol = await registered(CAROL, 'TCP');
    const [binding] = await bindingsOf(CAROL);
    expect(binding?.source.transport).toBe('tcp');
    expect(binding?.connectionId).toBeDefined();
    await within(maintenance.keepAlive(), 10_000, 'keep-alive');
    expect(carol.requests('OPTIONS')).toHaveLength(0);

    await carol.close();
    phones = phones.filter((p) => p !== carol);
    await until('the TCP binding removed', () => removed(CAROL).length > 0, 5_000);
    expect(await bindingsOf(CAROL)).toHaveLength(0);
    expect(removed(CAROL)).toEqual([
      expect.objectContaining({
        change: expect.objectContaining({ kind: 'removed', reason: 'connection-closed' }),
      }),
    ]);
  }, 30_000);
});
