// The WebRTC gateway without a browser: endpoints on worker threads, ICE-lite answers (and
// refusals), DTLS in both roles, certificate checks, SRTP both ways, the inactivity timeout.
import { describe, expect, it } from 'vitest';
import type { WebRtcLeg } from '../src/index.ts';
import { FakePhone, until } from './fake-phone.ts';
import { rtp, useWebRtcGateway } from './webrtc/gateway-fixture.ts';
import { SimBrowser } from './webrtc/sim-browser.ts';

describe('WebRTC gateway (worker threads)', () => {
  const fx = useWebRtcGateway({ workers: 2, portRange: { min: 25000, max: 25999 } });

  const setup = async (inactivityTimeoutMs = 0) => {
    const phone = await FakePhone.open(0x77);
    fx.opened.push(phone);
    const seen: string[] = [];
    const leg = await fx.gateway.createEndpoint({
      media: { address: '127.0.0.1', rtpPort: phone.port, rtcpPort: phone.port },
      inactivityTimeoutMs,
      delegate: {
        onConnected: (profile) => seen.push(`connected ${profile}`),
        onClosed: (reason) => seen.push(`closed ${reason}`),
        onTimeout: () => seen.push('timeout'),
      },
    });
    fx.opened.push(leg);
    return { phone, leg, seen };
  };

  it('answers checks, refuses bad credentials, and carries SRTP both ways (browser as DTLS client)', async () => {
    const { phone, leg, seen } = await setup();
    expect(leg.local.iceLite).toBe(true);
    expect(leg.local.fingerprint).toEqual(fx.gateway.fingerprint);
    expect(leg.local.candidates[0]).toMatchObject({
      address: '127.0.0.1',
      port: leg.local.port,
      type: 'host',
    });
    const browser = await SimBrowser.open(leg.local, fx.browserCert, 'client');
    fx.opened.push(browser);
    await leg.setRemote(browser.remote(fx.browserCert));

    browser.check({ pwd: 'not-the-password-at-all' });
    await until(() => browser.stunResponses.length === 1, 5000, 'the 401');
    expect(browser.stunResponses[0]!.type).toBe(0x0111);
    expect(browser.stunResponses[0]!.errorCode).toBe(401);
    browser.check({ controlled: true });
    await until(() => browser.stunResponses.length === 2, 5000, 'the 487');
    expect(browser.stunResponses[1]!.errorCode).toBe(487);
    browser.check();
    await until(() => browser.stunResponses.length === 3, 5000, 'the success response');
    const ok = browser.stunResponses[2]!;
    expect(ok.type).toBe(0x0101);
    expect(ok.verifyIntegrity(leg.local.icePwd)).toBe(true);
    expect(ok.xorMappedAddress).toEqual({ address: '127.0.0.1', port: browser.socket.address().port });

    browser.connect();
    await until(() => seen.length > 0 && browser.connected, 10_000, 'DTLS');
    expect(seen).toEqual(['connected AEAD_AES_128_GCM']);

    for (let i = 0; i < 20; i++) browser.sendRtp(rtp(100 + i, 0xb0b, i));
    await until(() => phone.received.length === 20, 5000, 'decrypted RTP at the phone');
    expect(phone.received.map((r) => r.packet.sequenceNumber)).toEqual(
      Array.from({ length: 20 }, (_, i) => 100 + i),
    );
    expect(phone.received[5]!.packet.payload[0]).toBe(5);
    expect(phone.received[0]!.from.port).toBe(leg.plain.port);

    for (let i = 0; i < 20; i++)
      phone.socket.send(rtp(500 + i, 0xcafe, 0x40 + i), leg.plain.port, '127.0.0.1');
    await until(() => browser.received.length === 20, 5000, 'SRTP at the browser');
    expect(browser.received[3]!.readUInt16BE(2)).toBe(503);
    expect(browser.received[3]![12]).toBe(0x43);

    const stats = await leg.stats();
    expect(stats).toMatchObject({ state: 'connected', packetsIn: 20, packetsOut: 20, srtpErrors: 0 });
    const counters = await fx.gateway.counters();
    expect(counters.connected).toBeGreaterThanOrEqual(1);
    expect(counters.packetsIn).toBeGreaterThanOrEqual(20);
  });

  it('is the DTLS client when the browser answered passive', async () => {
    const { phone, leg, seen } = await setup();
    const browser = await SimBrowser.open(leg.local, fx.browserCert, 'server');
    fx.opened.push(browser);
    await leg.setRemote(browser.remote(fx.browserCert));
    browser.check();
    await until(() => browser.connected && seen.length > 0, 10_000, 'DTLS with us as client');
    expect(seen).toEqual(['connected AEAD_AES_128_GCM']);
    browser.sendRtp(rtp(1, 1, 1));
    await until(() => phone.received.length === 1, 5000, 'RTP');
  });

  it('refuses a DTLS certificate that does not match the SDP fingerprint', async () => {
    const { leg, seen } = await setup();
    const browser = await SimBrowser.open(leg.local, fx.browserCert, 'client');
    fx.opened.push(browser);
    await leg.setRemote({ ...browser.remote(fx.browserCert), fingerprints: [fx.gateway.fingerprint] });
    browser.check();
    await until(() => browser.stunResponses.length > 0, 5000, 'the check');
    browser.connect();
    await until(() => seen.length > 0, 10_000, 'the refusal');
    expect(seen).toEqual(['closed the DTLS certificate does not match the SDP fingerprint']);
    expect((await leg.stats()).state).toBe('closed');
  });

  it('reports a browser that went silent (no consent checks, no media)', async () => {
    const { leg, seen } = await setup(300);
    const browser = await SimBrowser.open(leg.local, fx.browserCert, 'client');
    fx.opened.push(browser);
    await leg.setRemote(browser.remote(fx.browserCert));
    browser.check();
    browser.connect();
    await until(() => seen.includes('timeout'), 10_000, 'the inactivity timeout');
    expect(seen.at(-1)).toBe('timeout');
    expect((await fx.gateway.counters()).timeouts).toBeGreaterThanOrEqual(1);
  });

  it('spreads endpoints over the workers and frees their ports', async () => {
    const legs: WebRtcLeg[] = [];
    for (let i = 0; i < 4; i++)
      legs.push(
        await fx.gateway.createEndpoint({ media: { address: '127.0.0.1', rtpPort: 9, rtcpPort: 9 } }),
      );
    const prefixes = new Set(legs.map((l) => l.id.split('-')[0]));
    expect(prefixes).toEqual(new Set(['rw0', 'rw1']));
    const before = (await fx.gateway.counters()).activeEndpoints;
    await Promise.all(legs.map((l) => l.close()));
    expect((await fx.gateway.counters()).activeEndpoints).toBe(before - 4);
    expect(await legs[0]!.close()).toBeDefined(); // idempotent
  });
});
