// A conference on the PBX's mixing bridge, run from the softphone, with three Chromiums (fake
// microphones: Alice 440 Hz, Bob 1200 Hz, Carol 700 Hz): Alice talks to Bob and dials Carol
// while talking — the app moves the call into the room named after Alice's extension (REFER to
// `*8` + 1001: both phones become participants, Alice owns the room) and has the PBX call Carol
// in (the owner's key command `*1003#`). Each hears the other two (one of the others muted at a
// time: the rest is still heard); the owner mutes everyone else, mutes, holds and
// hangs up one participant (the device-scoped /provisioning/conferences API), and ends the room.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPhone, launchPhone, startTestServer, type PhoneBrowser, type TestServer } from './harness.ts';
import { answer, dial, gone, hears, quiet, who } from './call-steps.ts';
import { lineConnected, party, until } from './steps.ts';

const ALICE = { number: '1001', password: 'alice-sip-secret-1', name: 'Alice Example' };
const BOB = { number: '1002', password: 'bob-sip-secret-22', name: 'Bob Example' };
const CAROL = { number: '1003', password: 'carol-sip-secret-3', name: 'Carol Example' };

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

  it('Alice adds Carol to her call with Bob: the call moves into the PBX room, the PBX calls Carol in, each hears the others', async () => {
    await dial(a.page, BOB.number);
    await answer(b.page, who(ALICE));
    await hears(b.page, who(ALICE), 'Bob hears Alice');

    // Dialling while talking adds the party to a conference.
    await dial(a.page, CAROL.number);
    await party(a.page, who(BOB)).getByRole('button', { name: 'End the conference' }).waitFor();
    // The PBX calls Carol on behalf of Alice, the owner.
    await answer(c.page, who(ALICE));

    // The room as the PBX sees it: Alice owns it, three participants.
    const room = await until(
      () =>
        srv.api<{ owner: string; participants: { extension: string }[] }>(
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
    const asDevice = (page: typeof a.page) =>
      page.evaluate(async (room) => {
        const key = Object.keys(localStorage).find((k) => k.includes('device'))!;
        const { token } = JSON.parse(localStorage.getItem(key)!) as { token: string };
        const headers = { authorization: `Bearer ${token}` };
        const get = await fetch(`/api/v1/provisioning/conferences/${room}`, { headers });
        const end = await fetch(`/api/v1/provisioning/conferences/${room}`, { method: 'DELETE', headers });
        return [get.status, end.status];
      }, ALICE.number);
    expect(await asDevice(b.page)).toEqual([404, 404]);
    expect(
      await a.page.evaluate(async (room) => {
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
    const members = party(a.page, who(BOB)).getByRole('group', { name: 'Conference participants' });
    await members.getByRole('button', { name: `Hang up ${BOB.name}` }).waitFor();
    await members.getByRole('button', { name: `Hang up ${CAROL.name}` }).waitFor();
    await Promise.all([
      hears(a.page, who(BOB), 'Alice hears the room'),
      hears(b.page, who(ALICE), 'Bob hears the room'),
      hears(c.page, who(ALICE), 'Carol hears the room'),
    ]);
  }, 90_000);

  it('each hears the other two: with one of them muted, the other is still heard', async () => {
    // Alice mutes herself: Bob still hears Carol, Carol still hears Bob.
    await toolbar(a.page, 'Mute');
    await Promise.all([
      hears(b.page, who(ALICE), 'Bob hears Carol'),
      hears(c.page, who(ALICE), 'Carol hears Bob'),
    ]);
    await toolbar(a.page, 'Unmute');
    // Carol mutes herself: Bob hears Alice, Alice hears Bob.
    await toolbar(c.page, 'Mute');
    await Promise.all([
      hears(b.page, who(ALICE), 'Bob hears Alice'),
      hears(a.page, who(BOB), 'Alice hears Bob'),
    ]);
    // Bob mutes himself too: Alice hears nobody (her own voice never comes back).
    await toolbar(b.page, 'Mute');
    await quiet(a.page, who(BOB), 'Alice with Bob and Carol muted');
    await toolbar(b.page, 'Unmute');
    await toolbar(c.page, 'Unmute');
    await hears(a.page, who(BOB), 'Alice hears the others again');
  }, 90_000);

  it('the owner controls the room: mutes everyone else; mutes, holds and hangs up one participant; ends it', async () => {
    await party(a.page, who(BOB)).getByRole('button', { name: 'Mute everyone else' }).click();
    await quiet(a.page, who(BOB), 'Alice with everyone else muted by the bridge');
    // Bob and Carol still hear Alice.
    await Promise.all([
      hears(b.page, who(ALICE), 'Bob hears Alice'),
      hears(c.page, who(ALICE), 'Carol hears Alice'),
    ]);
    await party(a.page, who(BOB)).getByRole('button', { name: 'Unmute everyone else' }).click();
    await hears(a.page, who(BOB), 'Alice hears the others again');

    // One participant: with Bob muting himself, Alice mutes Carol on the bridge and hears nobody;
    // unmuted, Carol is heard again.
    const members = party(a.page, who(BOB)).getByRole('group', { name: 'Conference participants' });
    await toolbar(b.page, 'Mute');
    await press(a.page, members.getByRole('button', { name: `Mute ${CAROL.name}` }));
    await members.getByText(`${CAROL.name} · Muted`).waitFor();
    await quiet(a.page, who(BOB), 'Alice with Bob muting himself and Carol muted by the owner');
    await press(a.page, members.getByRole('button', { name: `Unmute ${CAROL.name}` }));
    await hears(a.page, who(BOB), 'Alice hears Carol again');
    await toolbar(b.page, 'Unmute');
    // Hold one participant: Bob hears the music on hold, the others go on.
    await press(a.page, members.getByRole('button', { name: `Hold ${BOB.name}` }));
    await members.getByText(`${BOB.name} · On hold`).waitFor();
    await hears(b.page, who(ALICE), 'Bob hears music on hold');
    await press(a.page, members.getByRole('button', { name: `Resume ${BOB.name}` }));
    // Hang up one participant: Carol's call ends, Alice and Bob go on.
    await press(a.page, members.getByRole('button', { name: `Hang up ${CAROL.name}` }));
    await gone(c.page, who(ALICE));
    await Promise.all([
      hears(a.page, who(BOB), 'Alice hears Bob'),
      hears(b.page, who(ALICE), 'Bob hears Alice'),
    ]);

    // The whole conference ends for everyone left.
    await party(a.page, who(BOB)).getByRole('button', { name: 'End the conference' }).click();
    await Promise.all([gone(a.page, who(BOB)), gone(b.page, who(ALICE))]);
    const rooms = await srv.api<{ items?: unknown[] } | unknown[]>('GET', '/conferences');
    expect(JSON.stringify(rooms.json)).not.toContain(`"room":"${ALICE.number}"`);
    expect(errors).toEqual([]);
  }, 90_000);
});
