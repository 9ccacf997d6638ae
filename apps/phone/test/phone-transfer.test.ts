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
import { describe, expect, it } from 'vitest';
import { answer, dial, gone, hears, who } from './call-steps.ts';
import { party } from './steps.ts';
import { ALICE, BOB, CAROL, hangUp, openTransfer, transferTo, useThreePhones } from './three-phones.ts';

describe('softphone: call waiting and transfer through the PBX (three browsers)', () => {
  const phones = useThreePhones();

  it('call waiting: Bob answers Carol while talking to Alice (Alice hears music on hold on her Opus leg), swaps back, hangs up Carol', async () => {
    await dial(phones.a.page, BOB.number);
    await answer(phones.b.page, who(ALICE));
    const first = await hears(phones.a.page, who(BOB), 'Alice hears Bob');
    expect(first.codec.toLowerCase()).toBe('opus'); // two browsers: Opus end to end
    await hears(phones.b.page, who(ALICE), 'Bob hears Alice');

    // Carol calls Bob: a second call rings while he talks.
    await dial(phones.c.page, BOB.number);
    await party(phones.b.page, who(CAROL)).getByRole('button', { name: 'Answer' }).waitFor();
    await answer(phones.b.page, who(CAROL));
    // Alice is on hold on Bob's phone, and hears the PBX's music on hold (G.711 now).
    await party(phones.b.page, who(ALICE)).filter({ hasText: 'On hold' }).waitFor();
    const music = await hears(phones.a.page, who(BOB), 'Alice hears music on hold');
    expect(['pcmu', 'pcma']).toContain(music.codec.toLowerCase());
    await Promise.all([
      hears(phones.b.page, who(CAROL), 'Bob hears Carol'),
      hears(phones.c.page, who(BOB), 'Carol hears Bob'),
    ]);

    // Swap: resuming Alice holds Carol.
    await party(phones.b.page, who(ALICE)).getByRole('button', { name: 'Resume' }).click();
    await party(phones.b.page, who(CAROL)).filter({ hasText: 'On hold' }).waitFor();
    await party(phones.b.page, who(ALICE)).getByRole('button', { name: 'Hold' }).waitFor();
    await Promise.all([
      hears(phones.b.page, who(ALICE), 'Bob hears Alice again'),
      hears(phones.c.page, who(BOB), 'Carol hears music on hold'),
    ]);

    // Hang up Carol; Alice and Bob go on.
    await hangUp(phones.b.page, who(CAROL));
    await gone(phones.c.page, who(BOB));
    await Promise.all([
      hears(phones.a.page, who(BOB), 'Alice hears Bob'),
      hears(phones.b.page, who(ALICE), 'Bob hears Alice'),
    ]);
    await hangUp(phones.b.page, who(ALICE));
    await gone(phones.a.page, who(BOB));
  }, 90_000);

  it('blind transfer with the Transfer button: Bob transfers Alice to Carol (a browser); Alice and Carol hear each other', async () => {
    await dial(phones.a.page, BOB.number);
    await answer(phones.b.page, who(ALICE));
    await hears(phones.b.page, who(ALICE), 'Bob hears Alice');
    await transferTo(phones.b.page, who(ALICE), CAROL.number);

    // Carol's phone rings with Alice calling (the transferee), she answers.
    await answer(phones.c.page, who(ALICE));
    await gone(phones.b.page, who(ALICE));
    await Promise.all([
      hears(phones.a.page, who(BOB), 'Alice hears Carol'),
      hears(phones.c.page, who(ALICE), 'Carol hears Alice'),
    ]);
    await hangUp(phones.c.page, who(ALICE));
    await gone(phones.a.page, who(BOB));
  }, 90_000);

  it('a transfer to an unknown number fails: the call stays with Bob, who reads why', async () => {
    await dial(phones.a.page, BOB.number);
    await answer(phones.b.page, who(ALICE));
    await transferTo(phones.b.page, who(ALICE), '1999');
    await party(phones.b.page, who(ALICE))
      .filter({ hasText: /transfer failed: 404/ })
      .waitFor({ timeout: 20_000 });
    await phones.b.page
      .getByText(/transfer failed: 404/)
      .first()
      .waitFor();
    await Promise.all([
      hears(phones.a.page, who(BOB), 'Alice hears Bob'),
      hears(phones.b.page, who(ALICE), 'Bob hears Alice'),
    ]);
    await hangUp(phones.b.page, who(ALICE));
    await gone(phones.a.page, who(BOB));
  }, 90_000);

  it('attended transfer: Bob holds Alice, calls Carol, then connects them (REFER with Replaces); two browsers meet', async () => {
    await dial(phones.a.page, BOB.number);
    await answer(phones.b.page, who(ALICE));
    await hears(phones.a.page, who(BOB), 'Alice hears Bob');
    // Bob holds Alice (she hears music) and calls Carol: a call of its own, not a conference.
    await party(phones.b.page, who(ALICE)).getByRole('button', { name: 'Hold' }).click();
    await party(phones.b.page, who(ALICE)).filter({ hasText: 'On hold' }).waitFor();
    await dial(phones.b.page, CAROL.number);
    await answer(phones.c.page, who(BOB));
    await Promise.all([
      hears(phones.b.page, who(CAROL), 'Bob consults Carol'),
      hears(phones.c.page, who(BOB), 'Carol hears Bob'),
      hears(phones.a.page, who(BOB), 'Alice hears music meanwhile'),
    ]);
    const dialog = await openTransfer(phones.b.page, who(CAROL));
    await dialog.getByRole('button', { name: /^Connect .* with / }).click();
    // Bob leaves both calls; Alice and Carol talk.
    await Promise.all([gone(phones.b.page, who(ALICE)), gone(phones.b.page, who(CAROL))]);
    await Promise.all([
      hears(phones.a.page, who(BOB), 'Alice hears Carol'),
      hears(phones.c.page, who(BOB), 'Carol hears Alice'),
    ]);
    await hangUp(phones.c.page, who(BOB));
    await gone(phones.a.page, who(BOB));
  }, 90_000);

  it('blind transfer by dragging the caller onto a contact: the menu offers Pin and hold, Pin and mute, Transfer', async () => {
    // Bob saves Carol as a contact.
    const page = phones.b.page;
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

    await dial(phones.a.page, BOB.number);
    await answer(page, who(ALICE));
    await party(page, who(ALICE))
      .getByRole('button', { name: /^Contact Info/ })
      .dragTo(page.getByRole('listitem', { name: CAROL.name, exact: true }));
    const menu = page.getByRole('dialog', { name: new RegExp(CAROL.name) });
    await menu.getByRole('button', { name: 'Pin and hold' }).waitFor();
    await menu.getByRole('button', { name: 'Pin and mute' }).waitFor();
    await menu.getByRole('button', { name: 'Transfer' }).click();
    await answer(phones.c.page, who(ALICE));
    await gone(page, who(ALICE));
    await Promise.all([
      hears(phones.a.page, who(BOB), 'Alice hears Carol'),
      hears(phones.c.page, who(ALICE), 'Carol hears Alice'),
    ]);
    await hangUp(phones.a.page, who(BOB));
    await gone(phones.c.page, who(ALICE));
    expect(phones.errors).toEqual([]);
  }, 90_000);
});
