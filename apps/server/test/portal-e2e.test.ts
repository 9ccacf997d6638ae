// End to end over real sockets: the server sends mail to a real SMTP server (smtp-server on
// port 0); an administrator registers (confirming the address from the e-mail), sets up an
// extension, a contact and a device, e-mails the activation instructions; the "phone" reads the
// e-mail, activates with its code, fetches its configuration and registers to the PBX with it
// (SIP REGISTER with digest auth over UDP) — and the portal API shows the account Online.
import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DigestClient, parseMessage, SipResponse } from '@switchboard/sip';
import type { ActivateResponse, DeviceConfig } from '@switchboard/contracts';
import { loadConfig } from '../src/config.ts';
import { startServer, type RunningServer } from '../src/server.ts';
import { randomRtpPorts } from './harness.ts';
import { leaves, parseMime } from './mime.ts';

interface Mail {
  readonly to: string[];
  readonly raw: string;
}

class MailCatcher {
  readonly mails: Mail[] = [];
  private waiters: { to: string; resolve: (m: Mail) => void }[] = [];
  readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo: (address, _session, callback) => {
      if (address.address.startsWith('bounce@')) callback(new Error('550 no such mailbox'));
      else callback();
    },
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mail = {
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        };
        this.mails.push(mail);
        for (const w of [...this.waiters]) {
          if (mail.to.includes(w.to)) {
            this.waiters = this.waiters.filter((x) => x !== w);
            w.resolve(mail);
          }
        }
        callback();
      });
    },
  });

  /** The next mail to `to` (bounded by the test timeout). */
  next(to: string): Promise<Mail> {
    const seen = this.mails.findIndex((m) => m.to.includes(to));
    if (seen >= 0) return Promise.resolve(this.mails.splice(seen, 1)[0]!);
    return new Promise((resolve) => this.waiters.push({ to, resolve }));
  }
}

/** One SIP request over UDP and its final response (provisional ones skipped). */
async function sipRequest(socket: Socket, port: number, text: string): Promise<SipResponse> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no SIP response within 5 s')), 5_000);
    const onMessage = (data: Buffer): void => {
      const parsed = parseMessage(new Uint8Array(data));
      if (
        parsed.kind !== 'message' ||
        !(parsed.message instanceof SipResponse) ||
        parsed.message.status < 200
      )
        return;
      clearTimeout(timer);
      socket.off('message', onMessage);
      resolve(parsed.message);
    };
    socket.on('message', onMessage);
    socket.send(text, port, '127.0.0.1');
  });
}

function register(
  account: DeviceConfig['accounts'][number],
  localPort: number,
  cseq: number,
  callId: string,
  extra = '',
): string {
  const aor = `sip:${account.username}@${account.domain}`;
  return (
    `REGISTER sip:${account.domain} SIP/2.0\r\n` +
    `Via: SIP/2.0/UDP 127.0.0.1:${localPort};branch=z9hG4bK${randomBytes(8).toString('hex')};rport\r\n` +
    `Max-Forwards: 70\r\n` +
    `From: <${aor}>;tag=${randomBytes(4).toString('hex')}\r\n` +
    `To: <${aor}>\r\n` +
    `Call-ID: ${callId}\r\n` +
    `CSeq: ${cseq} REGISTER\r\n` +
    `Contact: <sip:${account.username}@127.0.0.1:${localPort}>\r\n` +
    `Expires: 120\r\n` +
    extra +
    `User-Agent: switchboard-e2e\r\n` +
    `Content-Length: 0\r\n\r\n`
  );
}

