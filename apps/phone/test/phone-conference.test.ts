// A conference on the PBX's mixing bridge, run from the softphone, with three Chromiums (fake
// microphones: Alice 440 Hz, Bob 1200 Hz, Carol 700 Hz): Alice talks to Bob and dials Carol
// while talking — the app moves the call into the room named after Alice's extension (REFER to
// `*8` + 1001: both phones become participants, Alice owns the room) and has the PBX call Carol
// in (the owner's key command `*1003#`). Each hears the other two (one of the others muted at a
// time: the rest is still heard); the owner mutes everyone else, mutes, holds and
// hangs up one participant (the device-scoped /provisioning/conferences API), and ends the room.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { answer, dial, gone, hears, quiet, who } from './call-steps.ts';
import { party, until } from './steps.ts';
import { ALICE, BOB, CAROL, useThreePhones } from './three-phones.ts';

/** A button pressed with the keyboard (the cards re-render as statistics arrive: no aiming). */
async function press(page: Page, button: Locator): Promise<void> {
  await button.focus();
  await page.keyboard.press('Enter');
}

/** The Phone Function Menu's Mute / Unmute (a muted party moves to the wheel). */
async function toolbar(page: Page, name: 'Mute' | 'Unmute'): Promise<void> {
  await page
    .getByRole('toolbar', { name: 'Phone functions' })
    .getByRole('button', { name, exact: true })
    .click();
}

