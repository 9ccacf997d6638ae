// The softphone as an installed app, in two Chromiums against the real server: the install
// manifest and the service worker (Chromium's own installability check), tel:/sip:/callto: links
// and the protocol handlers, the system notification of an incoming call with Answer and Decline
// (shown by the service worker; its buttons pressed by dispatching the notificationclick event
// there, the one thing a test cannot click), the ringtone, audio device choices (offered,
// remembered, used by calls and changed during one), "Get help" addressed to the organisation's
// support e-mail, and the app shell opening offline.
//
// The page's calls to getUserMedia, setSinkId, play and registerProtocolHandler are recorded by
// an init script that then calls the real browser function: what the app asked for, and what the
// browser did (the track's deviceId, the element's sinkId).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page, Worker } from 'playwright-core';
import {
  buildPhone,
  launchPhone,
  startTestServer,
  type PhoneBrowser,
  type ProvisionedDevice,
  type TestServer,
} from './harness.ts';
import { expectHearing, lineConnected, party, until } from './steps.ts';

const DANA = { number: '1401', password: 'dana-sip-secret-14', name: 'Dana Example' };
const ERIK = { number: '1402', password: 'erik-sip-secret-14', name: 'Erik Example' };

interface Spy {
  gum: { audio: unknown; tracks: MediaStreamTrack[] }[];
  sinks: { element: HTMLMediaElement; id: string }[];
  played: HTMLMediaElement[];
  protocols: { scheme: string; url: string; error: string | null }[];
}

/** Runs in every page before the app: records, then calls the real function. */
function installSpy(): void {
  const spy: Spy = { gum: [], sinks: [], played: [], protocols: [] };
  (window as unknown as { __spy: Spy }).__spy = spy;
  const media = navigator.mediaDevices;
  if (media) {
    const getUserMedia = media.getUserMedia.bind(media);
    media.getUserMedia = async (constraints) => {
      const stream = await getUserMedia(constraints);
      spy.gum.push({
        audio: JSON.parse(JSON.stringify(constraints?.audio ?? null)),
        tracks: stream.getTracks(),
      });
      return stream;
    };
  }
  const proto = HTMLMediaElement.prototype as HTMLMediaElement & { setSinkId(id: string): Promise<void> };
  const setSinkId = proto.setSinkId;
  proto.setSinkId = function (this: HTMLMediaElement, id: string) {
    spy.sinks.push({ element: this, id });
    return setSinkId.call(this, id);
  };
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
    if (!spy.played.includes(this)) spy.played.push(this);
    return play.call(this);
  };
  const register = navigator.registerProtocolHandler.bind(navigator);
  navigator.registerProtocolHandler = (scheme: string, url: string | URL) => {
    try {
      register(scheme, url);
      spy.protocols.push({ scheme, url: String(url), error: null });
    } catch (error) {
      spy.protocols.push({ scheme, url: String(url), error: String(error) });
      throw error;
    }
  };
}

/** The microphone the page opened last: the constraint asked for and the track the browser gave. */
function lastMicrophone(page: Page) {
  return page.evaluate(() => {
    const spy = (window as unknown as { __spy: Spy }).__spy;
    const all = spy.gum.filter((g) => g.tracks.some((t) => t.kind === 'audio'));
    const last = all.at(-1);
    const track = last?.tracks.find((t) => t.kind === 'audio');
    return {
      count: all.length,
      asked: last?.audio as { deviceId?: { exact?: string } } | null | undefined,
      deviceId: track?.getSettings().deviceId,
      state: track?.readyState,
      earlierStates: all.slice(0, -1).map((g) => g.tracks.find((t) => t.kind === 'audio')?.readyState),
    };
  });
}

/** The sinkId of the element playing the call (the one whose source is a MediaStream). */
function callOutput(page: Page) {
  return page.evaluate(() => {
    const spy = (window as unknown as { __spy: Spy }).__spy;
    const players = spy.sinks.filter((s) => s.element.srcObject instanceof MediaStream);
    const element = players.at(-1)?.element as (HTMLMediaElement & { sinkId: string }) | undefined;
    return { asked: players.map((p) => p.id), sinkId: element?.sinkId };
  });
}

