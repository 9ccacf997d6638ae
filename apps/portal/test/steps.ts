// Small page helpers for the journey: waits expressed as what a person sees.
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { accessibilityViolations, screenshotDir } from './browser.ts';
import { join } from 'node:path';

/** Waits until `text` is visible on the page. */
export async function see(page: Page | Locator, text: string | RegExp): Promise<void> {
  await page.getByText(text).first().waitFor({ state: 'visible' });
}

/** Waits until nothing on the page shows `text`. */
export async function gone(page: Page | Locator, text: string | RegExp): Promise<void> {
  await expect.poll(() => page.getByText(text).count(), { timeout: 10_000 }).toBe(0);
}

/** The text of the toast after an action. */
export async function toast(page: Page, text: string | RegExp): Promise<void> {
  await page.locator('.toast.visible').filter({ hasText: text }).waitFor({ state: 'visible' });
}

/** Opens a row's gear menu (by its accessible name) and picks an item. */
export async function gear(page: Page, name: string, item: string): Promise<void> {
  await page.getByRole('button', { name: `Actions for ${name}`, exact: true }).click();
  await page.getByRole('menuitem', { name: item, exact: true }).click();
}

export function dialog(page: Page, name: string | RegExp): Locator {
  return page.getByRole('dialog', { name });
}

/** The cells of a table row found by its header cell (row name), as text. */
export async function rowTexts(page: Page, rowName: string): Promise<string[]> {
  const row = page
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: rowName, exact: true }) });
  await row.waitFor();
  return row.locator('th, td').allInnerTexts();
}

/** No WCAG A/AA violation on the page (axe-core), including colour contrast. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const violations = await accessibilityViolations(page);
  expect(violations, `${where}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({
    path: join(screenshotDir(), `${name}.png`),
    fullPage,
    animations: 'disabled',
    style: '.toast { display: none !important; }', // a passing toast would hide part of the page
  });
}

/** Opens a form's "Advanced Settings" disclosure unless it is open already. */
export async function openAdvanced(form: Locator): Promise<void> {
  const details = form.locator('details.advanced');
  if ((await details.getAttribute('open')) === null) await details.getByText('Advanced Settings').click();
}