describe('portal end to end over SMTP and SIP', () => {
  const smtp = new MailCatcher();
  let server: RunningServer;
  let dataDir: string;
  let base: string;
  let cookie = '';

  const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(cookie ? { cookie } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined };
  };

  beforeAll(async () => {
    await new Promise<void>((resolve) => smtp.server.listen(0, '127.0.0.1', resolve));
    const smtpPort = (smtp.server.server.address() as AddressInfo).port;
    dataDir = await mkdtemp(join(tmpdir(), 'switchboard-e2e-'));
    const config = loadConfig(
      {
        HTTP_PORT: '0',
        SIP_PORT: '0',
        RTP_PORTS: randomRtpPorts(),
        DATA_DIR: dataDir,
        HOST: '127.0.0.1',
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}?from=Switchboard%20%3Cpbx%40example.test%3E`,
        LOG_LEVEL: 'silent',
      },
      {},
    );
    server = await startServer(config);
    base = `http://127.0.0.1:${server.httpPort}`;
  });

  afterAll(async () => {
    await server?.close();
    await new Promise<void>((resolve) => smtp.server.close(() => resolve()));
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('registers an admin, e-mails activation instructions, activates from the e-mail and registers to the PBX', async () => {
    // 0. The API is mounted: its OpenAPI document, its error envelope under /api/v1.
    expect((await api('GET', '/api/v1/openapi.json')).json.info.title).toBe('Switchboard API');
    const missing = await api('GET', '/api/v1/no-such-thing');
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('not_found');

    // 1. Registration; the confirmation link arrives over SMTP.

    const email = 'owner@example.test';
    const password = 'a long enough secret';
    const reg = await api('POST', '/api/v1/auth/register', {
      firstName: 'Olive',
      lastName: 'Owner',
      email,
      password,
      passwordConfirmation: password,
      privacyAccepted: true,
      organisationName: 'E2E Corp',
    });
    expect(reg.status).toBe(201);
    const confirmation = parseMime((await smtp.next(email)).raw);
    expect(confirmation.headers.from).toBe('Switchboard <pbx@example.test>');
    const confirmText = leaves(confirmation).find((p) =>
      p.headers['content-type']?.startsWith('text/plain'),
    )!.body;
    const token = /confirm-email\?token=([A-Za-z0-9_-]+)/.exec(confirmText)![1]!;
    expect((await api('POST', '/api/v1/auth/confirm-email', { token })).status).toBe(204);
    const login = await api('POST', '/api/v1/auth/login', { email, password });
    expect(login.status).toBe(200);
    expect(login.json.organisation).toMatchObject({ name: 'E2E Corp', isDefault: true });
    cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect((await api('GET', '/api/v1/mail/status')).json).toEqual({ delivery: 'smtp' });
    // A registration whose confirmation the mail server refuses says so (the link can be resent).
    const refused = await api('POST', '/api/v1/auth/register', {
      firstName: 'Bo',
      lastName: 'Unce',
      email: 'bounce@example.test',
      password: 'a long enough secret',
      passwordConfirmation: 'a long enough secret',
      privacyAccepted: true,
    });
    expect(refused.status).toBe(201);
    expect(refused.json.confirmationSent).toBe(false);

    // 2. An extension on the built-in PBX, a contact, a device.
    const pbx = (await api('GET', '/api/v1/providers')).json.items[0];
    expect(pbx).toMatchObject({ builtIn: true, host: '127.0.0.1', port: server.sipPort });
    const account = await api('POST', `/api/v1/providers/${pbx.id}/accounts`, {
      username: '2001',
      password: 'ext-2001-secret',
      displayName: 'Zed',
    });
    expect(account.status).toBe(201);
    const contact = await api('POST', '/api/v1/contacts', {
      firstName: 'Zed',
      lastName: 'User',
      emails: [
        { address: 'zed@example.test', label: 'work' },
        { address: 'bounce@example.test', label: 'home' },
      ],
    });
    const device = await api('POST', `/api/v1/contacts/${contact.json.id}/devices`, {
      name: 'Zed softphone',
      accountIds: [account.json.id],
    });
    expect(device.status).toBe(201);

    // 3. A mail server that refuses the address: a clear error, and nothing counts as sent.
    const bounced = await api('POST', `/api/v1/devices/${device.json.id}/activation/send`, {
      email: 'bounce@example.test',
    });
    expect(bounced.status).toBe(502);
    expect(bounced.json.error.code).toBe('mail_failed');
    expect((await api('GET', `/api/v1/devices/${device.json.id}`)).json.subStatus).toBeNull();
    expect((await api('GET', `/api/v1/devices/${device.json.id}/activation`)).json.code).toMatch(/^\w{4}-/);

    // Send the instructions; read the e-mail (text, HTML and the QR code image).
    const sent = await api('POST', `/api/v1/devices/${device.json.id}/activation/send`, {
      email: 'zed@example.test',
    });
    expect(sent.status).toBe(200);
    expect(sent.json.code).toBeNull();
    const mail = parseMime((await smtp.next('zed@example.test')).raw);
    expect(mail.headers.subject).toBe('Activate your softphone: Zed softphone');
    const parts = leaves(mail);
    const text = parts.find((p) => p.headers['content-type']?.startsWith('text/plain'))!.body;
    const html = parts.find((p) => p.headers['content-type']?.startsWith('text/html'))!.body;
    const png = parts.find((p) => p.headers['content-type']?.startsWith('image/png'))!;
    expect(html).toContain('src="cid:activation-qr"');
    expect(png.headers['content-id']).toBe('<activation-qr>');
    expect([...png.bytes.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    const code = /activation code in the app: ([0-9A-Z-]{19})/.exec(text)![1]!;
    expect(text).toContain(`${base}/phone/?activate=${code}`);
    expect((await api('GET', `/api/v1/devices/${device.json.id}`)).json.subStatus).toBe('instructions_sent');

    // 4. The phone activates with the code and fetches its configuration.
    const activated = await api('POST', '/api/v1/provisioning/activate', {
      code,
      os: 'Linux Desktop',
      appVersion: '0.1.0',
    });
    expect(activated.status).toBe(200);
    const { deviceToken } = activated.json as ActivateResponse;
    const fetched = await api('GET', '/api/v1/provisioning/config', undefined, {
      authorization: `Bearer ${deviceToken}`,
    });
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('etag')).toBe(`"v${fetched.json.version}"`);
    const line = (fetched.json as DeviceConfig).accounts[0]!;
    expect(line).toMatchObject({
      server: '127.0.0.1',
      port: server.sipPort,
      username: '2001',
      password: 'ext-2001-secret',
      domain: 'switchboard.local',
    });
    expect((await api('GET', `/api/v1/providers/${pbx.id}/accounts/${account.json.id}`)).json.sipStatus).toBe(
      'offline',
    );

    // 5. It registers to the PBX with that configuration: 401 challenge, then 200 with digest auth.
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    try {
      const localPort = socket.address().port;
      const callId = `${randomBytes(8).toString('hex')}@127.0.0.1`;
      const first = await sipRequest(socket, line.port, register(line, localPort, 1, callId));
      expect(first.status).toBe(401);
      const digest = new DigestClient({
        credentials: { username: line.authUsername, password: line.password! },
        randomBytes: (n) => new Uint8Array(randomBytes(n)),
      });
      const verdict = digest.handleChallenge({
        status: 401,
        headers: first.headers.getFieldValues('WWW-Authenticate'),
      });
      expect(verdict.ok).toBe(true);
      const auth = digest.authorize({ method: 'REGISTER', requestUri: `sip:${line.domain}` });
      const extra = auth.headers.map((h) => `${h.name}: ${h.value}\r\n`).join('');
      const second = await sipRequest(socket, line.port, register(line, localPort, 2, callId, extra));
      expect(second.status).toBe(200);
    } finally {
      socket.close();
    }

    // The same line over SIP-over-WebSocket at the provisioned websocketUrl (what a browser uses).
    expect(line.websocketUrl).toBe(`ws://127.0.0.1:${server.httpPort}/sip`);
    const ws = new WebSocket(line.websocketUrl!, 'sip');
    try {
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      const wsRequest = (text: string) =>
        new Promise<SipResponse>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error('no SIP response over WebSocket within 5 s')),
            5_000,
          );
          const onMessage = (data: Buffer): void => {
            const parsed = parseMessage(new Uint8Array(data));
            if (
              parsed.kind !== 'message' ||
              !(parsed.message instanceof SipResponse) ||
              parsed.message.status < 200
            )
              return;
            clearTimeout(timer);
            ws.off('message', onMessage);
            resolve(parsed.message);
          };
          ws.on('message', onMessage);
          ws.send(text);
        });
      const wsCallId = `${randomBytes(8).toString('hex')}@browser.invalid`;
      const viaWs = (text: string): string =>
        text
          .replace(/Via: SIP\/2\.0\/UDP [^;]+/, 'Via: SIP/2.0/WS browser.invalid')
          .replace(/<sip:2001@127\.0\.0\.1:\d+>/, '<sip:2001@browser.invalid;transport=ws>');
      const challenged = await wsRequest(viaWs(register(line, 0, 1, wsCallId)));
      expect(challenged.status).toBe(401);
      const wsDigest = new DigestClient({
        credentials: { username: line.authUsername, password: line.password! },
        randomBytes: (n) => new Uint8Array(randomBytes(n)),
      });
      expect(
        wsDigest.handleChallenge({
          status: 401,
          headers: challenged.headers.getFieldValues('WWW-Authenticate'),
        }).ok,
      ).toBe(true);
      const wsAuth = wsDigest.authorize({ method: 'REGISTER', requestUri: `sip:${line.domain}` });
      const ok = await wsRequest(
        viaWs(
          register(line, 0, 2, wsCallId, wsAuth.headers.map((h) => `${h.name}: ${h.value}\r\n`).join('')),
        ),
      );
      expect(ok.status).toBe(200);
    } finally {
      ws.close();
    }

    // 6. The portal sees it: SIP status Online (from the registrar), the device Online.
    const view = await api('GET', `/api/v1/providers/${pbx.id}/accounts/${account.json.id}`);
    expect(view.json).toMatchObject({
      sipStatus: 'online',
      assignedTo: [{ deviceId: device.json.id, deviceName: 'Zed softphone' }],
    });
    expect((await api('GET', `/api/v1/devices/${device.json.id}`)).json).toMatchObject({
      status: 'online',
      subStatus: null,
      os: 'Linux Desktop',
    });
  });
});
