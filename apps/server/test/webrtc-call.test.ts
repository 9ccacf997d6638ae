// Browsers call through the PBX: a page running @switchboard/sip over a WebSocket (RFC 7118)
// with an RTCPeerConnection, against a real baresip and against another browser. The PBX
// terminates ICE-lite + DTLS-SRTP and bridges to the relay; tones are checked on both ends.
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Baresip, launchTestChromium, type TestChromiumContext } from '@switchboard/testkit';
import { analyseHeard } from './audio.ts';
import { startPbx, type PbxHarness } from './harness.ts';
import { buildBrowserPhoneBundle, hears, openBrowserPhone, until } from './webrtc/browser-phones.ts';

const WEB = { number: '1001', password: 'w1001-secret' };
const SIP = { number: '1002', password: 's1002-secret' };
const WEB2 = { number: '1003', password: 'w1003-secret' };
const TONE_WEB = 700;
const TONE_SIP = 1200;
const TONE_WEB2 = 500;

describe('browsers calling through the PBX (WebRTC)', () => {
  let pbx: PbxHarness;
  let context: BrowserContext;
  let browser: TestChromiumContext;
  let bundle: string;
  const phones: Baresip[] = [];

  beforeAll(async () => {
    pbx = await startPbx({ extensions: [WEB, SIP, WEB2], callOptions: { rtpTimeoutMs: 10_000 } });
    bundle = await buildBrowserPhoneBundle();
    browser = await launchTestChromium({ profilePrefix: 'webrtc-pbx-chromium-' });
    context = browser.context;
  });
  afterAll(async () => {
    await Promise.all(phones.map((p) => p.cleanup()));
    await browser?.close();
    await pbx?.close();
  });

  const browserPhone = async (account: typeof WEB) => {
    const { page, phone, status } = await openBrowserPhone(context, pbx.httpPort, bundle, account);
    expect(status).toBe(200);
    return { page, phone };
  };

  const baresip = async (answerMode: 'auto' | 'manual') => {
    const b = await Baresip.start({
      account: { user: SIP.number, password: SIP.password, registrar: pbx.registrar, domain: '127.0.0.1' },
      toneHz: TONE_SIP,
      answerMode,
    });
    phones.push(b);
    await b.waitForRegistration();
    return b;
  };

  it('a browser calls baresip: G.711 over DTLS-SRTP, each hears the other', async () => {
    const sip = await baresip('auto');
    const { page, phone } = await browserPhone(WEB);
    expect(await phone.call(SIP.number, TONE_WEB)).toBe(200);
    const { answer } = await phone.sdp();
    expect(answer).toMatch(/^a=ice-lite/m);
    expect(answer).toMatch(/^m=audio \d+ UDP\/TLS\/RTP\/SAVPF 0 \d+/m);
    expect(answer).toMatch(/^a=setup:passive/m);
    await until(
      () => phone.state(),
      (s) => s === 'connected',
      'ICE + DTLS',
    );
    await until(() => phone.heard(), hears(TONE_SIP), 'the browser hearing baresip');
    expect((await phone.inbound()).codec).toBe('audio/PCMU');
    await sip.waitFor('CALL_ESTABLISHED', 10_000);
    // Hold and resume from the browser: re-INVITEs relayed to baresip, answered over the same
    // ICE/DTLS transport (no new handshake), and the audio comes back.
    const ufrag = /^a=ice-ufrag:(.*)$/m.exec(answer ?? '')?.[1];
    const held = await phone.reoffer('sendonly');
    expect(held.status).toBe(200);
    expect(held.answer).toMatch(/^a=recvonly/m);
    expect(held.answer).toContain(`a=ice-ufrag:${ufrag}`);
    const resumed = await phone.reoffer('sendrecv');
    expect(resumed.status).toBe(200);
    expect(resumed.answer).toMatch(/^a=sendrecv/m);
    expect(await phone.state()).toBe('connected');
    const before = (await phone.inbound()).packetsReceived;
    await until(
      () => phone.inbound(),
      (i) => i.packetsReceived > before + 25,
      'audio after resume',
    );
    await new Promise((r) => setTimeout(r, 2_000));
    await phone.hangup();
    await sip.waitFor('CALL_CLOSED', 10_000);
    const [cdr] = await pbx.waitForCdrs(1);
    expect(cdr).toMatchObject({ disposition: 'answered', caller: WEB.number, callee: SIP.number });
    await sip.stop();
    const heard = (await sip.recordings()).heard;
    const atSip = await analyseHeard(heard[0]!);
    expect(Math.abs(atSip.frequency - TONE_WEB), `baresip heard ${atSip.frequency} Hz`).toBeLessThanOrEqual(
      20,
    );
    await page.close();
  }, 60_000);

  it('baresip calls a browser: the PBX offers WebRTC to the WebSocket device', async () => {
    const sip = await baresip('manual');
    const { page, phone } = await browserPhone(WEB);
    const cdrsBefore = (await pbx.cdrs()).length;
    await phone.autoAnswer(TONE_WEB);
    await sip.dial(`sip:${WEB.number}@127.0.0.1`);
    await sip.waitFor('CALL_ESTABLISHED', 15_000);
    const { offer } = await phone.sdp();
    expect(offer).toMatch(/^m=audio \d+ UDP\/TLS\/RTP\/SAVPF /m);
    expect(offer).toMatch(/^a=setup:actpass/m);
    expect(offer).toMatch(/^a=candidate:1 1 UDP \d+ 127\.0\.0\.1 \d+ typ host/m);
    expect(offer).not.toMatch(/opus/i); // the caller is a SIP phone: G.711 only
    await until(() => phone.heard(), hears(TONE_SIP), 'the browser hearing baresip');
    await new Promise((r) => setTimeout(r, 2_000));
    await sip.hangup();
    await until(
      () => phone.log(),
      (l) => l.includes('bye'),
      'the BYE at the browser',
    );
    await sip.stop();
    const atSip = await analyseHeard((await sip.recordings()).heard[0]!);
    expect(Math.abs(atSip.frequency - TONE_WEB), `baresip heard ${atSip.frequency} Hz`).toBeLessThanOrEqual(
      20,
    );
    const cdrs = await pbx.waitForCdrs(cdrsBefore + 1);
    expect(cdrs[0]).toMatchObject({ disposition: 'answered', caller: SIP.number, callee: WEB.number });
    await page.close();
  }, 60_000);

  it('a browser tab closed mid-call (no BYE, no DTLS close): the PBX ends the call on silence', async () => {
    const sip = await baresip('auto');
    const { page, phone } = await browserPhone(WEB);
    const cdrsBefore = (await pbx.cdrs()).length;
    expect(await phone.call(SIP.number, TONE_WEB)).toBe(200);
    await until(
      () => phone.state(),
      (s) => s === 'connected',
      'ICE + DTLS',
    );
    await sip.waitFor('CALL_ESTABLISHED', 10_000);
    // No BYE: the tab just goes (its WebSocket and its peer connection with it).
    await page.close();
    // Chromium sends no DTLS close_notify for a closed tab: 10 s without consent checks or
    // media (the harness's RTP timeout) ends the call.
    await sip.waitFor('CALL_CLOSED', 25_000);
    const [cdr] = await pbx.waitForCdrs(cdrsBefore + 1);
    expect(cdr).toMatchObject({
      disposition: 'answered',
      caller: WEB.number,
      hangupCause: 'rtp_timeout',
      hangupSide: 'system',
    });
  }, 60_000);

  it('browser to browser: Opus end to end through the relay, each hears the other', async () => {
    const a = await browserPhone(WEB);
    const b = await browserPhone(WEB2);
    // Counted before the call: the CDRs of the earlier tests are already there.
    const cdrsBefore = (await pbx.cdrs()).length;
    await b.phone.autoAnswer(TONE_WEB2);
    expect(await a.phone.call(WEB2.number, TONE_WEB)).toBe(200);
    expect((await b.phone.sdp()).offer).toMatch(/^a=rtpmap:\d+ opus\/48000\/2/m);
    await until(() => a.phone.heard(), hears(TONE_WEB2), 'A hearing B');
    await until(() => b.phone.heard(), hears(TONE_WEB), 'B hearing A');
    expect((await a.phone.inbound()).codec).toBe('audio/opus');
    expect((await b.phone.inbound()).codec).toBe('audio/opus');
    await a.phone.hangup();
    await until(
      () => b.phone.log(),
      (l) => l.includes('bye'),
      'the BYE at B',
    );
    const cdrs = await pbx.waitForCdrs(cdrsBefore + 1);
    expect(cdrs[0]).toMatchObject({ disposition: 'answered', caller: WEB.number, callee: WEB2.number });
    await Promise.all([a.page.close(), b.page.close()]);
  }, 60_000);
});
