// Overload protection end to end (RFC 3261 §21.5.4): the real server with a test-only low
// threshold, real UDP on loopback. The server runs in this process, so the test makes its event
// loop lag for real by keeping it busy (as a saturated server would be) while requests queue in
// the socket: new REGISTERs and INVITEs are then answered 503 with Retry-After, a BYE inside an
// established call still goes through, and once the loop has caught up requests are served again.
import { createSocket, type Socket } from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { startServer, type RunningServer } from '../src/server.ts';
import { freeRtpPorts, seedData } from './harness.ts';
import { TestPhone, until, within } from './sip-phone.ts';

const DOMAIN = 'acme.test';
const ALICE = { number: '1001', password: 'alice-secret-1001' };
const BOB = { number: '1002', password: 'bob-secret-1002' };
/** Small enough to fit the socket's receive buffer while the loop is busy. */
const BURST = 40;

let server: RunningServer;
let dataDir: string;
let raw: Socket;
const answers: string[] = [];
const phones: TestPhone[] = [];

function request(method: 'REGISTER' | 'INVITE', id: string, port: number, localPort: number): string {
  const target = method === 'REGISTER' ? `sip:127.0.0.1:${port}` : `sip:${BOB.number}@${DOMAIN}`;
  return (
    `${method} ${target} SIP/2.0\r\n` +
    `Via: SIP/2.0/UDP 127.0.0.1:${localPort};branch=z9hG4bK${id};rport\r\n` +
    'Max-Forwards: 70\r\n' +
    `From: <sip:${ALICE.number}@${DOMAIN}>;tag=f${id}\r\n` +
    `To: <sip:${method === 'REGISTER' ? ALICE.number : BOB.number}@${DOMAIN}>\r\n` +
    `Call-ID: ${id}@127.0.0.1\r\n` +
    `CSeq: 1 ${method}\r\n` +
    `Contact: <sip:${ALICE.number}@127.0.0.1:${localPort}>\r\n` +
    (method === 'REGISTER' ? 'Expires: 60\r\n' : '') +
    'Content-Length: 0\r\n\r\n'
  );
}

/** Sends without yielding to the event loop (dgram sends to an IP address after a tick). */
function send(text: string): void {
  raw.send(text, server.sipPort, '127.0.0.1');
}

const tick = (): Promise<void> => new Promise((resolve) => process.nextTick(resolve));

function keepLoopBusy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy, as a saturated server is
  }
}

const status = (text: string): string | undefined => /^SIP\/2\.0 (\d{3})/.exec(text)?.[1];
const answersTo = (prefix: string): string[] =>
  answers.filter((a) => new RegExp(`\r\nCall-ID: ${prefix}`).test(a));

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'switchboard-overload-'));
  await seedData(dataDir, DOMAIN, [ALICE, BOB]);
  const config = loadConfig(
    {
      HTTP_PORT: '0',
      SIP_PORT: '0',
      RTP_PORTS: await freeRtpPorts(),
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      // Test-only low threshold: 150 ms of event-loop lag counts as overload.
      SIP_OVERLOAD_MAX_LAG_MS: '150',
      SIP_OVERLOAD_RETRY_AFTER: '7',
    },
    {},
  );
  server = await startServer(config);
  raw = createSocket('udp4');
  raw.on('message', (bytes) => answers.push(bytes.toString('latin1')));
  await new Promise<void>((resolve) => raw.bind(0, '127.0.0.1', resolve));
}, 60_000);

afterAll(async () => {
  await Promise.all(phones.map((p) => p.close()));
  raw?.close();
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('overload protection (503 + Retry-After)', () => {
  it('refuses new REGISTERs and INVITEs while the loop lags, lets a BYE of a live call through', async () => {
    const start = (user: typeof ALICE): Promise<TestPhone> =>
      TestPhone.start({
        user: user.number,
        password: user.password,
        domain: DOMAIN,
        pbxPort: server.sipPort,
      });
    const [alice, bob] = await Promise.all([start(ALICE), start(BOB)]);
    phones.push(alice, bob);
    expect((await within(alice.register(), 5_000, 'REGISTER alice')).status).toBe(200);
    expect((await within(bob.register(), 5_000, 'REGISTER bob')).status).toBe(200);
    bob.onInvite = (invite) => invite.accept({ body: bob.sdp([0]) });
    const call = alice.call(BOB.number);
    expect((await within(call.final, 5_000, 'call')).status).toBe(200);

    // Queue new requests and the BYE in the server's socket, then keep its loop busy.
    const localPort = raw.address().port;
    for (let i = 0; i < BURST / 2; i++) send(request('REGISTER', `busy-reg-${i}`, server.sipPort, localPort));
    const bye = call.session()!.bye();
    for (let i = 0; i < BURST / 2; i++) send(request('INVITE', `busy-inv-${i}`, server.sipPort, localPort));
    await tick();
    await tick();
    keepLoopBusy(1500); // one late tick of 1.5 s: the averaged lag goes to ~300 ms

    expect((await within(bye, 5_000, 'BYE'))?.status).toBe(200);
    await until('BYE at bob', () => bob.requests('BYE')[0]);
    await until('every refused request answered', () => answersTo('busy-').length >= BURST, 10_000);
    const refused = answersTo('busy-');
    expect(refused.map(status)).toEqual(Array.from({ length: BURST }, () => '503'));
    for (const r of refused) expect(r).toMatch(/\r\nRetry-After: 7\r\n/);
    // The refusals are counted in /metrics; the lookups behind the REGISTERs come from the cache.
    const text = await (await fetch(`http://127.0.0.1:${server.httpPort}/metrics`)).text();
    expect(/^switchboard_sip_overload_refusals_total (\d+)$/m.exec(text)?.[1]).toBe(String(BURST));
    expect(
      Number(/^switchboard_lookup_cache_hits_total\{lookup="credentials"\} (\d+)$/m.exec(text)?.[1]),
    ).toBeGreaterThan(0);

    // Caught up: a new REGISTER is served again (challenged).
    await until(
      'a REGISTER served after the overload',
      () => {
        send(request('REGISTER', `after-${answers.length}`, server.sipPort, localPort));
        return answersTo('after-').find((a) => status(a) === '401');
      },
      10_000,
    );
  }, 60_000);
});
