// Activation (code, QR, link, e-mail, reset) and provisioning (activate, config by version,
// Pending update, heartbeats and the offline timeout, guessing limits).
import { describe, expect, it } from 'vitest';
import {
  BACKENDS,
  call,
  expectError,
  lastMailTo,
  PUBLIC_URL,
  signUp,
  useApi,
  type Harness,
  type Session,
} from './harness.ts';

async function setup(h: Harness, s: Session) {
  const pbx = (await call(h, s, 'GET', '/api/v1/providers')).body.items[0].id;
  const ext = (
    await call(h, s, 'POST', '/api/v1/providers', {
      name: 'Carrier',
      host: 'sip.carrier.example',
      port: 5080,
      proxy: 'edge.carrier.example',
    })
  ).body.id;
  const a1 = (
    await call(h, s, 'POST', `/api/v1/providers/${pbx}/accounts`, {
      username: '1001',
      password: 'ext-secret-1001',
      displayName: 'Alice',
      dialingRules: '9|X. =>',
    })
  ).body;
  const a2 = (
    await call(h, s, 'POST', `/api/v1/providers/${ext}/accounts`, {
      username: 'alice.ext',
      authUsername: 'auth-alice',
      manualPassword: true,
      protocol: 'tls',
    })
  ).body;
  const contact = (
    await call(h, s, 'POST', '/api/v1/contacts', {
      firstName: 'Alice',
      lastName: 'Liddell',
      emails: [
        { address: 'alice@work.example', label: 'work' },
        { address: 'alice@home.example', label: 'home' },
      ],
    })
  ).body;
  const device = (
    await call(h, s, 'POST', `/api/v1/contacts/${contact.id}/devices`, {
      name: 'Alice laptop',
      accountIds: [a1.id, a2.id],
    })
  ).body;
  return { pbx, ext, a1, a2, contact, device };
}

const activate = (h: Harness, code: string, from?: Record<string, string>) =>
  call(h, from ? { headers: from } : undefined, 'POST', '/api/v1/provisioning/activate', {
    code,
    os: 'Windows Desktop',
    appVersion: '2.1.0',
  });

