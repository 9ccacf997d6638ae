// In-call transfer codes keyed on a SIP phone when the party transferred is a browser (issue 7):
// browser A (a Chromium page running @switchboard/sip over a WebSocket, RFC 7118) calls baresip
// B; B keys `*2` + C (attended) or `#1` + C (blind). For `*2` the PBX moves A's WebRTC leg to
// G.711 (re-INVITE), re-binds it to a park relay playing music, lets B talk to C, and on B's
// hang-up re-binds A's leg to C's relay leg. What each party hears is checked: A's inbound audio
// in the page (frequency of the loudest bin), B's and C's recordings.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Baresip, launchTestChromium, type TestChromiumContext } from '@switchboard/testkit';
import { startPbx, type PbxHarness } from './harness.ts';
import { describeTimeline, heardTimeline, windowsAt } from './heard-timeline.ts';
import {
  buildBrowserPhoneBundle,
  hears,
  openBrowserPhone,
  until,
  type Heard,
} from './webrtc/browser-phones.ts';

const WEB = { number: '4001', password: 'wt4001-secret' };
const BOB = { number: '4002', password: 'wt4002-secret' };
const CAROL = { number: '4003', password: 'wt4003-secret' };
const TONE_WEB = 700;
const TONE_BOB = 1200;
const TONE_CAROL = 2000;

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** The default music on hold (a melody in 200–900 Hz): audible, and neither Bob nor Carol. */
const hearsMusic = (h: Heard) => h.db > -70 && h.frequency > 150 && h.frequency < 1000;

