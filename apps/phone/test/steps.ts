// Steps the softphone tests share: waiting for a line, reading a call's audio counters from
// the page (the incoming-level meter carries the WebRTC inbound-rtp statistics), and the like.
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { screenshotDir } from './harness.ts';

export async function lineConnected(page: Page, line: string): Promise<void> {
  await page.getByRole('status', { name: `${line}: Connected` }).waitFor({ timeout: 20_000 });
}

/** A person on the Home screen (circle or wheel), by the start of their accessible name. */
export function party(page: Page, name: string): Locator {
  return page.locator('main').getByRole('listitem', { name: new RegExp(`^${name}(,|$)`) });
}

export interface AudioCounters {
  readonly packets: number;
  readonly energy: number;
  readonly sent: number;
  readonly codec: string;
}

export async function audioCounters(page: Page): Promise<AudioCounters> {
  const meter = page.locator('meter.party-level').first();
  return meter.evaluate((el: HTMLElement) => ({
    packets: Number(el.dataset.packetsReceived ?? 0),
    energy: Number(el.dataset.audioEnergy ?? 0),
    sent: Number(el.dataset.packetsSent ?? 0),
    codec: el.dataset.codec ?? '',
  }));
}

/** Polls `read` until `ok` holds (bounded); returns the last value or throws with it. */
export async function until<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!ok(last)) {
    if (Date.now() > deadline)
      throw new Error(`${what}: still ${JSON.stringify(last)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
    last = await read();
  }
  return last;
}

/** Sound (not silence) keeps arriving: packets and audio energy both grow. */
export async function expectHearing(page: Page, who: string): Promise<AudioCounters> {
  const before = await until(
    () => audioCounters(page),
    (c) => c.packets > 0,
    `${who}: first audio packets`,
  );
  return until(
    () => audioCounters(page),
    (c) => c.packets >= before.packets + 50 && c.energy > before.energy + 0.001,
    `${who}: audio flowing (from ${JSON.stringify(before)})`,
  );
}

/** Packets may arrive (comfort noise, silence) but no sound energy does for a while. */
export async function expectSilence(page: Page, who: string, windowMs = 1_500): Promise<void> {
  // Let the change take effect (re-INVITE, track disabled) before measuring.
  await new Promise((r) => setTimeout(r, 1_000));
  const before = await audioCounters(page);
  await new Promise((r) => setTimeout(r, windowMs));
  const after = await audioCounters(page);
  // A steady tone adds about 0.03 a second here; a tenth of that is a leftover, not speech.
  if (after.energy - before.energy > 0.004)
    throw new Error(`${who}: still hears sound (${before.energy} → ${after.energy})`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir(), `${name}.png`) });
}