describe.each(BACKENDS)('activation and provisioning on %s', (backend) => {
  const h = useApi(backend);

  it('gives each device a hard-to-guess code, its QR code (SVG, PNG) and a click-to-activate link', async () => {
    const s = await signUp(h);
    const { device } = await setup(h, s);
    const r = await call(h, s, 'GET', `/api/v1/devices/${device.id}/activation`);
    expect(r.status).toBe(200);
    expect(r.body.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(r.body.link).toBe(`${PUBLIC_URL}/phone/?activate=${r.body.code}`);
    expect(r.body.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(r.body.qrPng).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    expect(r.body).toMatchObject({ activated: false, instructionsSentTo: null });
    // Another device gets another code.
    const other = await call(h, s, 'POST', `/api/v1/contacts/${device.contactId}/devices`, {
      name: 'Second',
      accountIds: device.accountIds,
    });
    expect((await call(h, s, 'GET', `/api/v1/devices/${other.body.id}/activation`)).body.code).not.toBe(
      r.body.code,
    );
  });

  it("e-mails the instructions (HTML and text, QR included) to one of the contact's addresses; the code is then hidden", async () => {
    const s = await signUp(h);
    const { device } = await setup(h, s);
    const { code } = (await call(h, s, 'GET', `/api/v1/devices/${device.id}/activation`)).body;
    expectError(
      await call(h, s, 'POST', `/api/v1/devices/${device.id}/activation/send`, {
        email: 'stranger@example.com',
      }),
      400,
      'validation_failed',
      ['email'],
    );
    const sent = await call(h, s, 'POST', `/api/v1/devices/${device.id}/activation/send`, {
      email: 'ALICE@home.example',
    });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({
      code: null,
      qrSvg: null,
      qrPng: null,
      link: null,
      instructionsSentTo: 'alice@home.example',
    });
    const mail = await lastMailTo(h, 'alice@home.example');
    expect(mail.subject).toBe('Activate your softphone: Alice laptop');
    expect(mail.text).toContain(code);
    expect(mail.text).toContain(`${PUBLIC_URL}/phone/?activate=${code}`);
    expect(mail.html).toContain(code);
    expect(mail.html).toMatch(/<img src="data:image\/png;base64,/);
    expect(mail.attachments).toEqual([
      expect.objectContaining({
        filename: 'activation-qr.png',
        contentType: 'image/png',
        cid: 'activation-qr',
      }),
    ]);
    const view = await call(h, s, 'GET', `/api/v1/devices/${device.id}`);
    expect(view.body).toMatchObject({ status: 'not_activated', subStatus: 'instructions_sent' });
    const outbox = await call(h, s, 'GET', `/api/v1/outbox?to=alice@home.example`);
    expect(outbox.body.items[0].subject).toBe(mail.subject);
    const one = await call(h, s, 'GET', `/api/v1/outbox/${outbox.body.items[0].id}`);
    expect(one.body).toMatchObject({ to: 'alice@home.example', subject: mail.subject, text: mail.text });
    expect((await call(h, s, 'GET', '/api/v1/mail/status')).body).toEqual({ delivery: 'outbox' });
    const stranger = await signUp(h);
    expectError(
      await call(h, stranger, 'GET', `/api/v1/outbox/${outbox.body.items[0].id}`),
      404,
      'not_found',
    );
    expectError(
      await call(h, s, 'POST', `/api/v1/devices/00000000-0000-4000-8000-000000000000/activation/send`, {
        email: 'a@b.example',
      }),
      404,
      'not_found',
    );
  });

  it('activates with the code once: device token and configuration, password only when provisioned', async () => {
    const s = await signUp(h);
    const { device, a1, a2 } = await setup(h, s);
    const { code } = (await call(h, s, 'GET', `/api/v1/devices/${device.id}/activation`)).body;
    const r = await activate(h, code.toLowerCase().replace(/-/g, ' '));
    expect(r.status, r.raw).toBe(200);
    expect(r.body.deviceToken).toMatch(/^sbd_/);
    const config = r.body.config;
    expect(config).toMatchObject({
      version: device.configVersion,
      device: { id: device.id, name: 'Alice laptop' },
      heartbeatIntervalSeconds: 30,
    });
    expect(config.accounts).toEqual([
      {
        id: a1.id,
        name: 'Alice',
        server: 'pbx.example.test',
        port: 5060,
        transport: 'udp',
        proxy: null,
        domain: (await call(h, s, 'GET', '/api/v1/auth/me')).body.organisation.sipDomain,
        username: '1001',
        authUsername: '1001',
        displayName: 'Alice',
        dialingRules: '9|X. =>',
        manualPassword: false,
        password: 'ext-secret-1001',
        pushProxy: false,
        builtIn: true,
        websocketUrl: 'wss://portal.example.test/sip',
      },
      {
        id: a2.id,
        name: 'alice.ext',
        server: 'sip.carrier.example',
        port: 5080,
        transport: 'tls',
        proxy: 'edge.carrier.example',
        domain: 'sip.carrier.example',
        username: 'alice.ext',
        authUsername: 'auth-alice',
        displayName: '',
        dialingRules: '',
        manualPassword: true,
        pushProxy: false,
        builtIn: false,
        websocketUrl: null,
      },
    ]);
    const view = (await call(h, s, 'GET', `/api/v1/devices/${device.id}`)).body;
    expect(view).toMatchObject({
      status: 'online',
      subStatus: null,
      os: 'Windows Desktop',
      appVersion: '2.1.0',
    });
    expect((await call(h, s, 'GET', `/api/v1/devices/${device.id}/activation`)).body).toMatchObject({
      code: null,
      activated: true,
    });
    const again = await activate(h, code);
    expectError(again, 410, 'activation_code_used', ['code']);
    expectError(
      await call(h, s, 'POST', `/api/v1/devices/${device.id}/activation/send`, {
        email: 'alice@work.example',
      }),
      409,
      'device_already_activated',
    );
    const audit = (await call(h, s, 'GET', '/api/v1/audit?action=device.activate')).body.items[0];
    expect(audit).toMatchObject({ actor: 'device "Alice laptop"', targetId: device.id });
  });

  it('serves the configuration by version (ETag, 304) and shows Pending update until it is fetched', async () => {
    const s = await signUp(h);
    const { device, pbx, a1 } = await setup(h, s);
    const { code } = (await call(h, s, 'GET', `/api/v1/devices/${device.id}/activation`)).body;
    const { deviceToken, config } = (await activate(h, code)).body;
    const auth = { authorization: `Bearer ${deviceToken}` };
    const first = await h.app.inject({ method: 'GET', url: '/api/v1/provisioning/config', headers: auth });
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toBe(`"v${config.version}"`);
    const same = await h.app.inject({
      method: 'GET',
      url: '/api/v1/provisioning/config',
      headers: { ...auth, 'if-none-match': `"v${config.version}"` },
    });
    expect(same.statusCode).toBe(304);
    // The admin changes the account: the device is Pending update until it fetches.
    await call(h, s, 'PATCH', `/api/v1/providers/${pbx}/accounts/${a1.id}`, { displayName: 'Alice L.' });
    const pending = (await call(h, s, 'GET', `/api/v1/devices/${device.id}`)).body;
    expect(pending).toMatchObject({ subStatus: 'pending_update', configVersion: config.version + 1 });
    const hb = await call(h, { headers: auth }, 'POST', '/api/v1/provisioning/heartbeat', {});
    expect(hb.body).toEqual({ configVersion: config.version + 1, heartbeatIntervalSeconds: 30 });
    const stale = await h.app.inject({
      method: 'GET',
      url: '/api/v1/provisioning/config',
      headers: { ...auth, 'if-none-match': `"v${config.version}"` },
    });
    expect(stale.statusCode).toBe(200);
    expect(stale.headers.etag).toBe(`"v${config.version + 1}"`);
    expect(stale.json().accounts[0].displayName).toBe('Alice L.');
    expect((await call(h, s, 'GET', `/api/v1/devices/${device.id}`)).body.subStatus).toBeNull();
    expectError(await call(h, undefined, 'GET', '/api/v1/provisioning/config'), 401, 'device_deactivated');
    expectError(
      await call(
        h,
        { headers: { authorization: 'Bearer sbd_forged' } },
        'GET',
        '/api/v1/provisioning/config',
      ),
      401,
      'device_deactivated',
    );
  });

  it("carries the organisation's support address: the owner's e-mail until one is set; a change reaches the devices", async () => {
    const s = await signUp(h);
    const { device } = await setup(h, s);
    const owner = (await call(h, s, 'GET', '/api/v1/auth/me')).body;
    expect(owner.organisation.supportEmail).toBeNull();
    const { code } = (await call(h, s, 'GET', `/api/v1/devices/${device.id}/activation`)).body;
    const { deviceToken, config } = (await activate(h, code)).body;
    expect(config.supportEmail).toBe(owner.email);
    expectError(
      await call(h, s, 'PATCH', '/api/v1/auth/me', { supportEmail: 'not an address' }),
      400,
      'validation_failed',
    );
    const patched = await call(h, s, 'PATCH', '/api/v1/auth/me', { supportEmail: 'Help@Example.test' });
    expect(patched.body.organisation.supportEmail).toBe('help@example.test');
    const auth = { headers: { authorization: `Bearer ${deviceToken}` } };
    const next = await call(h, auth, 'GET', '/api/v1/provisioning/config');
    expect(next.body.version).toBe(config.version + 1);
    expect(next.body.supportEmail).toBe('help@example.test');
    // Cleared: the owner answers again.
    await call(h, s, 'PATCH', '/api/v1/auth/me', { supportEmail: null });
    expect((await call(h, auth, 'GET', '/api/v1/provisioning/config')).body.supportEmail).toBe(owner.email);
  });

  it("carries the organisation's feature codes; changing them reaches the devices", async () => {
    const s = await signUp(h);
    const { device } = await setup(h, s);
    const { code } = (await call(h, s, 'GET', `/api/v1/devices/${device.id}/activation`)).body;
    const { deviceToken, config } = (await activate(h, code)).body;
    expect(config.featureCodes).toMatchObject({ conference: '*8', voicemail: '*97', 'dnd-on': '*78' });
    const changed = await call(h, s, 'PUT', '/api/v1/feature-codes', { codes: { conference: '*88' } });
    expect(changed.status).toBe(200);
    const auth = { headers: { authorization: `Bearer ${deviceToken}` } };
    const next = await call(h, auth, 'GET', '/api/v1/provisioning/config');
    expect(next.body.version).toBe(config.version + 1);
    expect(next.body.featureCodes.conference).toBe('*88');
    expect(next.body.featureCodes.voicemail).toBe('*97');
  });

  it('turns a device Offline after the heartbeat timeout and Online again with a heartbeat', async () => {
    const s = await signUp(h);
    const { device } = await setup(h, s);
    const { code } = (await call(h, s, 'GET', `/api/v1/devices/${device.id}/activation`)).body;
    const { deviceToken } = (await activate(h, code)).body;
    const status = async () => (await call(h, s, 'GET', `/api/v1/devices/${device.id}`)).body.status;
    expect(await status()).toBe('online');
    h.clock.now += 89_000;
    expect(await status()).toBe('online');
    h.clock.now += 2_000;
    expect(await status()).toBe('offline');
    const hb = await call(
      h,
      { headers: { authorization: `Bearer ${deviceToken}` } },
      'POST',
      '/api/v1/provisioning/heartbeat',
      { appVersion: '2.2.0' },
    );
    expect(hb.status).toBe(200);
    expect((await call(h, s, 'GET', `/api/v1/devices/${device.id}`)).body).toMatchObject({
      status: 'online',
      appVersion: '2.2.0',
    });
    // A heartbeat needs no body at all.
    h.clock.now += 95_000;
    expect(await status()).toBe('offline');
    const auth = { headers: { authorization: `Bearer ${deviceToken}` } };
    const bare = await call(h, auth, 'POST', '/api/v1/provisioning/heartbeat');
    expect(bare.status, bare.raw).toBe(200);
    expect(await status()).toBe('online');
  });

  it('resets the code: the old one stops working and an activated device is deactivated', async () => {
    const s = await signUp(h);
    const { device } = await setup(h, s);
    const before = (await call(h, s, 'GET', `/api/v1/devices/${device.id}/activation`)).body.code;
    const reset1 = await call(h, s, 'POST', `/api/v1/devices/${device.id}/activation/reset`);
    expect(reset1.body.code).toMatch(/^\w{4}-/);
    expect(reset1.body.code).not.toBe(before);
    expectError(await activate(h, before), 410, 'activation_code_replaced', ['code']);
    const { deviceToken } = (await activate(h, reset1.body.code)).body;
    const auth = { headers: { authorization: `Bearer ${deviceToken}` } };
    expect((await call(h, auth, 'GET', '/api/v1/provisioning/config')).status).toBe(200);
    const reset2 = await call(h, s, 'POST', `/api/v1/devices/${device.id}/activation/reset`);
    expect(reset2.body).toMatchObject({ activated: false });
    expectError(await call(h, auth, 'GET', '/api/v1/provisioning/config'), 401, 'device_deactivated');
    expect((await call(h, s, 'GET', `/api/v1/devices/${device.id}`)).body).toMatchObject({
      status: 'not_activated',
      subStatus: null,
    });
    expect((await activate(h, reset2.body.code)).status).toBe(200);
    const entry = (await call(h, s, 'GET', '/api/v1/audit?action=device.activation.reset')).body.items[0];
    expect(entry.details).toEqual({ deactivated: true });
  });

  it('rejects bad codes clearly and rate-limits guessing per address', async () => {
    const from = { 'x-forwarded-for': 'ignored' };
    expectError(await activate(h, 'short'), 404, 'activation_code_unknown', ['code']);
    expectError(await activate(h, 'AAAA-AAAA-AAAA-AAAA'), 404, 'activation_code_unknown', ['code']);
    expectError(
      await call(h, undefined, 'POST', '/api/v1/provisioning/activate', { code: '' }),
      400,
      'validation_failed',
      ['code', 'os', 'appVersion'],
    );
    for (let i = 0; i < 10; i++) await activate(h, `ZZZZ-ZZZZ-ZZZZ-ZZ${String(i).padStart(2, '0')}`, from);
    const blocked = await activate(h, 'AAAA-AAAA-AAAA-AAAB');
    expectError(blocked, 429, 'rate_limited');
    expect(blocked.body.error.retryAfterSeconds).toBeGreaterThan(0);
    // Even the right code waits until the window ends.
    const s = await signUp(h);
    const { device } = await setup(h, s);
    const { code } = (await call(h, s, 'GET', `/api/v1/devices/${device.id}/activation`)).body;
    expectError(await activate(h, code), 429, 'rate_limited');
    h.clock.now += 16 * 60_000;
    expect((await activate(h, code)).status).toBe(200);
  });
});
