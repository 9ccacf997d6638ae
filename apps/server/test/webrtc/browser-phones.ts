// Shared steps of the browser tests through the PBX (webrtc-call, webrtc-transfer): the page's
// phone (browser-phone.js, bundled once per file), a Chromium page that loads it from the PBX's
// origin and registers over the PBX's WebSocket (RFC 7118), typed calls into `window.phone`, and
// polling until the page reports what a test waits for.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { BrowserContext, Page } from 'playwright-core';

export interface Heard {
  frequency: number;
  db: number;
}

/** `window.phone` as browser-phone.js defines it. */
interface Phone {
  register(o: { url: string; user: string; password: string; domain: string }): Promise<number>;
  call(target: string, toneHz: number): Promise<number>;
  autoAnswer(toneHz: number): void;
  hangup(): Promise<void>;
  heard(): Heard;
  inbound(): Promise<{ packetsReceived: number; codec: string }>;
  state(): string;
  answer?: string;
  offer?: string;
  log: string[];
}

/** Calls `window.phone.<method>` in the page (the page has its own DOM types, Node has none). */
export function phoneIn(page: Page) {
  const run = <T>(fn: (phone: Phone, arg: unknown) => T | Promise<T>, arg?: unknown): Promise<T> =>
    page.evaluate(
      ([source, a]) => {
        const f = new Function('phone', 'arg', `return (${source as string})(phone, arg)`);
        return f((globalThis as unknown as { phone: Phone }).phone, a) as T;
      },
      [fn.toString(), arg] as const,
    );
  return {
    register: (o: Parameters<Phone['register']>[0]) => run((p, a) => p.register(a as never), o),
    call: (target: string, toneHz: number) =>
      run((p, a) => p.call((a as [string, number])[0], (a as [string, number])[1]), [target, toneHz]),
    autoAnswer: (toneHz: number) => run((p, a) => p.autoAnswer(a as number), toneHz),
    hangup: () => run((p) => p.hangup()),
    heard: () => run((p) => p.heard()),
    inbound: () => run((p) => p.inbound()),
    state: () => run((p) => p.state()),
    sdp: () => run((p) => ({ answer: p.answer, offer: p.offer })),
    reoffer: (direction: string) =>
      run(
        (p, a) =>
          (p as unknown as { reoffer(d: string): Promise<{ status: number; answer: string }> }).reoffer(
            a as string,
          ),
        direction,
      ),
    log: () => run((p) => p.log),
  };
}

export type BrowserPhone = ReturnType<typeof phoneIn>;

/** browser-phone.js and @switchboard/sip bundled into one script for the page. */
export async function buildBrowserPhoneBundle(): Promise<string> {
  const built = await build({
    entryPoints: [fileURLToPath(new URL('./browser-phone.js', import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
  });
  return built.outputFiles[0]!.text;
}

/**
 * A new page on the PBX's origin with the phone loaded, registering `account`; returns the
 * REGISTER's final status for the test to check.
 */
export async function openBrowserPhone(
  context: BrowserContext,
  httpPort: number,
  bundle: string,
  account: { number: string; password: string },
): Promise<{ page: Page; phone: BrowserPhone; status: number }> {
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${httpPort}/healthz`);
  await page.addScriptTag({ content: bundle });
  const phone = phoneIn(page);
  const status = await phone.register({
    url: `ws://127.0.0.1:${httpPort}/`,
    user: account.number,
    password: account.password,
    domain: '127.0.0.1',
  });
  return { page, phone, status };
}

/** Polls `probe` until `done` holds; fails after `ms` (a bound, not a timing assertion). */
export async function until<T>(
  probe: () => Promise<T>,
  done: (v: T) => boolean,
  what: string,
  ms = 15_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The page hears a tone of `hz` (loudest bin within 20 Hz, above -70 dB). */
export const hears = (hz: number) => (h: Heard) => Math.abs(h.frequency - hz) < 20 && h.db > -70;
