// The softphone's own contacts and the Activities Wheel, in Chromium against the real server:
// Alice's device has two lines (two accounts of the built-in PBX), Bob's one. A missed call from
// a number Alice has not saved shows a question mark and the number, and ＋ in Recents saves it;
// a contact made from scratch with two numbers, a default number, a default line (the call goes
// out on that line: Bob sees the second line's number) and a star (Favorites); edit and delete;
// import from vCard and CSV files through the file input, a broken file refused with an alert;
// the wheel: recent people appear, a pin survives a reload, and each Clear mode removes what it
// says. Every check is made on the screen, and again after a reload where the app persists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildPhone, launchPhone, startTestServer, type PhoneBrowser, type TestServer } from './harness.ts';
import { answer, dial, gone, who } from './call-steps.ts';
import { lineConnected, party, until } from './steps.ts';

const ALICE = { number: '1101', password: 'alice-contacts-secret-1', name: 'Alice Contacts' };
const ALICE_2 = { number: '1103', password: 'alice-second-secret-3', name: 'Alice Second' };
const BOB = { number: '1102', password: 'bob-contacts-secret-22', name: 'Bob Contacts' };
const CAROL = { number: '1104', password: 'carol-contacts-secret-4', name: 'Carol Contacts' };
const WHEEL_KEY = 'switchboard.phone.wheel';

interface StoredContact {
  name: string;
  numbers: { label: string; number: string }[];
  defaultNumber: number;
  defaultLineId?: string;
  favorite: boolean;
}

const storedContacts = (page: Page) =>
  page.evaluate(
    () => JSON.parse(localStorage.getItem('switchboard.phone.contacts') ?? '[]') as StoredContact[],
  );
const storedWheel = (page: Page) =>
  page.evaluate(
    (key) => JSON.parse(localStorage.getItem(key) ?? '[]') as { key: string; pinned: boolean }[],
    WHEEL_KEY,
  );
const contactsTab = async (page: Page) => {
  await page.getByRole('tab', { name: 'Contacts' }).click();
  return page.getByRole('list', { name: 'Contacts' });
};
const row = (page: Page, name: string) => page.locator('aside').getByRole('listitem', { name, exact: true });
const wheelNames = (page: Page) =>
  page
    .locator('main ul.wheel > li .party-name')
    .allTextContents()
    .then((names) => names.sort());

