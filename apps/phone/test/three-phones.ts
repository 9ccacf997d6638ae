// The setup the three-browser softphone tests share (phone-conference, phone-transfer): one test
// server, Alice, Bob and Carol provisioned on it, a Chromium each with a fake microphone (Alice
// 440 Hz, Bob 1200 Hz, Carol 700 Hz) on its activation link, every line connected; page errors
// are collected for the tests to check. Also the transfer dialog and hanging up a party's call.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { buildPhone, launchPhone, startTestServer, type PhoneBrowser, type TestServer } from './harness.ts';
import { lineConnected, party } from './steps.ts';

export const ALICE = { number: '1001', password: 'alice-sip-secret-1', name: 'Alice Example' };
export const BOB = { number: '1002', password: 'bob-sip-secret-22', name: 'Bob Example' };
export const CAROL = { number: '1003', password: 'carol-sip-secret-3', name: 'Carol Example' };

export interface ThreePhones {
  readonly srv: TestServer;
  readonly a: PhoneBrowser;
  readonly b: PhoneBrowser;
  readonly c: PhoneBrowser;
  /** `A: message` for every uncaught error in a page, in order. */
  readonly errors: string[];
}

/** Registers beforeAll/afterAll in the calling describe; read the fields inside tests only. */
export function useThreePhones(): ThreePhones {
  let srv: TestServer | undefined;
  let a: PhoneBrowser | undefined;
  let b: PhoneBrowser | undefined;
  let c: PhoneBrowser | undefined;
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

  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the phones are started in beforeAll');
    return value;
  };
  return {
    get srv() {
      return ready(srv);
    },
    get a() {
      return ready(a);
    },
    get b() {
      return ready(b);
    },
    get c() {
      return ready(c);
    },
    errors,
  };
}

/** Opens the Transfer dialog on the call with `name`. */
export async function openTransfer(page: Page, name: string): Promise<Locator> {
  await party(page, name).getByRole('button', { name: 'Transfer' }).click();
  return page.getByRole('dialog', { name: /^Transfer the call with / });
}

/** Transfers the call with `name` to `number` (blind: the dialog's Transfer to field). */
export async function transferTo(page: Page, name: string, number: string): Promise<void> {
  const dialog = await openTransfer(page, name);
  await dialog.getByLabel('Transfer to').fill(number);
  await dialog.getByRole('button', { name: 'Transfer', exact: true }).click();
}

/** Presses Hang up on the call with `name`. */
export async function hangUp(page: Page, name: string): Promise<void> {
  await party(page, name).getByRole('button', { name: 'Hang up' }).click();
}
