// Browser-test helpers: Debian's Chromium driven by playwright-core (no browser download), the
// whole server started in-process on loopback, the outbox read over the embedded database's
// shared socket, and an accessibility check with axe-core (WCAG 2.2 A/AA rules, contrast included).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { openDatabase, type Database } from '@switchboard/db';
import { loadConfig, startServer, type RunningServer } from '@switchboard/server';
import { CHROMIUM, CHROMIUM_QUIET_FLAGS } from '@switchboard/testkit';

export { CHROMIUM };
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Builds apps/portal/dist if its sources changed (the same step `npm start` runs). */
export function buildPortal(): void {
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-web-app.mjs'), 'portal'], {
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('the portal build failed');
}

export interface TestServer {
  readonly server: RunningServer;
  readonly baseUrl: string;
  readonly dataDir: string;
  /** The newest mail to `to` in the outbox (the server has no SMTP_URL). */
  mailTo(to: string, subject?: RegExp): Promise<{ subject: string; text: string } | undefined>;
  close(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'portal-e2e-'));
  const server = await startServer(
    loadConfig({ HTTP_PORT: '0', SIP_PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, {}),
  );
  const baseUrl = `http://127.0.0.1:${server.httpPort}`;
  // The server owns the embedded database and shares it on a unix socket in DATA_DIR.
  let reader: Database | undefined;
  const mailTo = async (to: string, subject?: RegExp) => {
    reader ??= await openDatabase({
      url: `postgresql://postgres@localhost:5432/postgres?host=${encodeURIComponent(resolve(dataDir))}`,
    });
    const { rows } = await reader.sql.query(
      'SELECT subject, text_body FROM mail_outbox WHERE lower(to_address) = lower($1) ORDER BY created_at DESC',
      [to],
    );
    const found = rows
      .map((r) => ({ subject: String(r.subject), text: String(r.text_body) }))
      .find((m) => !subject || subject.test(m.subject));
    return found;
  };
  return {
    server,
    baseUrl,
    dataDir,
    mailTo,
    close: async () => {
      await reader?.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Registers an administrator through the API and follows the e-mailed confirmation link. */
export async function registerAdmin(
  srv: TestServer,
  admin: { firstName: string; lastName: string; email: string; password: string; organisationName: string },
): Promise<void> {
  const post = (path: string, body: unknown) =>
    fetch(`${srv.baseUrl}/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const registered = await post('/auth/register', {
    ...admin,
    passwordConfirmation: admin.password,
    privacyAccepted: true,
  });
  if (registered.status !== 201) throw new Error(`register: ${registered.status} ${await registered.text()}`);
  const mail = await srv.mailTo(admin.email, /Confirm/);
  const token = /confirm-email\?token=(\S+)/.exec(mail?.text ?? '')?.[1];
  if (!token) throw new Error('no confirmation link in the outbox');
  const confirmed = await post('/auth/confirm-email', { token: decodeURIComponent(token) });
  if (confirmed.status !== 204) throw new Error(`confirm: ${confirmed.status} ${await confirmed.text()}`);
}

export interface TestBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  const profile = mkdtempSync(join(tmpdir(), 'portal-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_QUIET_FLAGS],
    viewport: { width: 1280, height: 860 },
    locale: 'en-GB',
    timezoneId: 'UTC',
    colorScheme: 'light',
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(10_000);
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: string[];
}

/** Runs axe-core on the page (WCAG 2.0–2.2 A and AA rules); returns the violations. */
export async function accessibilityViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol: the portal's CSP (script-src 'self') stays on.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<unknown> } })
      .axe;
    const result = (await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      resultTypes: ['violations'],
    })) as {
      violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
    };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
}

/**
 * Where screenshots go: docs/screenshots when PORTAL_SCREENSHOTS=1 (to refresh the documentation),
 * otherwise a temporary directory (the test still takes them, so taking them is tested).
 */
export function screenshotDir(): string {
  // eslint-disable-next-line no-restricted-properties -- a test-only switch, not configuration
  const refresh = process.env.PORTAL_SCREENSHOTS === '1';
  const dir = refresh ? join(ROOT, 'docs', 'screenshots') : join(tmpdir(), 'portal-screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}
