// Transfer and call waiting from the softphone, through the PBX, with three Chromiums (fake
// microphones: Alice 440 Hz, Bob 1200 Hz, Carol 700 Hz), every one a browser (WebRTC) leg:
// - call waiting and swap: Bob talks to Alice, answers Carol (Alice is held and hears the PBX's
//   music on hold although her leg negotiated Opus — the PBX moves it to G.711 first), swaps
//   back (Carol is held), hangs up Carol, goes on with Alice;
// - blind transfer with the Transfer button (REFER): Bob transfers Alice to Carol, a browser as
//   transfer target; Alice and Carol hear each other, Bob's call ends;
// - a transfer to an unknown number fails: the call stays with Bob, with the reason;
// - attended transfer (REFER with Replaces): Bob holds Alice, consults Carol, connects them —
//   both browsers, so the PBX re-binds Carol's WebRTC leg to Alice's call;
// - blind transfer by dragging the caller onto a contact (Pin and hold / Pin and mute /
//   Transfer menu).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPhone, launchPhone, startTestServer, type PhoneBrowser, type TestServer } from './harness.ts';
import { answer, dial, gone, hears, who } from './call-steps.ts';
import { lineConnected, party } from './steps.ts';

const ALICE = { number: '1001', password: 'alice-sip-secret-1', name: 'Alice Example' };
const BOB = { number: '1002', password: 'bob-sip-secret-22', name: 'Bob Example' };
const CAROL = { number: '1003', password: 'carol-sip-secret-3', name: 'Carol Example' };