/** The ringtone: a looping blob: audio element the app started and that is playing now. */
function ringtone(page: Page): Promise<{ playing: boolean; sinkId: string | undefined }> {
  return page.evaluate(() => {
    const spy = (window as unknown as { __spy: Spy }).__spy;
    const playing = spy.played.find((a) => a.loop && a.src.startsWith('blob:') && !a.paused) as
      (HTMLMediaElement & { sinkId: string }) | undefined;
    return { playing: playing !== undefined, sinkId: playing?.sinkId };
  });
}

async function serviceWorker(context: BrowserContext): Promise<Worker> {
  return context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
}

interface ShownNotification {
  title: string;
  body: string;
  tag: string;
  actions: { action: string; title: string }[];
  requireInteraction: boolean;
}

/** The notifications the service worker's registration shows now (what the OS displays). */
function notifications(page: Page): Promise<ShownNotification[]> {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return (await registration.getNotifications()).map((n) => ({
      title: n.title,
      body: n.body,
      tag: n.tag,
      actions: [...((n as unknown as { actions?: { action: string; title: string }[] }).actions ?? [])].map(
        (a) => ({ action: a.action, title: a.title }),
      ),
      requireInteraction: n.requireInteraction,
    }));
  });
}

/** Presses a button of the shown notification: the notificationclick event, in the worker. */
function pressNotificationButton(worker: Worker, action: 'answer' | 'decline'): Promise<string> {
  return worker.evaluate(async (action) => {
    // The worker's global scope (the DOM library has no ServiceWorkerGlobalScope type).
    const scope = self as unknown as EventTarget & {
      registration: ServiceWorkerRegistration;
      NotificationEvent: new (type: string, init: { notification: Notification; action: string }) => Event;
    };
    const [notification] = await scope.registration.getNotifications();
    if (!notification) throw new Error('no notification shown');
    scope.dispatchEvent(new scope.NotificationEvent('notificationclick', { notification, action }));
    return notification.tag;
  }, action);
}

