// Steps for tests with several calls per browser: the counters of one party's call, hearing
// on it, dialling from the dial pad, answering, waiting for a call to end.
import type { Page } from 'playwright-core';
import { party, until, type AudioCounters } from './steps.ts';

export const who = (p: { number: string; name: string }) => `(${p.name}|${p.number})`;

/** The audio counters of one party's call (its card's level meter). */
export async function countersOf(page: Page, name: string): Promise<AudioCounters> {
  const meter = party(page, name).locator('meter.party-level');
  return meter.evaluate((el: HTMLElement) => ({
    packets: Number(el.dataset.packetsReceived ?? 0),
    energy: Number(el.dataset.audioEnergy ?? 0),
    sent: Number(el.dataset.packetsSent ?? 0),
    codec: el.dataset.codec ?? '',
  }));
}

/** Sound (not silence) keeps arriving on the call with `name`: packets and energy both grow. */
export async function hears(page: Page, name: string, what: string): Promise<AudioCounters> {
  const before = await until(
    () => countersOf(page, name),
    (c) => c.packets > 0,
    `${what}: first packets`,
    20_000,
  );
  return until(
    () => countersOf(page, name),
    (c) => c.packets >= before.packets + 50 && c.energy > before.energy + 0.002,
    `${what}: sound arriving (from ${JSON.stringify(before)})`,
    20_000,
  );
}

export async function dial(page: Page, number: string): Promise<void> {
  await page
    .getByRole('toolbar', { name: 'Phone functions' })
    .getByRole('button', { name: 'Dial pad' })
    .click();
  await page.getByLabel('Phone number').fill(number);
  // The dial pad's own Call button (Recents has call-back buttons of the same name).
  await page.locator('main').getByRole('button', { name: 'Call', exact: true }).click();
  // Back home (where the parties are) if the dial pad stayed open.
  const home = page.getByRole('toolbar', { name: 'Phone functions' }).getByRole('button', { name: 'Home' });
  if (await home.isVisible()) await home.click();
}

export async function answer(page: Page, caller: string): Promise<void> {
  await party(page, caller).getByRole('button', { name: 'Answer' }).click();
  await party(page, caller).getByRole('button', { name: 'Hang up' }).waitFor();
}

export async function gone(page: Page, name: string): Promise<void> {
  await party(page, name).locator('meter.party-level').waitFor({ state: 'detached', timeout: 20_000 });
}

/** No sound arrives on the call with `name` for a while (packets may: silence, comfort noise). */
export async function quiet(page: Page, name: string, what: string): Promise<void> {
  // Let the change take effect (a key pressed, a track disabled) before measuring.
  await page.waitForTimeout(1_500);
  const before = await countersOf(page, name);
  await page.waitForTimeout(1_500);
  const after = await countersOf(page, name);
  // A steady tone adds about 0.03 a second; a tenth of that is a leftover, not a voice.
  if (after.energy - before.energy > 0.004)
    throw new Error(`${what}: still sound (${before.energy} → ${after.energy})`);
}
