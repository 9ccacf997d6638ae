// Debian's Chromium driven by playwright-core for the WebRTC tests: fake media devices, a
// throwaway profile, and the page helper `browser-peer.js` loaded into a blank page.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);
const PEER_SCRIPT = fileURLToPath(new URL('./browser-peer.js', import.meta.url));

export interface TestChromium {
  readonly context: BrowserContext;
  /** A blank page with `window.peer` (see browser-peer.js). */
  newPeerPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<TestChromium> {
  const profile = mkdtempSync(join(tmpdir(), 'webrtc-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  context.setDefaultTimeout(15_000);
  return {
    context,
    async newPeerPage() {
      const page = await context.newPage();
      await page.goto('about:blank');
      await page.addScriptTag({ path: PEER_SCRIPT });
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until `done` holds or `timeoutMs` passes; returns the last value. */
export async function waitFor<T>(
  probe: () => Promise<T> | T,
  done: (v: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What `browser-peer.js` offers, called from Node. */
export interface BrowserPeer {
  offer(o: { toneHz: number; useMicrophone?: boolean; gather?: boolean }): Promise<string>;
  answer(o: { sdp: string; toneHz: number }): Promise<string>;
  accept(sdp: string): Promise<void>;
  heard(): Promise<{ frequency: number; db: number }>;
  inbound(): Promise<{ packetsReceived: number; packetsLost: number; audioLevel: number; codec: string }>;
  transport(): Promise<{ srtpCipher?: string; dtlsState?: string }>;
  dtmf(tones: string): Promise<void>;
  state(): Promise<string>;
  close(): Promise<void>;
}

/** Calls `window.peer.<method>(...args)` in the page. */
export function peerOf(page: Page): BrowserPeer {
  const call =
    (method: keyof BrowserPeer) =>
    (...args: unknown[]): Promise<never> =>
      page.evaluate(
        ([m, a]) =>
          (globalThis as unknown as { peer: Record<string, (...x: unknown[]) => unknown> }).peer[
            m as string
          ]!(...(a as unknown[])),
        [method, args] as const,
      ) as Promise<never>;
  const methods: (keyof BrowserPeer)[] = [
    'offer',
    'answer',
    'accept',
    'heard',
    'inbound',
    'transport',
    'dtmf',
    'state',
    'close',
  ];
  return Object.fromEntries(methods.map((m) => [m, call(m)])) as unknown as BrowserPeer;
}
