// Activation by QR code and lines whose SIP password the user types, in Chromium against the
// real server. The camera is Chromium's fake capture device playing a Y4M video made here from
// the QR code PNG the API serves for the device (GET /devices/{id}/activation → qrPng); the app
// reads it (BarcodeDetector where the browser has one, jsQR otherwise) and activates. The
// device's account is "password entered manually": the app asks for it, a wrong one leaves the
// line Not Connected with a plain error, the right one connects, and after the administrator
// changes the password the user enters the new one in Account Info.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeDataUri, decodePng, writeY4m } from './camera.ts';
import {
  buildPhone,
  launchPhone,
  startTestServer,
  type PhoneBrowser,
  type ProvisionedDevice,
  type TestServer,
} from './harness.ts';
import { lineConnected, until } from './steps.ts';

const CAROL = {
  number: '1301',
  password: 'carol-typed-secret-1',
  name: 'Carol Example',
  manualPassword: true,
};

describe('softphone: activation by QR code, manual SIP passwords', () => {
  let srv: TestServer;
  let phone: PhoneBrowser;
  let device: ProvisionedDevice;
  let dir: string;
  const errors: string[] = [];

  beforeAll(async () => {
    buildPhone();
    srv = await startTestServer();
    device = await srv.provision(CAROL);
    // The QR code exactly as the portal and the e-mail show it, as the camera's picture.
    const activation = await srv.api<{ qrPng: string; link: string }>(
      'GET',
      `/devices/${device.deviceId}/activation`,
    );
    dir = mkdtempSync(join(tmpdir(), 'phone-qr-'));
    const camera = join(dir, 'qr.y4m');
    writeY4m(camera, decodePng(decodeDataUri(activation.json.qrPng)));
    phone = await launchPhone(srv.baseUrl, 600, {
      args: [`--use-file-for-fake-video-capture=${camera}`],
    });
    phone.page.on('pageerror', (error) => errors.push(error.message));
  }, 180_000);

  afterAll(async () => {
    await phone?.close();
    await srv?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the app activates from the QR code seen by the camera', async () => {
    const page = phone.page;
    await page.goto(`${srv.baseUrl}/phone/`);
    await page.getByRole('heading', { name: 'Activate the app' }).waitFor();
    // No code is typed: only the camera can give it.
    expect(await page.getByLabel('Activation code').inputValue()).toBe('');
    await page.getByRole('button', { name: 'Scan QR code' }).click();
    await page.getByRole('dialog', { name: 'Enter your SIP passwords' }).waitFor({ timeout: 30_000 });
    const portal = await until(
      () => srv.api<{ status: string; activated?: boolean }>('GET', `/devices/${device.deviceId}`),
      (r) => r.json.status === 'online',
      'device online in the portal',
    );
    expect(portal.status).toBe(200);
    const activation = await srv.api<{ activated: boolean }>('GET', `/devices/${device.deviceId}/activation`);
    expect(activation.json.activated).toBe(true);
  });

  it('a wrong password leaves the line Not Connected with a plain error; the right one connects', async () => {
    const page = phone.page;
    const dialog = page.getByRole('dialog', { name: 'Enter your SIP passwords' });
    await dialog.getByText('Your administrator asked you to enter the password').waitFor();
    await page.getByRole('status', { name: `${CAROL.name}: Not Connected` }).waitFor();
    await dialog.getByLabel(`Password for ${CAROL.name}`).fill('not-the-password');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog
      .getByRole('alert')
      .filter({ hasText: `The server refused the password of ${CAROL.name}` })
      .waitFor();
    expect(await dialog.getByRole('alert').textContent()).toMatch(/\((401|403) /);
    await page.getByRole('status', { name: `${CAROL.name}: Not Connected` }).waitFor();
    await page.getByRole('button', { name: 'Password needed' }).waitFor();
    // The portal sees the line failed.
    await until(
      () => srv.api<{ lines: { state: string }[] }>('GET', `/devices/${device.deviceId}`),
      (r) => r.json.lines[0]?.state === 'failed',
      'line reported failed',
    );

    await dialog.getByLabel(`Password for ${CAROL.name}`).fill(CAROL.password);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await lineConnected(page, CAROL.name);
    await until(
      () => srv.api<{ lines: { state: string }[] }>('GET', `/devices/${device.deviceId}`),
      (r) => r.json.lines[0]?.state === 'registered',
      'line reported registered',
    );
    // The typed password stays on the device: a reload registers without asking again.
    await page.reload();
    await lineConnected(page, CAROL.name);
    expect(await page.getByRole('dialog', { name: 'Enter your SIP passwords' }).count()).toBe(0);
  });

  it('after the administrator changes the password, the user enters the new one in Account Info', async () => {
    const page = phone.page;
    const providers = await srv.api<{ items: { id: string; builtIn: boolean }[] }>('GET', '/providers');
    const pbx = providers.json.items.find((p) => p.builtIn)!;
    const changed = await srv.api('PATCH', `/providers/${pbx.id}/accounts/${device.accountId}`, {
      password: 'carol-new-secret-22',
    });
    expect(changed.status).toBe(200);
    // The line re-registers (after a reload here) with the old password and is refused: the app
    // asks again. The user leaves it for now, and types the new one later in Account Info.
    await page.reload();
    await page.getByRole('status', { name: `${CAROL.name}: Not Connected` }).waitFor();
    const asked = page.getByRole('dialog', { name: 'Enter your SIP passwords' });
    await asked.getByRole('button', { name: 'Cancel' }).click();
    await asked.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Password needed' }).waitFor();

    await page.getByRole('button', { name: 'Account Info' }).click();
    const account = page.getByRole('dialog', { name: 'Account Info' });
    await account.getByRole('button', { name: 'Edit SIP passwords' }).click();
    const dialog = page.getByRole('dialog', { name: 'Enter your SIP passwords' });
    await dialog.getByLabel(`Password for ${CAROL.name}`).fill('carol-new-secret-22');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await lineConnected(page, CAROL.name);
    expect(errors).toEqual([]);
  });
});