describe('in-call transfer codes with a browser transferee', () => {
  let pbx: PbxHarness;
  let context: BrowserContext;
  let browser: TestChromiumContext;
  let bundle: string;
  let phones: Baresip[] = [];
  let pages: Page[] = [];

  beforeAll(async () => {
    pbx = await startPbx({ extensions: [WEB, BOB, CAROL], callOptions: { rtpTimeoutMs: 10_000 } });
    bundle = await buildBrowserPhoneBundle();
    browser = await launchTestChromium({ profilePrefix: 'webrtc-transfer-chromium-' });
    context = browser.context;
  });
  afterEach(async () => {
    await Promise.all(phones.map((p) => p.cleanup()));
    await Promise.all(pages.map((p) => p.close().catch(() => undefined)));
    phones = [];
    pages = [];
  });
  afterAll(async () => {
    await browser?.close();
    await pbx?.close();
  });

  const browserPhone = async () => {
    const { page, phone, status } = await openBrowserPhone(context, pbx.httpPort, bundle, WEB);
    pages.push(page);
    expect(status).toBe(200);
    return phone;
  };

  const baresip = async (user: typeof BOB, toneHz: number, answerMode: 'auto' | 'manual') => {
    const b = await Baresip.start({
      account: { user: user.number, password: user.password, registrar: pbx.registrar, domain: '127.0.0.1' },
      toneHz,
      answerMode,
    });
    phones.push(b);
    await b.waitForRegistration();
    return b;
  };

  /** Keys typed on a phone during a call, sent as RFC 4733 events. */
  const keys = async (p: Baresip, digits: string): Promise<void> => {
    for (const digit of digits) {
      expect((await p.command('sndcode', digit)).ok).toBe(true);
      await pause(250);
    }
  };

  /** Browser A calls Bob (auto-answer): connected, each hearing the other. */
  const browserCallsBob = async () => {
    const [bob, carol, a] = await Promise.all([
      baresip(BOB, TONE_BOB, 'auto'),
      baresip(CAROL, TONE_CAROL, 'manual'),
      browserPhone(),
    ]);
    expect(await a.call(BOB.number, TONE_WEB)).toBe(200);
    await bob.waitFor('CALL_ESTABLISHED', 10_000);
    await until(() => a.heard(), hears(TONE_BOB), 'the browser hearing Bob');
    return { a, bob, carol };
  };

  const heardBy = async (p: Baresip) => {
    const files = (await p.recordings()).heard;
    expect(files.length).toBeGreaterThan(0);
    return heardTimeline(files.at(-1)!);
  };

  it('*2 + extension: the browser hears music while Bob consults Carol, then talks to Carol', async () => {
    const { a, bob, carol } = await browserCallsBob();
    await keys(bob, `*2${CAROL.number}#`);
    // The browser is parked: moved to G.711 by a re-INVITE, and it hears the music.
    await until(() => a.heard(), hearsMusic, 'music on hold at the browser');
    expect(await a.log()).toContain('reinvite');
    expect((await a.inbound()).codec).toBe('audio/PCMU');
    await carol.waitFor('CALL_INCOMING', 10_000);
    await carol.answer();
    await carol.waitFor('CALL_ESTABLISHED', 10_000);
    await pause(2000); // Bob and Carol talk; the browser still hears music, not Carol.
    const meanwhile = await a.heard();
    expect(hearsMusic(meanwhile), JSON.stringify(meanwhile)).toBe(true);
    await bob.hangup();
    await bob.waitFor('CALL_CLOSED', 10_000);
    // Bob gone: the browser's WebRTC leg is re-bound to Carol's relay leg, same ICE/DTLS session.
    await until(() => a.heard(), hears(TONE_CAROL), 'the browser hearing Carol', 10_000);
    expect(await a.state()).toBe('connected');
    await pause(2500);
    await a.hangup();
    await carol.waitFor('CALL_CLOSED', 10_000);
    await Promise.all([bob.stop(), carol.stop()]);

    // Carol heard Bob (the consultation), then the browser.
    const atC = await heardBy(carol);
    const bobAtC = windowsAt(atC, TONE_BOB);
    const webAtC = windowsAt(atC, TONE_WEB);
    expect(bobAtC.length, describeTimeline(atC)).toBeGreaterThanOrEqual(2);
    expect(webAtC.length, describeTimeline(atC)).toBeGreaterThanOrEqual(4);
    expect(bobAtC[0]!, describeTimeline(atC)).toBeLessThan(webAtC[0]!);
    // Bob heard the browser, then Carol.
    const atB = await heardBy(bob);
    expect(windowsAt(atB, TONE_WEB).length, describeTimeline(atB)).toBeGreaterThan(0);
    expect(windowsAt(atB, TONE_CAROL).length, describeTimeline(atB)).toBeGreaterThan(0);
    // Three stretches of one call: browser–Bob and Bob–Carol end as transferred; the last one,
    // Carol on the browser's old side of the relay with the browser, ends normally.
    const cdrs = await pbx.waitForCdrs(3);
    const pair = (c: (typeof cdrs)[number]) => [[c.caller, c.callee].sort().join('-'), c.hangupCause];
    expect(cdrs.map(pair)).toEqual(
      expect.arrayContaining([
        [`${WEB.number}-${BOB.number}`, 'transferred'],
        [`${BOB.number}-${CAROL.number}`, 'transferred'],
        [`${WEB.number}-${CAROL.number}`, 'normal_clearing'],
      ]),
    );
  }, 90_000);

  it('*2 to a party that refuses: the browser comes back from the park to Bob', async () => {
    const { a, bob, carol } = await browserCallsBob();
    await keys(bob, `*2${CAROL.number}#`);
    await until(() => a.heard(), hearsMusic, 'music on hold at the browser');
    await carol.waitFor('CALL_INCOMING', 10_000);
    await carol.hangup(); // 486 Busy Here
    // Back on its own relay leg (re-bound there): the browser hears Bob again.
    // (It was on that leg before the music: see refreshBrowserReceive in g711-leg.ts.)
    await until(() => a.heard(), hears(TONE_BOB), 'the browser hearing Bob again', 10_000);
    expect(await a.state()).toBe('connected');
    await pause(1500);
    await a.hangup();
    await bob.waitFor('CALL_CLOSED', 10_000);
    await bob.stop();
    // Bob heard the browser again after the refusal (its last seconds).
    const atB = await heardBy(bob);
    const web = windowsAt(atB, TONE_WEB);
    expect(web.at(-1)!, describeTimeline(atB)).toBeGreaterThan(atB.length - 8);
  }, 90_000);

  it('#1 + extension: a blind transfer of the browser to Carol', async () => {
    const { a, bob, carol } = await browserCallsBob();
    await keys(bob, `#1${CAROL.number}#`);
    await carol.waitFor('CALL_INCOMING', 10_000);
    await carol.answer();
    await bob.waitFor('CALL_CLOSED', 10_000);
    await until(() => a.heard(), hears(TONE_CAROL), 'the browser hearing Carol', 10_000);
    await pause(2500);
    await a.hangup();
    await carol.waitFor('CALL_CLOSED', 10_000);
    await carol.stop();
    const atC = await heardBy(carol);
    expect(windowsAt(atC, TONE_WEB).length, describeTimeline(atC)).toBeGreaterThanOrEqual(4);
  }, 90_000);
});
