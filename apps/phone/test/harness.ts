// Browser-test harness for the softphone: the whole server in-process on loopback, an
// administrator made through the real API (register, confirmation read from the outbox), SIP
// accounts, contacts and devices created over the API, and Debian's Chromium with fake audio
// devices (each browser its own WAV tone as "microphone") driven by playwright-core.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { ActivateResponse } from '@switchboard/contracts';
import { openDatabase, type Database } from '@switchboard/db';
import { generateTone, writeWav } from '@switchboard/media';
import { loadConfig, startServer, type RunningServer } from '@switchboard/server';
import { CHROMIUM, CHROMIUM_QUIET_FLAGS } from '@switchboard/testkit';

export { CHROMIUM };
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Builds apps/phone/dist if its sources changed (the step `npm start` runs). */
export function buildPhone(): void {
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-web-app.mjs'), 'phone'], {
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('the softphone build failed');
}

export interface Extension {
  readonly number: string;
  readonly password: string;
  readonly name: string;
  readonly manualPassword?: boolean;
}

export interface ProvisionedDevice {
  readonly deviceId: string;
  readonly accountId: string;
  readonly code: string;
  readonly link: string;
}

export interface TestServer {
  readonly server: RunningServer;
  readonly baseUrl: string;
  readonly sipPort: number;
  /** Calls the API as the administrator. */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }>;
  /** An extension on the built-in PBX, a contact and a device with it: what the portal does. */
  provision(extension: Extension): Promise<ProvisionedDevice>;
  /** Creates an extension only (for a phone that registers by itself, e.g. baresip). */
  extension(extension: Extension): Promise<string>;
  close(): Promise<void>;
}

function randomRtpPorts(): string {
  const min = 20_000 + 400 * Math.floor(Math.random() * 100);
  return `${min}-${min + 399}`;
}

export async function startTestServer(): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'phone-e2e-'));
  const server = await startServer(
    loadConfig(
      {
        HTTP_PORT: '0',
        SIP_PORT: '0',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        HOST: '127.0.0.1',
        RTP_PORTS: randomRtpPorts(),
        // Many browser suites at once lag the test machine; overload protection is tested on its
        // own (apps/server/test/overload.test.ts), not tripped here by load.
        SIP_OVERLOAD_MAX_LAG_MS: '5000',
      },
      {},
    ),
  );
  const baseUrl = `http://127.0.0.1:${server.httpPort}`;
  let cookie = '';
  const api = async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(cookie && { cookie }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    if (!cookie) cookie = response.headers.get('set-cookie')?.split(';')[0] ?? '';
    return { status: response.status, json: (text ? JSON.parse(text) : undefined) as T };
  };

  // The administrator: registered through the API, confirmed with the link from the outbox.
  const admin = { email: 'admin@example.test', password: 'correct-horse-battery-9' };
  const registered = await api('POST', '/auth/register', {
    firstName: 'Ada',
    lastName: 'Admin',
    email: admin.email,
    password: admin.password,
    passwordConfirmation: admin.password,
    privacyAccepted: true,
    organisationName: 'Phone Tests',
  });
  if (registered.status !== 201)
    throw new Error(`register: ${registered.status} ${JSON.stringify(registered.json)}`);
  const reader: Database = await openDatabase({
    url: `postgresql://postgres@localhost:5432/postgres?host=${encodeURIComponent(resolve(dataDir))}`,
  });
  const { rows } = await reader.sql.query(
    'SELECT text_body FROM mail_outbox WHERE lower(to_address) = lower($1)',
    [admin.email],
  );
  await reader.close();
  const token = /confirm-email\?token=([A-Za-z0-9_-]+)/.exec(String(rows[0]?.text_body ?? ''))?.[1];
  if (!token) throw new Error('no confirmation e-mail in the outbox');
  await api('POST', '/auth/confirm-email', { token });
  cookie = '';
  const login = await api('POST', '/auth/login', admin);
  if (login.status !== 200) throw new Error(`login: ${login.status}`);
  const providers = await api<{ items: { id: string; builtIn: boolean }[] }>('GET', '/providers');
  const pbx = providers.json.items.find((p) => p.builtIn)!;

  const extension = async (e: Extension): Promise<string> => {
    const account = await api<{ id: string }>('POST', `/providers/${pbx.id}/accounts`, {
      username: e.number,
      password: e.password,
      displayName: e.name,
      name: e.name,
      ...(e.manualPassword && { manualPassword: true }),
    });
    if (account.status !== 201) throw new Error(`account: ${account.status} ${JSON.stringify(account.json)}`);
    return account.json.id;
  };

  return {
    server,
    baseUrl,
    sipPort: server.sipPort,
    api,
    extension,
    async provision(e) {
      const accountId = await extension(e);
      const [first, last] = e.name.split(' ');
      const contact = await api<{ id: string }>('POST', '/contacts', {
        firstName: first,
        lastName: last ?? 'User',
        emails: [{ address: `${e.number}@example.test`, label: 'work' }],
      });
      const device = await api<{ id: string }>('POST', `/contacts/${contact.json.id}/devices`, {
        name: `${e.name}'s browser`,
        accountIds: [accountId],
      });
      if (device.status !== 201) throw new Error(`device: ${device.status} ${JSON.stringify(device.json)}`);
      const activation = await api<{ code: string; link: string }>(
        'GET',
        `/devices/${device.json.id}/activation`,
      );
      return { deviceId: device.json.id, accountId, code: activation.json.code, link: activation.json.link };
    },
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A WAV of a steady tone, for Chromium's fake microphone. */
export function toneFile(hz: number, dir: string): string {
  const file = join(dir, `tone-${hz}.wav`);
  const samples = generateTone([hz], 10_000, { sampleRate: 48_000, amplitude: 0.5 });
  writeFileSync(file, writeWav({ format: 'pcm16', sampleRate: 48_000, channels: 1, samples }));
  return file;
}

export interface PhoneBrowser {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** More Chromium switches (e.g. `--use-file-for-fake-video-capture=…` for a camera). */
  readonly args?: readonly string[];
}

/** One Chromium with its own profile and its own tone as the microphone. */
export async function launchPhone(
  baseUrl: string,
  toneHz: number,
  options: LaunchOptions = {},
): Promise<PhoneBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  const profile = mkdtempSync(join(tmpdir(), 'phone-chromium-'));
  mkdirSync(profile, { recursive: true });
  const wav = toneFile(toneHz, profile);
  const context = await chromium.launchPersistentContext(join(profile, 'user-data'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      ...CHROMIUM_QUIET_FLAGS,
      // Fake devices; autoplay stays under Chromium's normal policy.
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-audio-capture=${wav}`,
      ...(options.args ?? []),
    ],
    viewport: { width: 1360, height: 900 },
    locale: 'en-GB',
    timezoneId: 'UTC',
    colorScheme: 'light',
    reducedMotion: 'reduce',
    permissions: ['microphone'],
  });
  context.setDefaultTimeout(15_000);
  await context.grantPermissions(['microphone', 'camera', 'notifications'], { origin: baseUrl });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Where screenshots go: docs/screenshots/phone when PHONE_SCREENSHOTS=1, else a temp dir. */
export function screenshotDir(): string {
  // eslint-disable-next-line no-restricted-properties -- a test-only switch, not configuration
  const refresh = process.env.PHONE_SCREENSHOTS === '1';
  const dir = refresh ? join(ROOT, 'docs', 'screenshots', 'phone') : join(tmpdir(), 'phone-screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export type { ActivateResponse };
