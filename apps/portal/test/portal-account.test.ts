// Account settings and the portal's qualities, in Chromium against the real server: profile,
// password change, API tokens (shown once, copied, used, revoked), the audit log; sign out and the
// forgotten-password flow; a session that ends during a save (nothing typed is lost); French;
// the dark theme and a phone-sized screen, each checked with axe-core.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  buildPortal,
  launchBrowser,
  registerAdmin,
  startTestServer,
  type TestBrowser,
  type TestServer,
} from './browser.ts';
import { dialog, expectAccessible, gone, rowTexts, screenshot, see, toast } from './steps.ts';

const ADMIN = {
  firstName: 'Bea',
  lastName: 'Boss',
  email: 'bea@example.test',
  password: 'first-password-1',
  organisationName: 'Boss & Co',
};

describe('portal: account settings, sessions, languages, themes, phone width', () => {
  let srv: TestServer;
  let browser: TestBrowser;
  let page: Page;
  let password = ADMIN.password;

  const signIn = async (pw: string) => {
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill(pw);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  beforeAll(async () => {
    buildPortal();
    srv = await startTestServer();
    await registerAdmin(srv, ADMIN);
    browser = await launchBrowser();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: srv.baseUrl });
    page = await browser.context.newPage();
    page.on('pageerror', (error) => {
      throw error;
    });
    await page.goto(`${srv.baseUrl}/portal/settings`);
    // Signed out: sent to sign in, then back to the page asked for.
    await page.getByRole('heading', { name: 'Sign in to Switchboard' }).waitFor();
    await signIn(password);
    await page.getByRole('heading', { name: 'Account settings', level: 1 }).waitFor();
  }, 180_000);

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && page)
      await screenshot(page, `failed-${context.task.name.slice(0, 40)}`);
  });

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });

  it('changes the profile; the header shows the new name', async () => {
    await page.getByLabel('First Name').fill('Beatrice');
    await page.getByLabel('Website (URL)').fill('https://boss.example');
    await page.getByRole('region', { name: 'Profile' }).getByRole('button', { name: 'Save' }).click();
    await toast(page, 'Profile saved.');
    await see(page.getByRole('banner'), 'Beatrice Boss');
  });

  it('sets the support e-mail the softphones write to; a bad address is reported at its field', async () => {
    const profile = page.getByRole('region', { name: 'Profile' });
    await profile.getByLabel('Support e-mail').fill('not an address');
    await profile.getByRole('button', { name: 'Save' }).click();
    // The server's 400 marks the field once it arrives.
    await expect
      .poll(() => profile.getByLabel('Support e-mail').getAttribute('aria-invalid'), { timeout: 10_000 })
      .toBe('true');
    await profile.getByLabel('Support e-mail').fill('help@boss.example');
    await profile.getByRole('button', { name: 'Save' }).click();
    await toast(page, 'Profile saved.');
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).json());
    expect(me.organisation.supportEmail).toBe('help@boss.example');
    await page.reload();
    expect(
      await page.getByRole('region', { name: 'Profile' }).getByLabel('Support e-mail').inputValue(),
    ).toBe('help@boss.example');
  });

  it('changes the password: a wrong current password is reported at its field', async () => {
    const section = page.getByRole('region', { name: 'Change password' });
    await section.getByLabel('Current password').fill('not-my-password');
    await section.getByLabel('New password', { exact: true }).fill('second-password-2');
    await section.getByLabel('Confirm new password').fill('second-password-2');
    await section.getByRole('button', { name: 'Change password' }).click();
    await see(section, 'Current password is wrong');
    expect(await section.getByLabel('New password', { exact: true }).inputValue()).toBe('second-password-2');
    await section.getByLabel('Current password').fill(password);
    await section.getByRole('button', { name: 'Change password' }).click();
    await toast(page, 'Password changed.');
    password = 'second-password-2';
    expect(await section.getByLabel('Current password').inputValue()).toBe('');
  });

  it('creates an API token shown once, copies it, uses it, revokes it', async () => {
    const section = page.getByRole('region', { name: 'API tokens' });
    await see(section, 'No API tokens.');
    await section.getByLabel('Token name').fill('CI script');
    await section.getByRole('button', { name: 'Create token' }).click();
    await see(section, 'Copy the token CI script now: it will not be shown again.');
    const token = await section.getByLabel('New API token').inputValue();
    expect(token.length).toBeGreaterThan(20);
    await section.getByRole('button', { name: 'Copy token' }).click();
    await toast(page, 'Copied to the clipboard.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    const withToken = () =>
      fetch(`${srv.baseUrl}/api/v1/providers`, { headers: { authorization: `Bearer ${token}` } });
    expect((await withToken()).status).toBe(200);
    await section.getByRole('button', { name: 'Done, I copied it' }).click();
    expect(await section.getByLabel('New API token').count()).toBe(0); // never shown again
    expect((await rowTexts(page, 'CI script'))[1]).toBe(`${token.slice(0, 10)}…`);
    await section.getByRole('button', { name: 'Revoke token CI script' }).click();
    await page
      .getByRole('alertdialog', { name: 'Revoke token CI script?' })
      .getByRole('button', { name: 'Revoke' })
      .click();
    await toast(page, 'Token CI script revoked.');
    await see(section, 'No API tokens.');
    expect((await withToken()).status).toBe(401);
  });

  it('lists what was done in the audit log', async () => {
    await page.reload();
    const audit = page.getByRole('region', { name: 'Audit log' });
    await see(audit, 'token.revoke');
    await see(audit, 'token.create');
    await see(audit, 'user.password.change');
    await expectAccessible(page, 'settings');
    await screenshot(page, 'settings');
  });

  it('keeps what was typed when the session ends during a save, and saves after signing in again', async () => {
    await page.getByRole('link', { name: 'Contacts' }).click();
    await page.getByRole('button', { name: 'Add contact' }).click();
    const add = dialog(page, 'Add contact');
    await add.getByLabel('First Name').fill('Kept');
    await add.getByLabel('Last Name').fill('Values');
    await add.getByLabel('Email 1', { exact: true }).fill('kept@example.test');
    // Another session changes the password: this browser's session ends.
    const login = await fetch(`${srv.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN.email, password }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const changed = await fetch(`${srv.baseUrl}/api/v1/auth/password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({
        currentPassword: password,
        newPassword: 'third-password-3',
        newPasswordConfirmation: 'third-password-3',
      }),
    });
    expect(changed.status).toBe(204);
    password = 'third-password-3';
    await add.getByRole('button', { name: 'Save' }).click();
    const expired = dialog(page, 'Your session has ended');
    await see(expired, 'What you were doing stays on the page.');
    await expired.getByLabel('Password').fill(password);
    await expired.getByRole('button', { name: 'Sign in' }).click();
    await gone(page, 'Your session has ended');
    expect(await add.getByLabel('First Name').inputValue()).toBe('Kept');
    expect(await add.getByLabel('Email 1', { exact: true }).inputValue()).toBe('kept@example.test');
    await add.getByRole('button', { name: 'Save' }).click();
    await toast(page, 'Contact Kept Values saved.');
  });

  it('switches to French and back', async () => {
    await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
    await see(page.getByRole('navigation'), 'Fournisseurs de services');
    await see(page, 'Ajouter un contact');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
    await page.reload(); // the choice is remembered
    await see(page, 'Ajouter un contact');
    await expectAccessible(page, 'contacts in French');
    await page.getByLabel('Langue').selectOption('en');
    await see(page, 'Add contact');
  });

  it('has a dark theme that passes the contrast checks', async () => {
    await page.getByLabel('Theme').selectOption('dark');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(background).toBe('rgb(18, 20, 23)');
    await expectAccessible(page, 'contacts, dark');
    await screenshot(page, 'contacts-dark', false);
    await page.getByRole('button', { name: 'Add contact' }).click();
    await dialog(page, 'Add contact').getByRole('button', { name: 'Save' }).click();
    await see(dialog(page, 'Add contact'), 'Enter First Name.');
    await expectAccessible(page, 'add contact with errors, dark');
    await page.keyboard.press('Escape');
    await gone(page, 'Enter First Name.');
    // Focus is back on the button that opened the dialog.
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Add contact');
    await page.getByLabel('Theme').selectOption('light');
  });

  it('fits a phone: the navigation folds behind Menu, tables become cards', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Menu' }).click();
    await nav.getByRole('link', { name: 'Contacts' }).click();
    expect(await nav.isVisible()).toBe(false);
    await page.getByRole('link', { name: 'Kept Values' }).waitFor();
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(390); // no sideways scrolling
    await expectAccessible(page, 'contacts, phone');
    await screenshot(page, 'contacts-phone', false);
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('signs out, and sets a new password through the forgotten-password e-mail', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await see(page, 'You are signed out.');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await see(page, `If an account uses ${ADMIN.email}, a link to reset its password is on its way.`);
    const mail = await srv.mailTo(ADMIN.email, /Reset your password/);
    const link = /http\S+\/portal\/reset-password\?token=\S+/.exec(mail?.text ?? '')?.[0];
    expect(link, mail?.text).toBeDefined();
    await page.goto(link!);
    await page.getByLabel('New password').fill('fourth-password-4');
    await page.getByLabel('Confirm password').fill('fourth-password-4');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await see(page, 'Your password was changed. Sign in with the new one.');
    await page.getByRole('link', { name: 'Sign in' }).click();
    await signIn('fourth-password-4');
    await page.getByRole('heading', { name: 'Service Providers', level: 1 }).waitFor();
  });
}, 240_000);