async function openSettings(page: Page, tab: 'General' | 'Audio' | 'Support') {
  await page.getByRole('button', { name: 'Settings and support' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByRole('tab', { name: tab }).click();
  return settings;
}

describe('softphone: installable app, links, call notifications, audio devices, support, offline', () => {
  let srv: TestServer;
  let a: PhoneBrowser;
  let b: PhoneBrowser;
  let deviceA: ProvisionedDevice;
  let deviceB: ProvisionedDevice;
  let sipDomain: string;
  const chosen = { input: '', output: '', input2: '', output2: '' };
  const errors: string[] = [];

  beforeAll(async () => {
    buildPhone();
    srv = await startTestServer();
    deviceA = await srv.provision(DANA);
    deviceB = await srv.provision(ERIK);
    sipDomain = (await srv.api<{ organisation: { sipDomain: string } }>('GET', '/auth/me')).json.organisation
      .sipDomain;
    [a, b] = await Promise.all([
      // Chromium offers to install a site only after some use; this switch skips that wait.
      launchPhone(srv.baseUrl, 500, { args: ['--bypass-app-banner-engagement-checks'] }),
      launchPhone(srv.baseUrl, 900),
    ]);
    for (const [browser, who] of [
      [a, 'A'],
      [b, 'B'],
    ] as const) {
      await browser.context.addInitScript(installSpy);
      browser.page.on('pageerror', (error) => errors.push(`${who}: ${error.message}`));
    }
  }, 180_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await srv?.close();
  });

  it('is installable: manifest with icons, start_url, scope and standalone display; a service worker controls the page', async () => {
    await Promise.all([a.page.goto(deviceA.link), b.page.goto(deviceB.link)]);
    await Promise.all([lineConnected(a.page, DANA.name), lineConnected(b.page, ERIK.name)]);
    for (const { page } of [a, b]) {
      await page.evaluate(() => navigator.serviceWorker.ready);
      await page.reload();
      const controller = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
      expect(controller).toBe(`${srv.baseUrl}/phone/sw.js`);
    }
    // Chromium's own verdict (the one behind its Install button).
    const cdp = await a.context.newCDPSession(a.page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: { errorId: string }[];
    };
    expect(installabilityErrors).toEqual([]);
    const manifest = (await cdp.send('Page.getAppManifest')) as {
      url: string;
      errors: unknown[];
      data: string;
    };
    expect(manifest.url).toBe(`${srv.baseUrl}/phone/manifest.webmanifest`);
    expect(manifest.errors).toEqual([]);
    const data = JSON.parse(manifest.data) as {
      start_url: string;
      scope: string;
      display: string;
      icons: { src: string; sizes: string; type: string; purpose?: string }[];
      protocol_handlers: { protocol: string; url: string }[];
    };
    expect(data).toMatchObject({ start_url: '/phone/', scope: '/phone/', display: 'standalone' });
    for (const size of ['192x192', '512x512']) {
      const icon = data.icons.find((i) => i.sizes === size && i.type === 'image/png');
      expect(icon, size).toBeDefined();
      const response = await fetch(new URL(icon!.src, manifest.url));
      expect(response.headers.get('content-type')).toMatch(/^image\/png/);
      const png = new Uint8Array(await response.arrayBuffer());
      const view = new DataView(png.buffer);
      expect(`${view.getUint32(16)}x${view.getUint32(20)}`).toBe(size);
    }
    expect(data.icons.some((i) => i.purpose === 'maskable')).toBe(true);
    expect(data.protocol_handlers.map((h) => h.protocol).sort()).toEqual(['sip', 'tel', 'web+callto']);
    await cdp.detach();
    // Chromium offered the install (beforeinstallprompt): Settings has the app's Install button.
    const settings = await openSettings(a.page, 'General');
    await settings.getByRole('button', { name: 'Install the app' }).waitFor();
    await settings.getByRole('button', { name: 'Close' }).click();
  });

  it('audio devices: the fake microphones and speakers are offered; the choice survives a reload', async () => {
    const page = a.page;
    let settings = await openSettings(page, 'Audio');
    const microphone = settings.getByLabel('Microphone');
    const speaker = settings.getByLabel('Speaker');
    const options = async (select: typeof microphone) =>
      select
        .locator('option')
        .evaluateAll((all) =>
          all.map((o) => ({ value: (o as HTMLOptionElement).value, label: o.textContent ?? '' })),
        );
    const inputs = await until(
      () => options(microphone),
      (o) => o.filter((x) => x.value).length >= 2,
      'microphones listed',
    );
    const outputs = await until(
      () => options(speaker),
      (o) => o.filter((x) => x.value).length >= 2,
      'speakers listed',
    );
    expect(inputs.map((o) => o.label)).toEqual([
      'System default',
      'Fake Audio Input 1',
      'Fake Audio Input 2',
    ]);
    expect(outputs.map((o) => o.label)).toEqual([
      'System default',
      'Fake Audio Output 1',
      'Fake Audio Output 2',
    ]);
    chosen.input = inputs[2]!.value;
    chosen.input2 = inputs[1]!.value;
    chosen.output = outputs[1]!.value;
    chosen.output2 = outputs[2]!.value;
    await microphone.selectOption(chosen.input);
    await speaker.selectOption(chosen.output);
    await settings.getByRole('button', { name: 'Close' }).click();

    await page.reload();
    await lineConnected(page, DANA.name);
    settings = await openSettings(page, 'Audio');
    await until(
      () => settings.getByLabel('Microphone').inputValue(),
      (v) => v === chosen.input,
      'microphone remembered',
    );
    expect(await settings.getByLabel('Speaker').inputValue()).toBe(chosen.output);
    await settings.getByRole('button', { name: 'Close' }).click();
  });

  it('tel:, sip: and callto: links open the dial pad ready to call; the app registers as their handler', async () => {
    const page = a.page;
    for (const [link, number] of [
      ['tel:+1-555-0100', '+15550100'],
      ['callto://1402', '1402'],
      ['web+callto:1402', '1402'],
    ] as const) {
      await page.goto(`${srv.baseUrl}/phone/?call=${encodeURIComponent(link)}`);
      await expect.poll(() => page.getByLabel('Phone number').inputValue()).toBe(number);
      // The number stays in the pad, not in the address bar.
      expect(new URL(page.url()).search).toBe('');
    }
    const settings = await openSettings(page, 'General');
    await settings.getByRole('button', { name: 'Open tel: and sip: links with this app' }).click();
    await settings.getByRole('status').filter({ hasText: 'Your browser will ask to confirm.' }).waitFor();
    const registered = await page.evaluate(() => (window as unknown as { __spy: Spy }).__spy.protocols);
    expect(registered).toEqual(
      ['tel', 'sip', 'web+callto'].map((scheme) => ({
        scheme,
        url: `${srv.baseUrl}/phone/?call=%s`,
        error: null,
      })),
    );
    await settings.getByRole('button', { name: 'Close' }).click();
  });

  it('an incoming call rings and shows a system notification with Answer and Decline; Answer on it answers', async () => {
    // B turns call notifications on (the permission is granted to the test browser).
    const settings = await openSettings(b.page, 'General');
    await settings.getByRole('switch', { name: /Call notifications/ }).check();
    // …and rings on the second speaker.
    await settings.getByRole('tab', { name: 'Audio' }).click();
    const ringer = settings.getByLabel('Ringtone on');
    await until(
      () => ringer.locator('option').count(),
      (n) => n === 3,
      'speakers listed',
    );
    await ringer.selectOption({ label: 'Fake Audio Output 2' });
    const ringerId = await ringer.inputValue();
    await settings.getByRole('button', { name: 'Close' }).click();

    // A opens a sip: link to Erik and presses Call.
    await a.page.goto(`${srv.baseUrl}/phone/?call=${encodeURIComponent(`sip:${ERIK.number}@${sipDomain}`)}`);
    await lineConnected(a.page, DANA.name);
    expect(await a.page.getByLabel('Phone number').inputValue()).toBe(ERIK.number);
    await a.page.getByRole('button', { name: 'Call', exact: true }).last().click();

    const caller = party(b.page, `(${DANA.name}|${DANA.number})`);
    await caller.getByRole('button', { name: 'Answer' }).waitFor();
    const [shown] = await until(
      () => notifications(b.page),
      (n) => n.length === 1,
      'notification shown',
    );
    expect(shown).toMatchObject({
      body: `Incoming call · ${DANA.number}`,
      requireInteraction: true,
      actions: [
        { action: 'answer', title: 'Answer' },
        { action: 'decline', title: 'Decline' },
      ],
    });
    expect([DANA.name, DANA.number]).toContain(shown!.title);
    await until(
      () => ringtone(b.page),
      (r) => r.playing && r.sinkId === ringerId,
      'ringtone playing on the chosen speaker',
    );

    await pressNotificationButton(await serviceWorker(b.context), 'answer');
    await caller.getByRole('button', { name: 'Hang up' }).waitFor();
    await party(a.page, `(${ERIK.name}|${ERIK.number})`).getByRole('button', { name: 'Hang up' }).waitFor();
    await until(
      () => notifications(b.page),
      (n) => n.length === 0,
      'notification closed',
    );
    await until(
      () => ringtone(b.page),
      (r) => !r.playing,
      'ringtone stopped',
    );
    await Promise.all([expectHearing(a.page, 'A'), expectHearing(b.page, 'B')]);

    // A's call uses the microphone and speaker chosen in Settings.
    const mic = await lastMicrophone(a.page);
    expect(mic.asked?.deviceId).toEqual({ exact: chosen.input });
    expect(mic.deviceId).toBe(chosen.input);
    expect(mic.state).toBe('live');
    await until(
      () => callOutput(a.page),
      (o) => o.sinkId === chosen.output,
      'call played on the chosen speaker',
    );
  });

  it('devices changed in Settings during the call apply to it at once', async () => {
    const settings = await openSettings(a.page, 'Audio');
    await settings.getByLabel('Microphone').selectOption(chosen.input2);
    await settings.getByLabel('Speaker').selectOption(chosen.output2);
    await settings.getByRole('button', { name: 'Close' }).click();
    const mic = await until(
      () => lastMicrophone(a.page),
      (m) => m.deviceId === chosen.input2,
      'new microphone opened',
    );
    expect(mic.asked?.deviceId).toEqual({ exact: chosen.input2 });
    expect(mic.state).toBe('live');
    expect(mic.earlierStates.at(-1)).toBe('ended');
    await until(
      () => callOutput(a.page),
      (o) => o.sinkId === chosen.output2,
      'call moved to the other speaker',
    );
    // B still hears A through the new microphone.
    await expectHearing(b.page, 'B after the microphone change');
    await b.page
      .getByRole('toolbar', { name: 'Phone functions' })
      .getByRole('button', { name: 'Hang up' })
      .click();
    await party(a.page, `(${ERIK.name}|${ERIK.number})`)
      .getByRole('button', { name: 'Hang up' })
      .waitFor({ state: 'detached' });
  });

  it('Decline on the notification refuses the call', async () => {
    await a.page
      .getByRole('toolbar', { name: 'Phone functions' })
      .getByRole('button', { name: 'Dial pad' })
      .click();
    await a.page.getByLabel('Phone number').fill(ERIK.number);
    await a.page.getByRole('button', { name: 'Call', exact: true }).last().click();
    await until(
      () => notifications(b.page),
      (n) => n.length === 1,
      'notification shown',
    );
    await pressNotificationButton(await serviceWorker(b.context), 'decline');
    await party(b.page, `(${DANA.name}|${DANA.number})`)
      .getByRole('button', { name: 'Answer' })
      .waitFor({ state: 'detached' });
    await until(
      () => notifications(b.page),
      (n) => n.length === 0,
      'notification closed',
    );
    await a.page.getByRole('tab', { name: 'Recents' }).click();
    await a.page
      .getByRole('listitem', { name: /^Unanswered outbound call, / })
      .first()
      .waitFor();
    await b.page
      .getByRole('listitem', { name: /^Missed call, / })
      .first()
      .waitFor();
  });

  it("Get help prepares an e-mail to the organisation's support address and downloads the log", async () => {
    const page = a.page;
    const settings = await openSettings(page, 'Support');
    await settings.getByText('The e-mail goes to admin@example.test.').waitFor();
    const help = settings.getByRole('link', { name: 'Get help' });
    const download = page.waitForEvent('download');
    await help.click();
    const file = await (await download).path();
    expect(readFileSync(file, 'utf8')).toMatch(/registered/);
    const href = new URL((await help.getAttribute('href'))!);
    expect(href.protocol).toBe('mailto:');
    expect(href.pathname).toBe('admin@example.test');
    expect(href.searchParams.get('subject')).toBe('Switchboard Phone: help needed');
    expect(href.searchParams.get('body')).toMatch(/Switchboard Phone 0\.1\.0 · .*Dana Example's browser/s);

    // The administrator sets a support address for the organisation: the open app follows.
    const patched = await srv.api('PATCH', '/auth/me', { supportEmail: 'helpdesk@example.test' });
    expect(patched.status).toBe(200);
    await settings.getByText('The e-mail goes to helpdesk@example.test.').waitFor();
    expect(new URL((await help.getAttribute('href'))!).pathname).toBe('helpdesk@example.test');
    await settings.getByRole('button', { name: 'Close' }).click();
  });

  it('offline: the app shell opens from the service worker cache and the line shows Not Connected', async () => {
    const page = a.page;
    await a.context.setOffline(true);
    // Offline for the worker too: the reload below cannot have come from the server.
    const worker = await serviceWorker(a.context);
    expect(
      await worker.evaluate(() =>
        fetch('/phone/?probe=1', { cache: 'no-store' }).then(
          () => 'reached',
          () => 'offline',
        ),
      ),
    ).toBe('offline');
    await page.reload();
    await page.getByRole('status', { name: `${DANA.name}: Not Connected` }).waitFor();
    await page.getByText('You are offline').waitFor();
    await page.getByRole('toolbar', { name: 'Phone functions' }).waitFor();
    await a.context.setOffline(false);
    await page.reload();
    await lineConnected(page, DANA.name);
    expect(errors).toEqual([]);
  });
});
