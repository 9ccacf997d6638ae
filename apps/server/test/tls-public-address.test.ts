// SIP over TLS and SIP_PUBLIC_ADDRESS, through the whole server: a self-signed certificate (openssl
// CLI) in SIP_TLS_CERT/SIP_TLS_KEY and SIP_PUBLIC_ADDRESS=127.0.0.2. A phone registers over TLS on
// the TLS port; a call from a UDP phone reaches it over that TLS connection, and everything the
// PBX writes about itself (Via, Contact, SDP c=) names the public address, not 127.0.0.1.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { startServer, type RunningServer } from '../src/server.ts';
import { freeRtpPorts, seedData } from './harness.ts';
import { TestPhone, until, within } from './sip-phone.ts';

const PUBLIC = '127.0.0.2';
const DOMAIN = 'acme.test';
const ALICE = { number: '8001', password: 'alice-8001-pw' };
const BOB = { number: '8002', password: 'bob-8002-pw' };

async function selfSignedCert(dir: string): Promise<{ cert: string; key: string }> {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  await new Promise<void>((resolve, reject) =>
    execFile(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { timeout: 20_000 },
      (error, _stdout, stderr) => (error ? reject(new Error(`openssl failed: ${stderr}`)) : resolve()),
    ),
  );
  return { cert, key };
}

describe('TLS and SIP_PUBLIC_ADDRESS', () => {
  let dir: string;
  let server: RunningServer | undefined;
  let tlsPort: number;
  let caPem: string;
  const phones: TestPhone[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-tls-'));
    const { cert, key } = await selfSignedCert(dir);
    caPem = await readFile(cert, 'utf8');
    const dataDir = join(dir, 'data');
    await seedData(dataDir, DOMAIN, [ALICE, BOB]);
    const config = loadConfig(
      {
        HTTP_PORT: '0',
        SIP_PORT: '0',
        RTP_PORTS: await freeRtpPorts(),
        DATA_DIR: dataDir,
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        SIP_TLS_CERT: cert,
        SIP_TLS_KEY: key,
        SIP_PUBLIC_ADDRESS: PUBLIC,
      },
      {},
    );
    // The TLS port (picked by the OS) is only told in the "switchboard started" log line.
    let log = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        log += chunk.toString();
        done();
      },
    });
    server = await startServer(config, { logger: pino({ level: 'info' }, sink) });
    const started = log.split('\n').find((l) => l.includes('"switchboard started"'));
    const tls = (JSON.parse(started ?? '{}') as { sip?: string[] }).sip?.find((s) => s.startsWith('tls:'));
    expect(tls, log).toBeDefined();
    tlsPort = Number(tls!.split(':').pop());
  }, 60_000);
  afterAll(async () => {
    await Promise.all(phones.map((p) => p.close()));
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('registers over TLS, and the call INVITE to the TLS phone names the public address', async () => {
    const bob = await TestPhone.start({
      user: BOB.number,
      password: BOB.password,
      domain: DOMAIN,
      pbxPort: tlsPort,
      protocol: 'TLS',
      tlsClient: { ca: caPem },
    });
    phones.push(bob);
    const registered = await within(bob.register(), 10_000, 'REGISTER over TLS');
    expect(registered.status).toBe(200);
    // It really went over TLS, to the TLS port.
    const challenge = bob.received.find((r) => 'status' in r.message && r.message.status === 401);
    expect(challenge?.source).toMatchObject({ protocol: 'TLS', remote: { port: tlsPort } });
    expect(registered.contacts().length).toBe(1);

    const alice = await TestPhone.start({
      user: ALICE.number,
      password: ALICE.password,
      domain: DOMAIN,
      pbxPort: server!.sipPort,
    });
    phones.push(alice);
    expect((await within(alice.register(), 5_000, 'REGISTER')).status).toBe(200);

    bob.onInvite = (invite) => invite.accept({ body: bob.sdp([0]) });
    const call = alice.call(BOB.number);
    const ok = await within(call.final, 10_000, 'the call');
    expect(ok.status).toBe(200);

    // The INVITE reached Bob over his TLS connection.
    const inviteAtBob = await until('INVITE at Bob', () =>
      bob.received.find((r) => r.message === bob.invites[0]?.request),
    );
    expect(inviteAtBob.source.protocol).toBe('TLS');
    const invite = bob.invites[0]!.request;
    const via = invite.topVia();
    expect(via?.transport.toUpperCase()).toBe('TLS');
    expect(via?.host).toBe(PUBLIC);
    expect(invite.contacts()[0]?.uri.toString()).toContain(`@${PUBLIC}`);
    expect(invite.bodyText).toMatch(new RegExp(`^c=IN IP4 ${PUBLIC.replace(/\./g, '\\.')}\\s*$`, 'm'));
    expect(invite.bodyText).not.toMatch(/^c=IN IP4 127\.0\.0\.1/m);

    // The caller's side too: the 200's Contact and SDP.
    expect(ok.contacts()[0]?.uri.toString()).toContain(`@${PUBLIC}`);
    expect(ok.bodyText).toMatch(new RegExp(`^c=IN IP4 ${PUBLIC.replace(/\./g, '\\.')}\\s*$`, 'm'));

    await within(call.session()!.bye(), 5_000, 'BYE');
    await until('BYE at Bob over TLS', () =>
      bob.received.find(
        (r) => 'method' in r.message && r.message.method === 'BYE' && r.source.protocol === 'TLS',
      ),
    );
  }, 60_000);
});
