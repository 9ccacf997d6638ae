// Two softphones in two Chromiums (fake microphones playing 440 Hz and 1200 Hz tones) against
// the real server: each activated through the real provisioning flow (A by typing the code, B by
// the click-to-activate link), registered over SIP/WebSocket; A calls B by dragging B's contact
// into the Home Circle, B answers by dragging the ringing caller in; audio flows both ways
// (WebRTC inbound-rtp statistics on each side), hold/resume, mute/unmute, hang up; history and
// notes survive a reload; a second call with the keyboard only; deactivation signs the app out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  buildPhone,
  launchPhone,
  startTestServer,
  type PhoneBrowser,
  type ProvisionedDevice,
  type TestServer,
} from './harness.ts';
import { expectHearing, expectSilence, lineConnected, party, screenshot, until } from './steps.ts';

const ALICE = { number: '1001', password: 'alice-sip-secret-1', name: 'Alice Example' };
const BOB = { number: '1002', password: 'bob-sip-secret-22', name: 'Bob Example' };

describe('softphone: two browsers call each other through the PBX', () => {
  let srv: TestServer;
  let a: PhoneBrowser;
  let b: PhoneBrowser;
  let deviceA: ProvisionedDevice;
  let deviceB: ProvisionedDevice;
  const errors: string[] = [];

  const watch = (page: Page, who: string) => {
    page.on('pageerror', (error) => errors.push(`${who}: ${error.message}`));
  };

  beforeAll(async () => {
    buildPhone();
    srv = await startTestServer();
    deviceA = await srv.provision(ALICE);
    deviceB = await srv.provision(BOB);
    [a, b] = await Promise.all([launchPhone(srv.baseUrl, 440), launchPhone(srv.baseUrl, 1200)]);
    watch(a.page, 'A');
    watch(b.page, 'B');
  }, 180_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await srv?.close();
  });

  it('A activates by typing the code; B by opening the click-to-activate link; both lines register', async () => {
    await a.page.goto(`${srv.baseUrl}/phone/`);
    await a.page.getByRole('heading', { name: 'Activate the app' }).waitFor();
    await a.page.getByLabel('Activation code').fill('0000-0000-0000-0000');
    await a.page.getByRole('button', { name: 'Activate', exact: true }).click();
    await a.page.getByRole('alert').filter({ hasText: 'This activation code is not known' }).waitFor();
    await a.page.getByLabel('Activation code').fill(deviceA.code.toLowerCase());
    await screenshot(a.page, 'activation');
    await a.page.getByRole('button', { name: 'Activate', exact: true }).click();
    await b.page.goto(deviceB.link);
    await Promise.all([lineConnected(a.page, ALICE.name), lineConnected(b.page, BOB.name)]);
    // The code left the address bar.
    expect(new URL(b.page.url()).search).toBe('');

    // The portal sees both devices online with their line registered (heartbeats, line reports).
    const device = await until(
      () =>
        srv.api<{ status: string; os: string; lines: { state: string }[] }>(
          'GET',
          `/devices/${deviceA.deviceId}`,
        ),
      (r) => r.json.status === 'online' && r.json.lines[0]?.state === 'registered',
      'device A online with its line registered',
    );
    expect(device.json.os).toMatch(/^Web app \(.*Chrome\)$/);
    const account = await srv.api<{ sipStatus: string }>('GET', `/accounts`);
    expect(account.status).toBe(200);
  });

  it('A saves Bob as a contact, then calls him by dragging him into the Home Circle; B answers by dragging', async () => {
    const page = a.page;
    await page.getByRole('tab', { name: 'Contacts' }).click();
    await page.getByRole('button', { name: 'New contact' }).click();
    const form = page.getByRole('dialog', { name: 'Create contact' });
    await form.getByLabel('Contact name').fill('Bob Example');
    await form.getByLabel('Phone number 1').fill(BOB.number);
    await form.getByRole('button', { name: 'Confirm' }).click();
    await page
      .getByRole('dialog', { name: 'Contact Info: Bob Example' })
      .getByRole('button', { name: 'Close' })
      .click();

    const bobRow = page.getByRole('listitem', { name: 'Bob Example', exact: true });
    await bobRow
      .getByRole('button', { name: 'Contact Info: Bob Example' })
      .dragTo(page.locator('[data-drop="circle"]'));
    await party(page, 'Bob Example').waitFor();

    // B: the caller rings on the wheel, highlighted, with Answer and Decline.
    const caller = party(b.page, '(Alice Example|1001)');
    await caller.getByRole('button', { name: 'Answer' }).waitFor();
    await caller.getByRole('button', { name: 'Decline' }).waitFor();
    await b.page
      .getByRole('toolbar', { name: 'Phone functions' })
      .getByRole('button', { name: 'Answer' })
      .waitFor();
    await screenshot(b.page, 'incoming-call');
    await caller
      .getByRole('button', { name: /^Contact Info/ })
      .dragTo(b.page.locator('[data-drop="circle"]'));

    await party(page, 'Bob Example').getByRole('button', { name: 'Hang up' }).waitFor();
    await party(b.page, '(Alice Example|1001)').getByRole('button', { name: 'Hang up' }).waitFor();
    await b.page
      .getByRole('toolbar', { name: 'Phone functions' })
      .getByRole('button', { name: 'Hang up' })
      .waitFor();
  });

  it('audio flows both ways (WebRTC through the PBX)', async () => {
    const [atA, atB] = await Promise.all([expectHearing(a.page, 'A'), expectHearing(b.page, 'B')]);
    expect(atA.sent).toBeGreaterThan(0);
    expect(atB.sent).toBeGreaterThan(0);
    await screenshot(a.page, 'in-call');
  });

  it('hold and resume: while held, A hears nothing from B (B may get music on hold); after resume both hear', async () => {
    const bob = party(a.page, 'Bob Example');
    await bob.getByRole('button', { name: 'Hold' }).click();
    // The held party moves to the wheel and shows On hold; the function menu offers Resume.
    await party(a.page, 'Bob Example').filter({ hasText: 'On hold' }).waitFor();
    await a.page
      .getByRole('toolbar', { name: 'Phone functions' })
      .getByRole('button', { name: 'Resume' })
      .waitFor();
    await expectSilence(a.page, 'A while holding B');
    await a.page
      .getByRole('toolbar', { name: 'Phone functions' })
      .getByRole('button', { name: 'Resume' })
      .click();
    await party(a.page, 'Bob Example').getByRole('button', { name: 'Hold' }).waitFor();
    await Promise.all([expectHearing(a.page, 'A after resume'), expectHearing(b.page, 'B after resume')]);
  });

  it('mute and unmute: B hears silence, then A again; dragging the muted party back in unmutes', async () => {
    await a.page
      .getByRole('toolbar', { name: 'Phone functions' })
      .getByRole('button', { name: 'Mute' })
      .click();
    await party(a.page, 'Bob Example').filter({ hasText: 'Muted' }).waitFor();
    await expectSilence(b.page, 'B while A is muted');
    await expectHearing(a.page, 'A still hears B');
    await party(a.page, 'Bob Example')
      .getByRole('button', { name: /^Contact Info/ })
      .dragTo(a.page.locator('[data-drop="circle"]'));
    await party(a.page, 'Bob Example').getByRole('button', { name: 'Mute' }).waitFor();
    await expectHearing(b.page, 'B after unmute');
  });

  it('A hangs up by dragging Bob out of the circle; both Recents show the call with its duration', async () => {
    const out = await a.page.locator('.topbar').boundingBox();
    await party(a.page, 'Bob Example')
      .getByRole('button', { name: /^Contact Info/ })
      .hover();
    await a.page.mouse.down();
    await a.page.mouse.move(out!.x + 20, out!.y + 10, { steps: 5 });
    await a.page.mouse.up();
    await party(a.page, 'Bob Example')
      .getByRole('button', { name: 'Hang up' })
      .waitFor({ state: 'detached' });
    await party(b.page, '(Alice Example|1001)')
      .getByRole('button', { name: 'Hang up' })
      .waitFor({ state: 'detached' });
    await a.page.getByRole('tab', { name: 'Recents' }).click();
    const record = a.page.getByRole('listitem', { name: 'Outbound call, Bob Example' });
    await record.waitFor();
    expect(await record.textContent()).toMatch(/\d\d:\d\d/);
    await b.page.getByRole('listitem', { name: /^Inbound call, / }).waitFor();
  });

  it('notes on a contact: add, edit, archive; the count badge; history and notes survive a reload', async () => {
    const page = a.page;
    await page.getByRole('tab', { name: 'Contacts' }).click();
    await page
      .getByRole('listitem', { name: 'Bob Example', exact: true })
      .getByRole('button', { name: 'Contact Info: Bob Example' })
      .click();
    const info = page.getByRole('dialog', { name: 'Contact Info: Bob Example' });
    await info.getByRole('button', { name: 'Add note' }).click();
    await page.getByRole('dialog', { name: 'Add note' }).getByLabel('Note').fill('Prefers calls after 10');
    await page.getByRole('dialog', { name: 'Add note' }).getByRole('button', { name: 'Confirm' }).click();
    await info.getByRole('button', { name: 'Add note' }).click();
    await page.getByRole('dialog', { name: 'Add note' }).getByLabel('Note').fill('Old address');
    await page.getByRole('dialog', { name: 'Add note' }).getByRole('button', { name: 'Confirm' }).click();
    await info.getByRole('button', { name: 'Edit note: Old address' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit note' });
    await edit.getByLabel('Archive').check();
    await edit.getByRole('button', { name: 'Confirm' }).click();
    await info.getByRole('img', { name: '1 note(s)' }).waitFor();
    await info
      .getByText(/Created /)
      .first()
      .waitFor();
    // The call history with Bob is in his Contact Info too.
    await info.getByRole('listitem', { name: 'Outbound call, Bob Example' }).waitFor();
    await screenshot(page, 'contact-info');
    await info.getByRole('button', { name: 'Close' }).click();

    await page.reload();
    await lineConnected(page, ALICE.name);
    await page.getByRole('listitem', { name: 'Outbound call, Bob Example' }).waitFor();
    await page.getByRole('tab', { name: 'Contacts' }).click();
    await page
      .getByRole('listitem', { name: 'Bob Example', exact: true })
      .getByRole('button', { name: 'Contact Info: Bob Example' })
      .click();
    const again = page.getByRole('dialog', { name: 'Contact Info: Bob Example' });
    await again.getByRole('button', { name: 'Edit note: Prefers calls after 10' }).waitFor();
    await again.getByRole('button', { name: 'Edit note: Old address' }).waitFor();
    await again.getByRole('img', { name: '1 note(s)' }).waitFor();
    await again.getByRole('button', { name: 'Close' }).click();
  });

  it('A calls B again with the keyboard only; B answers with the keyboard; audio both ways; hang up', async () => {
    const page = a.page;
    const call = page
      .getByRole('listitem', { name: 'Bob Example', exact: true })
      .getByRole('button', { name: 'Call' });
    await call.focus();
    await page.keyboard.press('Enter');
    const answer = b.page
      .getByRole('toolbar', { name: 'Phone functions' })
      .getByRole('button', { name: 'Answer' });
    await answer.waitFor();
    await answer.focus();
    await b.page.keyboard.press('Enter');
    await Promise.all([expectHearing(a.page, 'A'), expectHearing(b.page, 'B')]);
    const hangUp = b.page
      .getByRole('toolbar', { name: 'Phone functions' })
      .getByRole('button', { name: 'Hang up' });
    await hangUp.focus();
    await b.page.keyboard.press('Enter');
    await party(page, 'Bob Example').getByRole('button', { name: 'Hang up' }).waitFor({ state: 'detached' });
    expect(await page.locator('meter.party-level').count()).toBe(0);
  });

  it('declining a call by dragging the caller away; the caller sees it refused', async () => {
    await b.page
      .getByRole('toolbar', { name: 'Phone functions' })
      .getByRole('button', { name: 'Dial pad' })
      .click();
    await b.page.getByLabel('Phone number').fill(ALICE.number);
    await b.page.getByRole('button', { name: 'Call', exact: true }).last().click();
    const caller = party(a.page, 'Bob Example');
    await caller.getByRole('button', { name: 'Answer' }).waitFor();
    const out = await a.page.locator('.topbar').boundingBox();
    await caller.getByRole('button', { name: /^Contact Info/ }).hover();
    await a.page.mouse.down();
    await a.page.mouse.move(out!.x + 30, out!.y + 10, { steps: 5 });
    await a.page.mouse.up();
    await caller.getByRole('button', { name: 'Answer' }).waitFor({ state: 'detached' });
    await b.page.getByRole('listitem', { name: /^Unanswered outbound call, / }).waitFor();
  });

  it('Do Not Disturb in Account Info refuses calls; Settings switch the language and offer Get help', async () => {
    await b.page
      .getByRole('toolbar', { name: 'Phone functions' })
      .getByRole('button', { name: 'Home' })
      .click();
    await b.page.getByRole('button', { name: 'Account Info' }).click();
    const account = b.page.getByRole('dialog', { name: 'Account Info' });
    await account.getByRole('switch', { name: /Do Not Disturb/ }).check();
    await screenshot(b.page, 'account-info');
    await account.getByRole('button', { name: 'Close' }).click();
    await a.page
      .getByRole('listitem', { name: 'Bob Example', exact: true })
      .getByRole('button', { name: 'Call' })
      .click();
    await a.page.getByRole('tab', { name: 'Recents' }).click();
    await a.page.getByRole('listitem', { name: 'Unanswered outbound call, Bob Example' }).first().waitFor();
    await b.page
      .getByRole('listitem', { name: /^Missed call, / })
      .first()
      .waitFor();
    await b.page.getByRole('button', { name: 'Account Info' }).click();
    await account.getByRole('switch', { name: /Do Not Disturb/ }).uncheck();
    await account.getByRole('button', { name: 'Close' }).click();

    await a.page.getByRole('button', { name: 'Settings and support' }).click();
    const settings = a.page.getByRole('dialog', { name: 'Settings' });
    await settings.getByRole('tab', { name: 'Support' }).click();
    await settings.getByRole('link', { name: 'Get help' }).waitFor();
    const download = a.page.waitForEvent('download');
    await settings.getByRole('button', { name: 'Download the app log' }).click();
    const log = await (await download).path();
    expect(log).toBeTruthy();
    await screenshot(a.page, 'settings-support');
    await settings.getByRole('tab', { name: 'General' }).click();
    await settings.getByLabel('Language').selectOption('fr');
    await a.page.getByRole('dialog', { name: 'Réglages' }).getByLabel('Langue').selectOption('en');
    await settings.getByRole('button', { name: 'Close' }).click();
    await a.page
      .getByRole('toolbar', { name: 'Phone functions' })
      .getByRole('button', { name: 'Dial pad' })
      .click();
    await a.page.getByLabel('Phone number').fill('1002');
    await screenshot(a.page, 'dial-pad');
    await a.page
      .getByRole('toolbar', { name: 'Phone functions' })
      .getByRole('button', { name: 'Home' })
      .click();
    await screenshot(a.page, 'home');
  });

  it('a reset of the activation code in the portal signs the app out', async () => {
    const reset = await srv.api('POST', `/devices/${deviceB.deviceId}/activation/reset`);
    expect(reset.status).toBe(200);
    await b.page.getByRole('heading', { name: 'Activate the app' }).waitFor();
    await b.page.getByText('This device was deactivated by your administrator').waitFor();
    expect(errors).toEqual([]);
  });
});