describe('softphone: call waiting and transfer through the PBX (three browsers)', () => {
  let srv: TestServer;
  let a: PhoneBrowser;
  let b: PhoneBrowser;
  let c: PhoneBrowser;
  const errors: string[] = [];

  beforeAll(async () => {
    buildPhone();
    srv = await startTestServer();
    const devices = [await srv.provision(ALICE), await srv.provision(BOB), await srv.provision(CAROL)];
    [a, b, c] = await Promise.all([
      launchPhone(srv.baseUrl, 440),
      launchPhone(srv.baseUrl, 1200),
      launchPhone(srv.baseUrl, 700),
    ]);
    for (const [phone, name] of [
      [a, 'A'],
      [b, 'B'],
      [c, 'C'],
    ] as const)
      phone.page.on('pageerror', (error) => errors.push(`${name}: ${error.message}`));
    await Promise.all([a, b, c].map((p, i) => p.page.goto(devices[i]!.link)));
    await Promise.all([
      lineConnected(a.page, ALICE.name),
      lineConnected(b.page, BOB.name),
      lineConnected(c.page, CAROL.name),
    ]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close(), c?.close()]);
    await srv?.close();
  });

  it('call waiting: Bob answers Carol while talking to Alice (Alice hears music on hold on her Opus leg), swaps back, hangs up Carol', async () => {
    await dial(a.page, BOB.number);
    await answer(b.page, who(ALICE));
    const first = await hears(a.page, who(BOB), 'Alice hears Bob');
    expect(first.codec.toLowerCase()).toBe('opus'); // two browsers: Opus end to end
    await hears(b.page, who(ALICE), 'Bob hears Alice');

    // Carol calls Bob: a second call rings while he talks.
    await dial(c.page, BOB.number);
    await party(b.page, who(CAROL)).getByRole('button', { name: 'Answer' }).waitFor();
    await answer(b.page, who(CAROL));
    // Alice is on hold on Bob's phone, and hears the PBX's music on hold (G.711 now).
    await party(b.page, who(ALICE)).filter({ hasText: 'On hold' }).waitFor();
    const music = await hears(a.page, who(BOB), 'Alice hears music on hold');
    expect(['pcmu', 'pcma']).toContain(music.codec.toLowerCase());
    await Promise.all([
      hears(b.page, who(CAROL), 'Bob hears Carol'),
      hears(c.page, who(BOB), 'Carol hears Bob'),
    ]);

    // Swap: resuming Alice holds Carol.
    await party(b.page, who(ALICE)).getByRole('button', { name: 'Resume' }).click();
    await party(b.page, who(CAROL)).filter({ hasText: 'On hold' }).waitFor();
    await party(b.page, who(ALICE)).getByRole('button', { name: 'Hold' }).waitFor();
    await Promise.all([
      hears(b.page, who(ALICE), 'Bob hears Alice again'),
      hears(c.page, who(BOB), 'Carol hears music on hold'),
    ]);

    // Hang up Carol; Alice and Bob go on.
    await party(b.page, who(CAROL)).getByRole('button', { name: 'Hang up' }).click();
    await gone(c.page, who(BOB));
    await Promise.all([
      hears(a.page, who(BOB), 'Alice hears Bob'),
      hears(b.page, who(ALICE), 'Bob hears Alice'),
    ]);
    await party(b.page, who(ALICE)).getByRole('button', { name: 'Hang up' }).click();
    await gone(a.page, who(BOB));
  }, 90_000);

  it('blind transfer with the Transfer button: Bob transfers Alice to Carol (a browser); Alice and Carol hear each other', async () => {
    await dial(a.page, BOB.number);
    await answer(b.page, who(ALICE));
    await hears(b.page, who(ALICE), 'Bob hears Alice');
    await party(b.page, who(ALICE)).getByRole('button', { name: 'Transfer' }).click();
    const dialog = b.page.getByRole('dialog', { name: /^Transfer the call with / });
    await dialog.getByLabel('Transfer to').fill(CAROL.number);
    await dialog.getByRole('button', { name: 'Transfer', exact: true }).click();

    // Carol's phone rings with Alice calling (the transferee), she answers.
    await answer(c.page, who(ALICE));
    await gone(b.page, who(ALICE));
    await Promise.all([
      hears(a.page, who(BOB), 'Alice hears Carol'),
      hears(c.page, who(ALICE), 'Carol hears Alice'),
    ]);
    await party(c.page, who(ALICE)).getByRole('button', { name: 'Hang up' }).click();
    await gone(a.page, who(BOB));
  }, 90_000);

  it('a transfer to an unknown number fails: the call stays with Bob, who reads why', async () => {
    await dial(a.page, BOB.number);
    await answer(b.page, who(ALICE));
    await party(b.page, who(ALICE)).getByRole('button', { name: 'Transfer' }).click();
    const dialog = b.page.getByRole('dialog', { name: /^Transfer the call with / });
    await dialog.getByLabel('Transfer to').fill('1999');
    await dialog.getByRole('button', { name: 'Transfer', exact: true }).click();
    await party(b.page, who(ALICE))
      .filter({ hasText: /transfer failed: 404/ })
      .waitFor({ timeout: 20_000 });
    await b.page
      .getByText(/transfer failed: 404/)
      .first()
      .waitFor();
    await Promise.all([
      hears(a.page, who(BOB), 'Alice hears Bob'),
      hears(b.page, who(ALICE), 'Bob hears Alice'),
    ]);
    await party(b.page, who(ALICE)).getByRole('button', { name: 'Hang up' }).click();
    await gone(a.page, who(BOB));
  }, 90_000);

  it('attended transfer: Bob holds Alice, calls Carol, then connects them (REFER with Replaces); two browsers meet', async () => {
    await dial(a.page, BOB.number);
    await answer(b.page, who(ALICE));
    await hears(a.page, who(BOB), 'Alice hears Bob');
    // Bob holds Alice (she hears music) and calls Carol: a call of its own, not a conference.
    await party(b.page, who(ALICE)).getByRole('button', { name: 'Hold' }).click();
    await party(b.page, who(ALICE)).filter({ hasText: 'On hold' }).waitFor();
    await dial(b.page, CAROL.number);
    await answer(c.page, who(BOB));
    await Promise.all([
      hears(b.page, who(CAROL), 'Bob consults Carol'),
      hears(c.page, who(BOB), 'Carol hears Bob'),
      hears(a.page, who(BOB), 'Alice hears music meanwhile'),
    ]);
    await party(b.page, who(CAROL)).getByRole('button', { name: 'Transfer' }).click();
    const dialog = b.page.getByRole('dialog', { name: /^Transfer the call with / });
    await dialog.getByRole('button', { name: /^Connect .* with / }).click();
    // Bob leaves both calls; Alice and Carol talk.
    await Promise.all([gone(b.page, who(ALICE)), gone(b.page, who(CAROL))]);
    await Promise.all([
      hears(a.page, who(BOB), 'Alice hears Carol'),
      hears(c.page, who(BOB), 'Carol hears Alice'),
    ]);
    await party(c.page, who(BOB)).getByRole('button', { name: 'Hang up' }).click();
    await gone(a.page, who(BOB));
  }, 90_000);

  it('blind transfer by dragging the caller onto a contact: the menu offers Pin and hold, Pin and mute, Transfer', async () => {
    // Bob saves Carol as a contact.
    const page = b.page;
    await page.getByRole('tab', { name: 'Contacts' }).click();
    await page.getByRole('button', { name: 'New contact' }).click();
    const form = page.getByRole('dialog', { name: 'Create contact' });
    await form.getByLabel('Contact name').fill(CAROL.name);
    await form.getByLabel('Phone number 1').fill(CAROL.number);
    await form.getByRole('button', { name: 'Confirm' }).click();
    await page
      .getByRole('dialog', { name: `Contact Info: ${CAROL.name}` })
      .getByRole('button', { name: 'Close' })
      .click();

    await dial(a.page, BOB.number);
    await answer(page, who(ALICE));
    await party(page, who(ALICE))
      .getByRole('button', { name: /^Contact Info/ })
      .dragTo(page.getByRole('listitem', { name: CAROL.name, exact: true }));
    const menu = page.getByRole('dialog', { name: new RegExp(CAROL.name) });
    await menu.getByRole('button', { name: 'Pin and hold' }).waitFor();
    await menu.getByRole('button', { name: 'Pin and mute' }).waitFor();
    await menu.getByRole('button', { name: 'Transfer' }).click();
    await answer(c.page, who(ALICE));
    await gone(page, who(ALICE));
    await Promise.all([
      hears(a.page, who(BOB), 'Alice hears Carol'),
      hears(c.page, who(ALICE), 'Carol hears Alice'),
    ]);
    await party(a.page, who(BOB)).getByRole('button', { name: 'Hang up' }).click();
    await gone(c.page, who(ALICE));
    expect(errors).toEqual([]);
  }, 90_000);
});
