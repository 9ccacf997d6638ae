// Debian's Chromium driven by playwright-core for the WebRTC tests: fake media devices, a
// throwaway profile, and the page helper `browser-peer.js` loaded into a blank page.
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { launchTestChromium } from '@switchboard/testkit';

const PEER_SCRIPT = fileURLToPath(new URL('./browser-peer.js', import.meta.url));

export interface TestChromium {
  readonly context: BrowserContext;
  /** A blank page with `window.peer` (see browser-peer.js). */
  newPeerPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<TestChromium> {
  const browser = await launchTestChromium({ profilePrefix: 'webrtc-chromium-', timeoutMs: 15_000 });
  const context = browser.context;
  return {
    context,
    async newPeerPage() {
      const page = await context.newPage();
      await page.goto('about:blank');
      await page.addScriptTag({ path: PEER_SCRIPT });
      return page;
    },
    async close() {
      await browser.close();
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