describe('softphone: a conference on the PBX bridge (three browsers)', () => {
  const phones = useThreePhones();

  it('Alice adds Carol to her call with Bob: the call moves into the PBX room, the PBX calls Carol in, each hears the others', async () => {
    await dial(phones.a.page, BOB.number);
    await answer(phones.b.page, who(ALICE));
    await hears(phones.b.page, who(ALICE), 'Bob hears Alice');

    // Dialling while talking adds the party to a conference.
    await dial(phones.a.page, CAROL.number);
    await party(phones.a.page, who(BOB)).getByRole('button', { name: 'End the conference' }).waitFor();
    // The PBX calls Carol on behalf of Alice, the owner.
    await answer(phones.c.page, who(ALICE));

    // The room as the PBX sees it: Alice owns it, three participants.
    const room = await until(
      () =>
        phones.srv.api<{ owner: string; participants: { extension: string }[] }>(
          'GET',
          `/conferences/${ALICE.number}`,
        ),
      (r) => r.status === 200 && r.json.participants.length === 3,
      'the room with three participants',
    );
    expect(room.json.owner).toBe(ALICE.number);
    expect(room.json.participants.map((p) => p.extension).sort()).toEqual([
      ALICE.number,
      BOB.number,
      CAROL.number,
    ]);
    // Strict ownership of the device-scoped controls: Alice's device reaches her room, Bob's
    // device (a participant, not the owner) gets 404 as if it did not exist.
    const asDevice = (page: typeof phones.a.page) =>
      page.evaluate(async (room) => {
        const key = Object.keys(localStorage).find((k) => k.includes('device'))!;
        const { token } = JSON.parse(localStorage.getItem(key)!) as { token: string };
        const headers = { authorization: `Bearer ${token}` };
        const get = await fetch(`/api/v1/provisioning/conferences/${room}`, { headers });
        const end = await fetch(`/api/v1/provisioning/conferences/${room}`, { method: 'DELETE', headers });
        return [get.status, end.status];
      }, ALICE.number);
    expect(await asDevice(phones.b.page)).toEqual([404, 404]);
    expect(
      await phones.a.page.evaluate(async (room) => {
        const key = Object.keys(localStorage).find((k) => k.includes('device'))!;
        const { token } = JSON.parse(localStorage.getItem(key)!) as { token: string };
        return (
          await fetch(`/api/v1/provisioning/conferences/${room}`, {
            headers: { authorization: `Bearer ${token}` },
          })
        ).status;
      }, ALICE.number),
    ).toBe(200);

    // Alice's app lists the two others, with their controls.
    const members = party(phones.a.page, who(BOB)).getByRole('group', { name: 'Conference participants' });
    await members.getByRole('button', { name: `Hang up ${BOB.name}` }).waitFor();
    await members.getByRole('button', { name: `Hang up ${CAROL.name}` }).waitFor();
    await Promise.all([
      hears(phones.a.page, who(BOB), 'Alice hears the room'),
      hears(phones.b.page, who(ALICE), 'Bob hears the room'),
      hears(phones.c.page, who(ALICE), 'Carol hears the room'),
    ]);
  }, 90_000);

  it('each hears the other two: with one of them muted, the other is still heard', async () => {
    // Alice mutes herself: Bob still hears Carol, Carol still hears Bob.
    await toolbar(phones.a.page, 'Mute');
    await Promise.all([
      hears(phones.b.page, who(ALICE), 'Bob hears Carol'),
      hears(phones.c.page, who(ALICE), 'Carol hears Bob'),
    ]);
    await toolbar(phones.a.page, 'Unmute');
    // Carol mutes herself: Bob hears Alice, Alice hears Bob.
    await toolbar(phones.c.page, 'Mute');
    await Promise.all([
      hears(phones.b.page, who(ALICE), 'Bob hears Alice'),
      hears(phones.a.page, who(BOB), 'Alice hears Bob'),
    ]);
    // Bob mutes himself too: Alice hears nobody (her own voice never comes back).
    await toolbar(phones.b.page, 'Mute');
    await quiet(phones.a.page, who(BOB), 'Alice with Bob and Carol muted');
    await toolbar(phones.b.page, 'Unmute');
    await toolbar(phones.c.page, 'Unmute');
    await hears(phones.a.page, who(BOB), 'Alice hears the others again');
  }, 90_000);

  it('the owner controls the room: mutes everyone else; mutes, holds and hangs up one participant; ends it', async () => {
    await party(phones.a.page, who(BOB)).getByRole('button', { name: 'Mute everyone else' }).click();
    await quiet(phones.a.page, who(BOB), 'Alice with everyone else muted by the bridge');
    // Bob and Carol still hear Alice.
    await Promise.all([
      hears(phones.b.page, who(ALICE), 'Bob hears Alice'),
      hears(phones.c.page, who(ALICE), 'Carol hears Alice'),
    ]);
    await party(phones.a.page, who(BOB)).getByRole('button', { name: 'Unmute everyone else' }).click();
    await hears(phones.a.page, who(BOB), 'Alice hears the others again');

    // One participant: with Bob muting himself, Alice mutes Carol on the bridge and hears nobody;
    // unmuted, Carol is heard again.
    const members = party(phones.a.page, who(BOB)).getByRole('group', { name: 'Conference participants' });
    await toolbar(phones.b.page, 'Mute');
    await press(phones.a.page, members.getByRole('button', { name: `Mute ${CAROL.name}` }));
    await members.getByText(`${CAROL.name} · Muted`).waitFor();
    await quiet(phones.a.page, who(BOB), 'Alice with Bob muting himself and Carol muted by the owner');
    await press(phones.a.page, members.getByRole('button', { name: `Unmute ${CAROL.name}` }));
    await hears(phones.a.page, who(BOB), 'Alice hears Carol again');
    await toolbar(phones.b.page, 'Unmute');
    // Hold one participant: Bob hears the music on hold, the others go on.
    await press(phones.a.page, members.getByRole('button', { name: `Hold ${BOB.name}` }));
    await members.getByText(`${BOB.name} · On hold`).waitFor();
    await hears(phones.b.page, who(ALICE), 'Bob hears music on hold');
    await press(phones.a.page, members.getByRole('button', { name: `Resume ${BOB.name}` }));
    // Hang up one participant: Carol's call ends, Alice and Bob go on.
    await press(phones.a.page, members.getByRole('button', { name: `Hang up ${CAROL.name}` }));
    await gone(phones.c.page, who(ALICE));
    await Promise.all([
      hears(phones.a.page, who(BOB), 'Alice hears Bob'),
      hears(phones.b.page, who(ALICE), 'Bob hears Alice'),
    ]);

    // The whole conference ends for everyone left.
    await party(phones.a.page, who(BOB)).getByRole('button', { name: 'End the conference' }).click();
    await Promise.all([gone(phones.a.page, who(BOB)), gone(phones.b.page, who(ALICE))]);
    const rooms = await phones.srv.api<{ items?: unknown[] } | unknown[]>('GET', '/conferences');
    expect(JSON.stringify(rooms.json)).not.toContain(`"room":"${ALICE.number}"`);
    expect(phones.errors).toEqual([]);
  }, 90_000);
});
