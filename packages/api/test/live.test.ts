// The live WebSockets over a real socket: portals get device and SIP status changes; devices are
// told about new configurations and about being deactivated.
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { BACKENDS, binding, call, signUp, useApi, type Harness, type Session } from './harness.ts';

/** A WebSocket client that queues JSON messages and can wait for one matching a predicate. */
class Client {
  readonly messages: Record<string, unknown>[] = [];
  private waiters: {
    match: (m: Record<string, unknown>) => boolean;
    resolve: (m: Record<string, unknown>) => void;
  }[] = [];
  closed: Promise<{ code: number; reason: string }>;
  readonly opened: Promise<void>;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as Record<string, unknown>;
      this.messages.push(m);
      for (const w of [...this.waiters]) {
        if (w.match(m)) {
          this.waiters = this.waiters.filter((x) => x !== w);
          w.resolve(m);
        }
      }
    });
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
    this.closed = new Promise((resolve) =>
      ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
  }

  next(match: (m: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    const seen = this.messages.find(match);
    if (seen) {
      this.messages.splice(this.messages.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }
}

async function listen(h: Harness): Promise<string> {
  if (!h.app.server.listening) await h.app.listen({ host: '127.0.0.1', port: 0 });
  return `ws://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
}

async function activatedDevice(h: Harness, s: Session) {
  const pbx = (await call(h, s, 'GET', '/api/v1/providers')).body.items[0].id;
  const account = (
    await call(h, s, 'POST', `/api/v1/providers/${pbx}/accounts`, { username: '7001', password: 'pw-7001' })
  ).body;
  const contact = (
    await call(h, s, 'POST', '/api/v1/contacts', {
      firstName: 'Live',
      lastName: 'User',
      emails: [{ address: 'live@example.com', label: 'home' }],
    })
  ).body;
  const device = (
    await call(h, s, 'POST', `/api/v1/contacts/${contact.id}/devices`, {
      name: 'Live phone',
      accountIds: [account.id],
    })
  ).body;
  const { code } = (await call(h, s, 'GET', `/api/v1/devices/${device.id}/activation`)).body;
  const { deviceToken } = (
    await call(h, undefined, 'POST', '/api/v1/provisioning/activate', {
      code,
      os: 'Android',
      appVersion: '1.0',
    })
  ).body;
  return { pbx, account, device, deviceToken: deviceToken as string };
}

describe.each(BACKENDS)('live channels on %s', (backend) => {
  const h = useApi(backend);

  it('pushes device status and SIP status changes to the portal', async () => {
    const base = await listen(h);
    const s = await signUp(h);
    const portal = new Client(new WebSocket(`${base}/api/v1/live`, { headers: { cookie: s.cookie } }));
    await portal.opened;
    expect(await portal.next((m) => m.type === 'hello')).toEqual({ type: 'hello', tenantId: s.tenantId });
    const { account, device, deviceToken } = await activatedDevice(h, s);
    const online = await portal.next(
      (m) => m.type === 'device' && (m.device as { status: string }).status === 'online',
    );
    expect(online.device).toMatchObject({ id: device.id, os: 'Android' });
    // The phone registers to the PBX: the registrar's event makes the account Online in the portal.
    const b = binding(s.tenantId, '7001', h.clock.now + 3600_000);
    await h.locations.replace(s.tenantId, '7001', [b]);
    h.events.publish({ type: 'registration', change: { kind: 'added', binding: b } });
    expect(await portal.next((m) => m.type === 'account' && m.sipStatus === 'online')).toEqual({
      type: 'account',
      accountId: account.id,
      providerId: account.providerId,
      sipStatus: 'online',
    });
    await h.locations.replace(s.tenantId, '7001', []);
    h.events.publish({
      type: 'registration',
      change: { kind: 'removed', binding: b, reason: 'unregistered' },
    });
    await portal.next((m) => m.type === 'account' && m.sipStatus === 'offline');
    // Offline after the heartbeat timeout, pushed by the presence sweep.
    h.clock.now += 95_000;
    await h.api.sweepPresence();
    const offline = await portal.next(
      (m) => m.type === 'device' && (m.device as { status: string }).status === 'offline',
    );
    expect((offline.device as { id: string }).id).toBe(device.id);
    await call(
      h,
      { headers: { authorization: `Bearer ${deviceToken}` } },
      'POST',
      '/api/v1/provisioning/heartbeat',
      {},
    );
    await portal.next((m) => m.type === 'device' && (m.device as { status: string }).status === 'online');
    portal.ws.close();
  });

  it('refuses portal connections without credentials or from another origin', async () => {
    const base = await listen(h);
    const s = await signUp(h);
    await expect(new Client(new WebSocket(`${base}/api/v1/live`)).opened).rejects.toThrow('HTTP 401');
    await expect(
      new Client(
        new WebSocket(`${base}/api/v1/live`, {
          headers: { cookie: s.cookie, origin: 'https://evil.example' },
        }),
      ).opened,
    ).rejects.toThrow('HTTP 403');
    const token = (await call(h, s, 'POST', '/api/v1/auth/tokens', { name: 'live' })).body.token;
    const scripted = new Client(
      new WebSocket(`${base}/api/v1/live`, {
        headers: { authorization: `Bearer ${token}`, origin: 'https://elsewhere.example' },
      }),
    );
    await scripted.opened;
    await scripted.next((m) => m.type === 'hello');
    scripted.ws.close();
  });

  it('tells a device about a new configuration, then that it was deactivated', async () => {
    const base = await listen(h);
    const s = await signUp(h);
    const { pbx, account, device, deviceToken } = await activatedDevice(h, s);
    const phone = new Client(new WebSocket(`${base}/api/v1/provisioning/live`));
    await phone.opened;
    phone.ws.send(JSON.stringify({ type: 'auth', token: deviceToken }));
    const hello = await phone.next((m) => m.type === 'hello');
    expect(hello).toMatchObject({ configVersion: device.configVersion, heartbeatIntervalSeconds: 30 });
    await call(h, s, 'PATCH', `/api/v1/providers/${pbx}/accounts/${account.id}`, { displayName: 'Changed' });
    expect(await phone.next((m) => m.type === 'config-changed')).toEqual({
      type: 'config-changed',
      configVersion: device.configVersion + 1,
    });
    // While the channel is open the device stays Online, even past the heartbeat timeout.
    h.clock.now += 200_000;
    expect((await call(h, s, 'GET', `/api/v1/devices/${device.id}`)).body.status).toBe('online');
    phone.ws.send(JSON.stringify({ type: 'lines', lines: [{ accountId: account.id, state: 'registered' }] }));
    await expect
      .poll(async () => (await call(h, s, 'GET', `/api/v1/devices/${device.id}`)).body.lines[0].state)
      .toBe('registered');
    await call(h, s, 'POST', `/api/v1/devices/${device.id}/activation/reset`);
    expect(await phone.next((m) => m.type === 'deactivated')).toEqual({
      type: 'deactivated',
      reason: 'reset',
    });
    expect((await phone.closed).code).toBe(4403);
    // A revoked token cannot open the channel again.
    const again = new Client(
      new WebSocket(`${base}/api/v1/provisioning/live`, {
        headers: { authorization: `Bearer ${deviceToken}` },
      }),
    );
    expect((await again.closed).code).toBe(4401);
  });
});
