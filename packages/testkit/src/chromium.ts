// Debian's Chromium for the WebRTC tests, driven by playwright-core: headless, fake media devices,
// no calls to anyone outside (the flags of the machine's `env` notes), a throwaway profile. A
// missing Chromium is an error that says how to install it, never a skipped test.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Flags every test browser starts with: headless, and calling no one outside. */
export const CHROMIUM_QUIET_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The quiet flags plus fake media devices, granted without a prompt, and autoplay allowed. */
export const CHROMIUM_TEST_FLAGS: readonly string[] = [
  ...CHROMIUM_QUIET_FLAGS,
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];

export interface TestChromiumContext {
  readonly context: BrowserContext;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

export async function launchTestChromium(
  options: { readonly profilePrefix?: string; readonly timeoutMs?: number } = {},
): Promise<TestChromiumContext> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run installs it)`);
  const profile = mkdtempSync(join(tmpdir(), options.profilePrefix ?? 'test-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_TEST_FLAGS],
  });
  context.setDefaultTimeout(options.timeoutMs ?? 20_000);
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