describe('softphone: contacts, import and the Activities Wheel', () => {
  let srv: TestServer;
  let a: PhoneBrowser;
  let b: PhoneBrowser;
  let secondLineId = '';
  const errors: string[] = [];

  beforeAll(async () => {
    buildPhone();
    srv = await startTestServer();
    // Alice: one device with two lines, as the portal makes it.
    const first = await srv.extension(ALICE);
    secondLineId = await srv.extension(ALICE_2);
    const contact = await srv.api<{ id: string }>('POST', '/contacts', {
      firstName: 'Alice',
      lastName: 'Contacts',
      emails: [{ address: 'alice.contacts@example.test', label: 'work' }],
    });
    const device = await srv.api<{ id: string }>('POST', `/contacts/${contact.json.id}/devices`, {
      name: "Alice's browser",
      accountIds: [first, secondLineId],
    });
    expect(device.status).toBe(201);
    const activation = await srv.api<{ link: string }>('GET', `/devices/${device.json.id}/activation`);
    const deviceB = await srv.provision(BOB);
    [a, b] = await Promise.all([launchPhone(srv.baseUrl, 440), launchPhone(srv.baseUrl, 1200)]);
    a.page.on('pageerror', (e) => errors.push(`A: ${e.message}`));
    b.page.on('pageerror', (e) => errors.push(`B: ${e.message}`));
    a.page.on('dialog', (d) => void d.accept());
    await a.page.goto(activation.json.link);
    await b.page.goto(deviceB.link);
    await Promise.all([lineConnected(a.page, ALICE.name), lineConnected(b.page, BOB.name)]);
    await until(
      () => srv.api<{ lines: { state: string }[] }>('GET', `/devices/${device.json.id}`),
      (r) => r.json.lines.length === 2 && r.json.lines.every((l) => l.state === 'registered'),
      "both of Alice's lines registered",
      20_000,
    );
  }, 180_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await srv?.close();
  });

  it('a missed call from an unknown number shows a question mark and the number; ＋ in Recents saves it', async () => {
    await dial(b.page, ALICE.number);
    const caller = party(a.page, `(${BOB.name}|${BOB.number})`);
    await caller.getByRole('button', { name: 'Decline' }).waitFor();
    // Not a contact: a question mark, and the number is shown.
    await expect(caller.locator('.avatar-initials').textContent()).resolves.toBe('?');
    await expect(caller.textContent()).resolves.toContain(BOB.number);
    await b.page.locator('main').getByRole('button', { name: 'Hang up' }).first().click();
    await caller.getByRole('button', { name: 'Decline' }).waitFor({ state: 'detached' });

    await a.page.getByRole('tab', { name: 'Recents' }).click();
    const missed = a.page
      .locator('aside')
      .getByRole('listitem', { name: /^Missed call, / })
      .first();
    await missed.waitFor();
    await expect(missed.locator('.avatar-initials').textContent()).resolves.toBe('?');
    await expect(missed.textContent()).resolves.toContain(BOB.number);
    await missed.getByRole('button', { name: 'Create contact' }).click();
    const form = a.page.getByRole('dialog', { name: 'Create contact' });
    await expect(form.getByRole('textbox', { name: 'Phone number 1' }).inputValue()).resolves.toBe(
      BOB.number,
    );
    await form.getByLabel('Contact name').fill('Bob From Recents');
    await form.getByRole('button', { name: 'Confirm' }).click();
    await a.page
      .getByRole('dialog', { name: 'Contact Info: Bob From Recents' })
      .getByRole('button', { name: 'Close' })
      .click();
    // The record and the wheel now show the contact (initials, no question mark), also after a reload.
    for (const reload of [false, true]) {
      if (reload) {
        await a.page.reload();
        await lineConnected(a.page, ALICE.name);
        await a.page.getByRole('tab', { name: 'Recents' }).click();
      }
      const saved = a.page.locator('aside').getByRole('listitem', { name: 'Missed call, Bob From Recents' });
      await expect(saved.locator('.avatar-initials').textContent()).resolves.toBe('BR');
      await expect(saved.getByRole('button', { name: 'Create contact' }).count()).resolves.toBe(0);
      await party(a.page, 'Bob From Recents').waitFor();
    }
    expect((await storedContacts(a.page)).map((c) => c.name)).toEqual(['Bob From Recents']);
    expect((await storedWheel(a.page)).map((w) => w.key)).not.toContain(`number:${BOB.number}`);
  });

  it('creates a contact from scratch with two numbers, a default number, a default line and a star; the call uses them', async () => {
    const page = a.page;
    await contactsTab(page);
    await page.getByRole('button', { name: 'New contact' }).click();
    const form = page.getByRole('dialog', { name: 'Create contact' });
    await form.getByLabel('Contact name').fill('Bob Second');
    await form.getByRole('textbox', { name: 'Phone number 1' }).fill('5550100');
    await form.getByRole('button', { name: 'Add phone number' }).click();
    await form.getByRole('textbox', { name: 'Phone number 2' }).fill(BOB.number);
    await form.getByRole('button', { name: 'Confirm' }).click();
    const info = page.getByRole('dialog', { name: 'Contact Info: Bob Second' });
    // The second number becomes the default, the second line the contact's line, and a star.
    await info.getByRole('listitem').filter({ hasText: BOB.number }).getByLabel('Default number').check();
    await info.getByLabel('Default line').selectOption({ label: ALICE_2.name });
    await info.getByRole('button', { name: 'Favorite' }).click();
    await expect(info.getByRole('button', { name: 'Favorite' }).getAttribute('aria-pressed')).resolves.toBe(
      'true',
    );
    await info.getByRole('button', { name: 'Close' }).click();

    await page.reload();
    await lineConnected(page, ALICE.name);
    await page.getByRole('tab', { name: 'Favorites' }).click();
    const favorites = page.getByRole('list', { name: 'Favorites' });
    await expect(favorites.getByRole('listitem').allTextContents()).resolves.toEqual([
      expect.stringContaining('Bob Second'),
    ]);
    // The row shows the default number.
    await expect(row(page, 'Bob Second').locator('.contact-number').textContent()).resolves.toBe(BOB.number);
    const stored = (await storedContacts(page)).find((c) => c.name === 'Bob Second');
    expect(stored).toMatchObject({ defaultNumber: 1, defaultLineId: secondLineId, favorite: true });
    expect(stored?.numbers.map((n) => n.number)).toEqual(['5550100', BOB.number]);

    // Call: the default number on the default line — Bob's phone rings from Alice's second line.
    await row(page, 'Bob Second').getByRole('button', { name: 'Call' }).click();
    const ringing = party(b.page, `(${ALICE_2.name}|${ALICE_2.number})`);
    await ringing.getByRole('button', { name: 'Decline' }).click();
    await ringing.getByRole('button', { name: 'Answer' }).waitFor({ state: 'detached' });
    await party(page, 'Bob Second')
      .getByRole('button', { name: 'Call' })
      .waitFor({ state: 'attached', timeout: 20_000 });
  });

  it('edits a contact (name, numbers, star off) and deletes it; both persist', async () => {
    const page = a.page;
    await contactsTab(page);
    await row(page, 'Bob Second').getByRole('button', { name: 'Contact Info: Bob Second' }).press('Enter');
    const info = page.getByRole('dialog', { name: 'Contact Info: Bob Second' });
    await info.getByRole('button', { name: 'Favorite' }).click();
    await info.getByRole('button', { name: 'Edit', exact: true }).click();
    const form = page.getByRole('dialog', { name: 'Edit contact' });
    await form.getByLabel('Contact name').fill('Bob Edited');
    await form.getByRole('button', { name: 'Remove phone number 1' }).click();
    await form.getByRole('textbox', { name: 'Phone number 1' }).fill('1102');
    await form.getByRole('button', { name: 'Add phone number' }).click();
    await form.getByRole('textbox', { name: 'Phone number 2' }).fill('5550199');
    await form.getByRole('button', { name: 'Confirm' }).click();
    await page
      .getByRole('dialog', { name: 'Contact Info: Bob Edited' })
      .getByRole('button', { name: 'Close' })
      .click();

    await page.reload();
    await lineConnected(page, ALICE.name);
    await contactsTab(page);
    await row(page, 'Bob Edited').waitFor();
    await expect(row(page, 'Bob Second').count()).resolves.toBe(0);
    const edited = (await storedContacts(page)).find((c) => c.name === 'Bob Edited');
    expect(edited?.numbers.map((n) => n.number)).toEqual(['1102', '5550199']);
    expect(edited?.favorite).toBe(false);
    // The default number stays the same number (1102), though it moved up a place.
    expect(edited?.defaultNumber).toBe(0);
    await expect(row(page, 'Bob Edited').locator('.contact-number').textContent()).resolves.toBe('1102');
    await page.getByRole('tab', { name: 'Favorites' }).click();
    await page.locator('aside').getByText('Star a contact to see it here.').waitFor();

    // Delete (the confirmation is accepted by the page's dialog handler).
    await contactsTab(page);
    await row(page, 'Bob Edited').getByRole('button', { name: 'Contact Info: Bob Edited' }).press('Enter');
    await page
      .getByRole('dialog', { name: 'Contact Info: Bob Edited' })
      .getByRole('button', { name: 'Edit', exact: true })
      .click();
    await page.getByRole('dialog', { name: 'Edit contact' }).getByRole('button', { name: 'Delete' }).click();
    await row(page, 'Bob Edited').waitFor({ state: 'detached' });
    await page.reload();
    await lineConnected(page, ALICE.name);
    await contactsTab(page);
    await row(page, 'Bob From Recents').waitFor();
    await expect(row(page, 'Bob Edited').count()).resolves.toBe(0);
    expect((await storedContacts(page)).map((c) => c.name)).toEqual(['Bob From Recents']);
    expect((await storedWheel(page)).map((w) => w.key).some((k) => k.startsWith('contact:'))).toBe(true);
    await expect(party(page, 'Bob Edited').count()).resolves.toBe(0);
  });

  it('imports contacts from a vCard and a CSV file; a broken file is refused and imports nothing', async () => {
    const page = a.page;
    await contactsTab(page);
    const input = page.locator('aside input[type=file]');
    const vcard = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'FN:Vera Card',
      'N:Card;Vera;;;',
      'TEL;TYPE=CELL:+33 6 12 34 56 78',
      'TEL;TYPE=WORK:5550111',
      'END:VCARD',
      'BEGIN:VCARD',
      'VERSION:4.0',
      'FN:Victor Card',
      'TEL;VALUE=uri;TYPE=home:tel:5550222',
      'END:VCARD',
      '',
    ].join('\r\n');
    await input.setInputFiles({ name: 'people.vcf', mimeType: 'text/vcard', buffer: Buffer.from(vcard) });
    await page.getByRole('status').filter({ hasText: '2 contact(s) imported.' }).waitFor();
    const csv =
      'First Name;Last Name;Mobile;Work Phone\r\nCarla;Csv;5550333;5550334\r\n"Cyril ""C""";Csv;5550444;\r\n';
    await input.setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('status').filter({ hasText: '2 contact(s) imported.' }).waitFor();
    await row(page, 'Carla Csv').waitFor();

    const before = await storedContacts(page);
    // A file that is neither: an alert, nothing imported.
    await input.setInputFiles({
      name: 'broken.vcf',
      mimeType: 'text/vcard',
      buffer: Buffer.from('this is not a vCard\nBEGIN:VCARD\nFN:No End\n'),
    });
    await page.getByRole('alert').filter({ hasText: 'No contact found in this file.' }).waitFor();
    await input.setInputFiles({
      name: 'broken.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('colour,size\nred,12\n'),
    });
    await page.getByRole('alert').filter({ hasText: 'No contact found in this file.' }).waitFor();
    expect(await storedContacts(page)).toEqual(before);

    await page.reload();
    await lineConnected(page, ALICE.name);
    const list = await contactsTab(page);
    await row(page, 'Vera Card').waitFor();
    await expect(
      list.getByRole('listitem').evaluateAll((li) => li.map((l) => l.getAttribute('aria-label'))),
    ).resolves.toEqual(['Bob From Recents', 'Carla Csv', 'Cyril "C" Csv', 'Vera Card', 'Victor Card']);
    const byName = new Map((await storedContacts(page)).map((c) => [c.name, c.numbers]));
    expect(byName.get('Vera Card')).toEqual([
      { label: 'Mobile', number: '+33 6 12 34 56 78' },
      { label: 'Work', number: '5550111' },
    ]);
    expect(byName.get('Victor Card')).toEqual([{ label: 'Home', number: '5550222' }]);
    expect(byName.get('Carla Csv')).toEqual([
      { label: 'Mobile', number: '5550333' },
      { label: 'Work', number: '5550334' },
    ]);
    expect(byName.get('Cyril "C" Csv')).toEqual([{ label: 'Mobile', number: '5550444' }]);
    await expect(row(page, 'Vera Card').locator('.contact-number').textContent()).resolves.toBe(
      '+33 6 12 34 56 78',
    );
  });

  it('the wheel shows recent people; a pin survives a reload; Clear all / all visible / all except pinned', async () => {
    const page = a.page;
    // Recently interacted: Bob (the missed call, saved) is on the wheel; pin him.
    const bob = party(page, 'Bob From Recents');
    // The wheel's buttons show on hover (a mouse) or focus (the keyboard).
    await bob.hover();
    await bob.getByRole('button', { name: 'Pin to wheel' }).click();
    await page.reload();
    await lineConnected(page, ALICE.name);
    await party(page, 'Bob From Recents')
      .getByRole('button', { name: 'Unpin' })
      .waitFor({ state: 'attached' });
    expect((await storedWheel(page)).filter((w) => w.pinned).length).toBe(1);

    // A contact from the list joins the wheel when called (a number nobody has: the call fails).
    await contactsTab(page);
    await row(page, 'Victor Card').getByRole('button', { name: 'Call' }).click();
    await party(page, 'Victor Card')
      .getByRole('button', { name: 'Call' })
      .waitFor({ state: 'attached', timeout: 20_000 });

    // Twelve more recent numbers (older than Victor): eleven people would not fit the ten slots.
    const seed = async () => {
      const wheel = await storedWheel(page);
      const oldest = Math.min(...wheel.map((w) => (w as unknown as { at: number }).at));
      const extra = Array.from({ length: 12 }, (_, i) => ({
        key: `number:55507${String(i).padStart(2, '0')}`,
        pinned: false,
        at: oldest - 1000 * (i + 1),
      }));
      const keys = new Set(wheel.map((w) => w.key));
      await page.evaluate(([key, entries]) => localStorage.setItem(key, JSON.stringify(entries)), [
        WHEEL_KEY,
        [...wheel, ...extra.filter((e) => !keys.has(e.key))],
      ] as const);
      await page.reload();
      await lineConnected(page, ALICE.name);
    };
    const clear = async (item: string) => {
      await page.getByRole('button', { name: 'Activities Wheel options' }).click();
      await page.getByRole('menuitem', { name: item, exact: true }).click();
    };

    await seed();
    // Visible: the pinned Bob, then Victor, then the eight newest numbers.
    const visible = ['5550700', '5550701', '5550702', '5550703', '5550704', '5550705', '5550706', '5550707'];
    await expect(wheelNames(page)).resolves.toEqual(['Bob From Recents', 'Victor Card', ...visible].sort());
    await clear('Clear all visible');
    await expect(wheelNames(page)).resolves.toEqual(['5550708', '5550709', '5550710', '5550711']);
    await page.reload();
    await lineConnected(page, ALICE.name);
    await expect(wheelNames(page)).resolves.toEqual(['5550708', '5550709', '5550710', '5550711']);

    // Pin a number on the wheel, then clear all except pinned.
    await seed();
    await party(page, '5550708').getByRole('button', { name: 'Pin to wheel' }).press('Enter');
    await clear('Clear all except pinned');
    await expect(wheelNames(page)).resolves.toEqual(['5550708']);
    await page.reload();
    await lineConnected(page, ALICE.name);
    await expect(wheelNames(page)).resolves.toEqual(['5550708']);
    expect(await storedWheel(page)).toEqual([
      expect.objectContaining({ key: 'number:5550708', pinned: true }),
    ]);

    await clear('Clear all');
    await page.getByText('People you call appear around the circle.').waitFor();
    await page.reload();
    await lineConnected(page, ALICE.name);
    await expect(wheelNames(page)).resolves.toEqual([]);
    expect(await storedWheel(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
  it('a contact dragged into the Home Circle during a call joins it: a conference on the PBX bridge', async () => {
    // A third browser, for this test only.
    const deviceC = await srv.provision(CAROL);
    const c = await launchPhone(srv.baseUrl, 700);
    c.page.on('pageerror', (e) => errors.push(`C: ${e.message}`));
    try {
      await c.page.goto(deviceC.link);
      await lineConnected(c.page, CAROL.name);
      const page = a.page;
      await contactsTab(page);
      await page.getByRole('button', { name: 'New contact' }).click();
      const form = page.getByRole('dialog', { name: 'Create contact' });
      await form.getByLabel('Contact name').fill('Carol Contacts');
      await form.getByRole('textbox', { name: 'Phone number 1' }).fill(CAROL.number);
      await form.getByRole('button', { name: 'Confirm' }).click();
      await page
        .getByRole('dialog', { name: 'Contact Info: Carol Contacts' })
        .getByRole('button', { name: 'Close' })
        .click();

      await dial(page, BOB.number);
      await answer(b.page, who(ALICE));
      // While talking, the contact's button is Add to conference; the drag does the same.
      await contactsTab(page);
      await row(page, 'Carol Contacts').getByRole('button', { name: 'Add to conference' }).waitFor();
      await row(page, 'Carol Contacts')
        .getByRole('button', { name: 'Contact Info: Carol Contacts' })
        .dragTo(page.locator('[data-drop="circle"]'));
      await party(page, 'Bob From Recents').getByRole('button', { name: 'End the conference' }).waitFor();
      await answer(c.page, who(ALICE));
      const room = await until(
        () =>
          srv.api<{ owner: string; participants: { extension: string }[] }>(
            'GET',
            `/conferences/${ALICE.number}`,
          ),
        (r) => r.status === 200 && r.json.participants.length === 3,
        'the room with three participants',
        20_000,
      );
      expect(room.json.owner).toBe(ALICE.number);
      expect(room.json.participants.map((p) => p.extension).sort()).toEqual([
        ALICE.number,
        BOB.number,
        CAROL.number,
      ]);
      await party(page, 'Bob From Recents').getByRole('button', { name: 'End the conference' }).click();
      await Promise.all([gone(page, 'Bob From Recents'), gone(b.page, who(ALICE)), gone(c.page, who(ALICE))]);
      expect(errors).toEqual([]);
    } finally {
      await c.close();
    }
  }, 90_000);
});
