// The administrator's whole journey in a real browser (Debian's Chromium through playwright-core)
// against the real server on loopback: create an account (the confirmation e-mail read from the
// outbox), sign in, add a provider and a SIP account, a contact and a device, see the activation
// code, e-mail the instructions, watch the device come online live, reset the code, move and
// delete the device — asserting what the page shows, and checking each main page with axe-core.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ActivateResponse } from '@switchboard/contracts';
import { buildPortal, launchBrowser, startTestServer, type TestBrowser, type TestServer } from './browser.ts';
import {
  dialog,
  expectAccessible,
  gear,
  gone,
  openAdvanced,
  rowTexts,
  screenshot,
  see,
  toast,
} from './steps.ts';

const ADMIN = { first: 'Alice', last: 'Admin', email: 'alice@example.test', password: 'correct-horse-42' };

describe('portal: the administrator journey in Chromium', () => {
  let srv: TestServer;
  let browser: TestBrowser;
  let page: Page;
  let code = '';
  let deviceToken = '';
  let accountId = '';

  beforeAll(async () => {
    buildPortal();
    srv = await startTestServer();
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => {
      throw error;
    });
  }, 180_000);

  afterEach(async (context) => {
    // A failed step leaves a picture of the page behind, for whoever reads the failure.
    if (context.task.result?.state === 'fail' && page)
      await screenshot(page, `failed-${context.task.name.slice(0, 40)}`);
  });

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });

  it('redirects / to the portal sign-in page', async () => {
    await page.goto(srv.baseUrl + '/');
    await page.getByRole('heading', { name: 'Sign in to Switchboard' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/portal/sign-in');
    await expectAccessible(page, 'sign in');
    await screenshot(page, 'sign-in');
  });

  it('creates an account: validation next to each field, then the confirmation notice', async () => {
    await page.getByRole('link', { name: 'Create an Account' }).click();
    await page.getByRole('heading', { name: 'Create an Account' }).waitFor();
    await page.getByRole('button', { name: 'Create Account' }).click();
    await see(page, 'Enter First Name.');
    await see(page, 'Accept the Privacy Notice to create an account.');
    expect(await page.getByLabel('First Name').getAttribute('aria-invalid')).toBe('true');
    // Focus goes to the first field in error.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(
      await page.getByLabel('First Name').getAttribute('id'),
    );
    await page.getByLabel('First Name').fill(ADMIN.first);
    await page.getByLabel('Last Name').fill(ADMIN.last);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Organization Name').fill('Example Telecom');
    await page.getByLabel('Website (URL)').fill('https://example.test');
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Confirm password').fill('something-else-1');
    await page.getByLabel('I have read and accept the Privacy Notice').check();
    await page.getByLabel('Subscribe to News and Updates').check();
    await page.getByRole('button', { name: 'Create Account' }).click();
    await see(page, 'The two passwords are not the same.');
    expect(await page.getByLabel('First Name').inputValue()).toBe(ADMIN.first); // nothing lost
    await expectAccessible(page, 'register with errors');
    await screenshot(page, 'register');
    await page.getByLabel('Confirm password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create Account' }).click();
    await page.getByRole('heading', { name: 'Check your e-mail' }).waitFor();
    await see(page, `An account activation link was sent to ${ADMIN.email}`);
  });

  it('refuses to sign in before the address is confirmed, and says why', async () => {
    await page.getByRole('link', { name: 'Sign in' }).click();
    expect(await page.getByLabel('Email').inputValue()).toBe(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await see(page, 'Confirm your e-mail address first');
    await page.getByRole('button', { name: 'Send the link again' }).waitFor();
  });

  it('confirms the address from the e-mail in the outbox, then signs in', async () => {
    const mail = await srv.mailTo(ADMIN.email, /Confirm your e-mail address/);
    const link = /http\S+\/portal\/confirm-email\?token=\S+/.exec(mail?.text ?? '')?.[0];
    expect(link, mail?.text).toBeDefined();
    await page.goto(link!);
    await see(page, 'Your e-mail address was successfully confirmed. You can now sign in.');
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Service Providers' }).waitFor();
    await see(page, 'Built-in PBX');
    await see(page, 'Live updates on');
  });

  it('adds, edits and deletes service providers through the gear menu', async () => {
    await page.getByRole('button', { name: 'Add Provider' }).click();
    const add = dialog(page, 'Add Provider');
    await add.getByRole('button', { name: 'Save' }).click();
    await see(add, 'Enter Service Provider Name.');
    await see(add, 'Enter SIP Server.');
    await add.getByLabel('Service Provider Name').fill('Acme SIP');
    await add.getByLabel('SIP Server').fill('sip.acme.example');
    await openAdvanced(add);
    await add.getByLabel('SIP Proxy Address').fill('proxy.acme.example:5070');
    await expectAccessible(page, 'add provider dialog');
    await add.getByRole('button', { name: 'Save' }).click();
    await toast(page, 'Service provider Acme SIP saved.');
    expect(await rowTexts(page, 'Acme SIP')).toEqual([
      'Acme SIP',
      'sip.acme.example',
      '5060',
      'UDP',
      '0',
      '',
    ]);

    // Edit with the keyboard only: the gear menu opens with Enter, arrows move, Enter picks.
    await page.getByRole('button', { name: 'Actions for Acme SIP' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menuitem', { name: 'Edit service provider' }).waitFor();
    await page.keyboard.press('Enter');
    const edit = dialog(page, 'Edit Acme SIP');
    await edit.getByLabel('SIP Port').fill('5080');
    await edit.getByRole('button', { name: 'Save' }).click();
    await toast(page, 'Service provider Acme SIP saved.');
    // The list reloads after the announcement: the row already exists, so wait for its new port.
    await expect.poll(async () => (await rowTexts(page, 'Acme SIP'))[2], { timeout: 10_000 }).toBe('5080');

    await page.getByRole('button', { name: 'Add Provider' }).click();
    await dialog(page, 'Add Provider').getByLabel('Service Provider Name').fill('Short-lived');
    await dialog(page, 'Add Provider').getByLabel('SIP Server').fill('sip.short.example');
    await dialog(page, 'Add Provider').getByRole('button', { name: 'Save' }).click();
    await page.getByRole('rowheader', { name: 'Short-lived' }).waitFor();
    await gear(page, 'Short-lived', 'Delete service provider');
    const confirm = page.getByRole('alertdialog', { name: 'Delete Short-lived?' });
    await see(confirm, 'The provider and its 0 SIP account(s) will be deleted.');
    await confirm.getByRole('button', { name: 'Delete service provider' }).click();
    await toast(page, 'Service provider Short-lived deleted.');
    await gone(page.getByRole('table'), 'Short-lived');
    // The built-in PBX cannot be deleted: its menu has no delete.
    await page
      .getByRole('button', { name: /^Actions for / })
      .first()
      .click();
    expect(await page.getByRole('menuitem').allInnerTexts()).toEqual(['Edit service provider']);
    await page.keyboard.press('Escape');
    await expectAccessible(page, 'providers');
    await screenshot(page, 'providers');
  });

  it("adds SIP accounts on a provider's page: toggles, dialing rules checked as typed, API errors at their field", async () => {
    await page.getByRole('link', { name: 'Acme SIP' }).click();
    await page.getByRole('heading', { name: 'Acme SIP', level: 1 }).waitFor();
    await see(page, 'No SIP accounts yet.');
    await page.getByRole('button', { name: 'Add SIP account' }).click();
    const add = dialog(page, 'Add SIP account');
    await add.getByLabel('Friendly Name').fill('Front desk');
    await add.getByLabel('SIP Username').fill('1001');
    // Manual password: the password field goes away (the user types it on the device).
    const manual = add.getByRole('switch', { name: 'Enter my SIP password manually on the device' });
    await manual.check();
    expect(await add.getByLabel('SIP Password', { exact: true }).count()).toBe(0);
    await manual.uncheck();
    await add.getByLabel('SIP Password', { exact: true }).fill('front-desk-secret');
    await add.getByLabel('Protocol').selectOption('tcp');
    await openAdvanced(add);
    const push = add.getByRole('switch', { name: 'Use proxy server for push notifications' });
    expect(await push.isChecked()).toBe(true);
    await push.uncheck();
    await add.getByLabel('Authorization Username').fill('auth1001');
    await add.getByLabel('Display Name').fill('Front Desk');
    const rules = add.getByLabel('Dialing rules');
    await rules.fill('00|X. => +\n9|Q => ');
    await see(add, /Line 2, column 3: unexpected "Q"/);
    expect(await rules.getAttribute('aria-invalid')).toBe('true');
    await rules.fill('00|X. => +\n0|ZXXXXXXXXX => +44');
    await gone(add, /Line 2, column/);
    await add.getByLabel('Try a number').fill('020 7946 0000');
    await see(add, '020 7946 0000 is dialed as +442079460000');
    await expectAccessible(page, 'add SIP account dialog');
    await screenshot(page, 'sip-account-dialog', false);
    await add.getByRole('button', { name: 'Save' }).click();
    await toast(page, 'SIP account Front desk saved.');
    expect(await rowTexts(page, 'Front desk')).toEqual([
      'Front desk',
      '1001',
      'Not in use',
      'Disabled',
      'None',
      '',
    ]);

    // A second account with the same SIP username: the API's error sits next to that field and
    // everything typed is still there.
    await page.getByRole('button', { name: 'Add SIP account' }).click();
    const again = dialog(page, 'Add SIP account');
    await again.getByLabel('Friendly Name').fill('Back office');
    await again.getByLabel('SIP Username').fill('1001');
    await again.getByLabel('SIP Password', { exact: true }).fill('back-office-secret');
    await again.getByRole('button', { name: 'Save' }).click();
    await see(again, 'SIP Username is taken');
    expect(await again.getByLabel('SIP Username').getAttribute('aria-invalid')).toBe('true');
    expect(await again.getByLabel('Friendly Name').inputValue()).toBe('Back office');
    await again.getByLabel('SIP Username').fill('1002');
    await again.getByRole('button', { name: 'Save' }).click();
    await toast(page, 'SIP account Back office saved.');
    await page.getByRole('rowheader', { name: 'Back office' }).waitFor();

    // Edit through the gear menu: the username is fixed, the rest changes.
    await gear(page, 'Back office', 'Edit SIP account');
    const edit = dialog(page, 'Edit SIP account Back office');
    expect(await edit.getByLabel('SIP Username').isDisabled()).toBe(true);
    await see(edit, 'A password is stored. Leave empty to keep it.');
    await edit.getByLabel('Friendly Name').fill('Back office 2');
    await edit.getByRole('button', { name: 'Save' }).click();
    await toast(page, 'SIP account Back office 2 saved.');
    await gear(page, 'Back office 2', 'Delete SIP account');
    await page
      .getByRole('alertdialog', { name: 'Delete SIP account Back office 2?' })
      .getByRole('button', { name: 'Delete SIP account' })
      .click();
    await toast(page, 'SIP account Back office 2 deleted.');
    await expectAccessible(page, 'provider page');
    await screenshot(page, 'provider');
  });

  it('adds contacts with labelled e-mails, finds them by search, edits one through the gear menu', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Contacts' }).click();
    await page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
    await see(page, 'No contacts yet.');
    for (const c of [
      {
        first: 'Ada',
        last: 'Lovelace',
        emails: [
          ['ada@work.example', 'work'],
          ['ada@home.example', 'home'],
        ],
      },
      { first: 'Grace', last: 'Hopper', emails: [['grace@work.example', 'work']] },
    ] as const) {
      await page.getByRole('button', { name: 'Add contact' }).click();
      const add = dialog(page, 'Add contact');
      await add.getByLabel('First Name').fill(c.first);
      await add.getByLabel('Last Name').fill(c.last);
      for (const [i, [address, label]] of c.emails.entries()) {
        if (i > 0) await add.getByRole('button', { name: 'Add new' }).click();
        await add.getByLabel(`Email ${i + 1}`, { exact: true }).fill(address);
        await add.getByLabel(`Label for email ${i + 1}`).selectOption(label);
      }
      if (c.first === 'Ada') await expectAccessible(page, 'add contact dialog');
      await add.getByRole('button', { name: 'Save' }).click();
      await toast(page, `Contact ${c.first} ${c.last} saved.`);
    }
    expect(await rowTexts(page, 'Ada Lovelace')).toEqual([
      'Ada Lovelace',
      'ada@work.example (Work)\nada@home.example (Home)',
      '0',
      '',
    ]);
    await page.getByLabel('Search contacts').fill('grace');
    await see(page, '1 contact(s)');
    await gone(page.getByRole('table'), 'Ada Lovelace');
    await page.getByLabel('Search contacts').fill('');
    await see(page, '2 contact(s)');
    await gear(page, 'Grace Hopper', 'Edit contact');
    const edit = dialog(page, 'Edit Grace Hopper');
    await edit.getByLabel('Email 1', { exact: true }).fill('not-an-address');
    await edit.getByRole('button', { name: 'Save' }).click();
    await see(edit, /Email 1 must be a valid email/);
    await edit.getByLabel('Email 1', { exact: true }).fill('grace@navy.example');
    await edit.getByRole('button', { name: 'Save' }).click();
    await toast(page, 'Contact Grace Hopper saved.');
    await see(page, 'grace@navy.example (Work)');
    await expectAccessible(page, 'contacts');
    await screenshot(page, 'contacts');
  });

  it("adds a device with two SIP accounts on the contact's page", async () => {
    await page.getByRole('link', { name: 'Ada Lovelace' }).click();
    await page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();
    await see(page, 'No devices yet.');
    await page.getByRole('button', { name: 'Add device' }).click();
    const add = dialog(page, 'Add device');
    await add.getByLabel('Device Name').fill('Ada laptop');
    await add.getByLabel('SIP account 1', { exact: true }).selectOption({ label: 'Front desk (1001)' });
    await add.getByRole('button', { name: 'Add account' }).click();
    await add.getByRole('button', { name: 'Add account' }).click();
    await add.getByLabel('SIP account 2', { exact: true }).selectOption({ label: 'Front desk (1001)' });
    await add.getByRole('button', { name: 'Save' }).click();
    await see(add, 'Each SIP account can be used only once per device.');
    await see(add, 'Choose a SIP account for every line, or remove the empty ones.');
    await add.getByRole('button', { name: 'Remove SIP account 3' }).click();
    await add.getByRole('button', { name: 'Remove SIP account 2' }).click();
    expect(await add.getByRole('combobox', { name: /^SIP account \d$/ }).count()).toBe(1);
    await add.getByRole('button', { name: 'Save' }).click();
    await toast(page, 'Device Ada laptop saved.');
    await gear(page, 'Ada laptop', 'Edit device');
    const edit = dialog(page, 'Edit Ada laptop');
    expect(await edit.getByLabel('SIP account 1', { exact: true }).inputValue()).not.toBe('');
    await edit.getByLabel('Device Name').fill("Ada's laptop");
    await edit.getByRole('button', { name: 'Save' }).click();
    await toast(page, "Device Ada's laptop saved.");
    expect(await rowTexts(page, "Ada's laptop")).toEqual(["Ada's laptop", '—', '—', 'Not activated', '']);
    await expectAccessible(page, 'contact page');
    await screenshot(page, 'contact');
  });

  it('shows the activation code, QR code and link; e-mails the instructions, then hides the code', async () => {
    await page.getByRole('link', { name: "Activation Instructions for Ada's laptop" }).click();
    await page.getByRole('heading', { name: 'Activation Instructions', level: 1 }).waitFor();
    await see(page, "Device Ada's laptop of Ada Lovelace");
    code = (await page.locator('.activation-code').innerText()).trim();
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    expect(await page.getByRole('img', { name: `QR code for activation code ${code}` }).count()).toBe(1);
    const href = await page.getByRole('link', { name: 'Activate on this device' }).getAttribute('href');
    expect(href).toContain(encodeURIComponent(code));
    await expectAccessible(page, 'activation page');
    await screenshot(page, 'activation');

    await page.getByLabel('Send e-mail to').selectOption('ada@home.example');
    await page.getByRole('button', { name: 'Send instructions' }).click();
    await toast(page, 'Instructions sent to ada@home.example.');
    await see(page, /The instructions were sent to ada@home.example on .*The code is hidden/);
    expect(await page.locator('.activation-code').count()).toBe(0);
    await see(page.locator('.status-line'), 'Instructions sent');
  });

  it('keeps the e-mail in the outbox, with the code that was shown', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Outbox' }).click();
    await page.getByRole('heading', { name: 'Outbox', level: 1 }).waitFor();
    await see(page, 'No SMTP server is configured');
    await page.getByRole('link', { name: "Activate your softphone: Ada's laptop" }).click();
    await page.getByRole('heading', { name: "Activate your softphone: Ada's laptop", level: 2 }).waitFor();
    await page.getByRole('button', { name: 'Plain text' }).click();
    await see(page.locator('.mail-text'), code);
    await page.getByRole('button', { name: 'As the recipient sees it' }).click();
    const frame = page.frameLocator('iframe[title^="E-mail"]');
    await frame.getByText(code).waitFor();
    await expectAccessible(page, 'outbox');
    await screenshot(page, 'outbox', false);
  });

  it('shows the device Online, its app, and live SIP status without reloading', async () => {
    await page.goBack();
    await page.goBack();
    await page.getByRole('heading', { name: 'Activation Instructions', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Back to Ada Lovelace' }).click();
    await page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();
    const activated = await fetch(`${srv.baseUrl}/api/v1/provisioning/activate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, os: 'Windows Desktop', appVersion: '1.4.2' }),
    });
    expect(activated.status).toBe(200);
    const body = (await activated.json()) as ActivateResponse;
    deviceToken = body.deviceToken;
    accountId = body.config.accounts[0]!.id;
    await expect
      .poll(() => rowTexts(page, "Ada's laptop"), { timeout: 10_000 })
      .toEqual(["Ada's laptop", 'Windows Desktop', '1.4.2', 'Online', '']);

    // The device reports its line registered: the provider page shows the account Online live.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Service Providers' })
      .click();
    await page.getByRole('link', { name: 'Acme SIP' }).click();
    await page.getByRole('rowheader', { name: 'Front desk' }).waitFor();
    expect((await rowTexts(page, 'Front desk'))[2]).toBe('Offline');
    const lines = await fetch(`${srv.baseUrl}/api/v1/provisioning/lines`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${deviceToken}` },
      body: JSON.stringify({ lines: [{ accountId, state: 'registered' }] }),
    });
    expect(lines.status).toBe(204);
    await expect
      .poll(async () => (await rowTexts(page, 'Front desk'))[2], { timeout: 10_000 })
      .toBe('Online');
    expect((await rowTexts(page, 'Front desk'))[4]).toBe("Ada's laptop (Ada Lovelace)");

    // A change to the account: the device has a new configuration to fetch → Pending update.
    await gear(page, 'Front desk', 'Edit SIP account');
    await openAdvanced(dialog(page, 'Edit SIP account Front desk'));
    await dialog(page, 'Edit SIP account Front desk').getByLabel('Display Name').fill('Reception');
    await dialog(page, 'Edit SIP account Front desk').getByRole('button', { name: 'Save' }).click();
    await toast(page, 'SIP account Front desk saved.');
    await page.getByRole('link', { name: "Ada's laptop (Ada Lovelace)" }).click();
    await page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();
    await expect
      .poll(async () => (await rowTexts(page, "Ada's laptop"))[3], { timeout: 10_000 })
      .toBe('Online\nPending update');
    await fetch(`${srv.baseUrl}/api/v1/provisioning/config`, {
      headers: { authorization: `Bearer ${deviceToken}` },
    });
    await expect
      .poll(async () => (await rowTexts(page, "Ada's laptop"))[3], { timeout: 10_000 })
      .toBe('Online');
  });

  it('resets the code with a warning: the activated device is deactivated and a new code shows', async () => {
    await page.getByRole('link', { name: "Activation Instructions for Ada's laptop" }).click();
    await see(page, 'The device is activated. Reset the code to deactivate it and get a new one.');
    await page.getByRole('button', { name: 'Reset code' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Reset the activation code?' });
    await see(confirm, 'Important: resetting the activation code of an activated device will deactivate it.');
    await confirm.getByRole('button', { name: 'Reset code' }).click();
    await toast(page, 'A new activation code was made.');
    const fresh = (await page.locator('.activation-code').innerText()).trim();
    expect(fresh).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    expect(fresh).not.toBe(code);
    await see(page.locator('.status-line'), 'Not activated');
    const old = await fetch(`${srv.baseUrl}/api/v1/provisioning/config`, {
      headers: { authorization: `Bearer ${deviceToken}` },
    });
    expect(old.status).toBe(401);
  });

  it('moves the device to another contact, then deletes it', async () => {
    await page.getByRole('link', { name: 'Back to Ada Lovelace' }).click();
    await gear(page, "Ada's laptop", 'Move device');
    const move = dialog(page, "Move Ada's laptop");
    await move.getByLabel('Move to contact').selectOption({ label: 'Grace Hopper — grace@navy.example' });
    await move.getByRole('button', { name: 'Save' }).click();
    await toast(page, "Device Ada's laptop moved to Grace Hopper.");
    await see(page, 'No devices yet.');
    await page.getByRole('link', { name: 'All contacts' }).click();
    await page.getByRole('link', { name: 'Grace Hopper' }).click();
    await page.getByRole('heading', { name: 'Grace Hopper', level: 1 }).waitFor();
    await page.getByRole('rowheader', { name: "Ada's laptop" }).waitFor();
    await gear(page, "Ada's laptop", 'Delete device');
    const confirm = page.getByRole('alertdialog', { name: "Delete Ada's laptop?" });
    await confirm.getByRole('button', { name: 'Delete device' }).click();
    await toast(page, "Device Ada's laptop deleted.");
    await see(page, 'No devices yet.');
  });
}, 240_000);
