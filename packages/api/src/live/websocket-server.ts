// The two live WebSocket channels, on the HTTP server's upgrade event (only their own paths, so
// SIP over WebSocket on the same port keeps working):
//   /api/v1/live              portals: session cookie (same-origin check) or bearer API token
//   /api/v1/provisioning/live devices: `Authorization: Bearer <deviceToken>` on the upgrade, or a
//                             first message `{ "type": "auth", "token": … }` (browsers cannot set headers)
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { LIVE_CLOSE, type DeviceClientMessage, type DeviceLiveMessage } from '@switchboard/contracts';
import type { Device } from '@switchboard/db';
import type { ApiContext } from '../context.ts';
import {
  bearerToken,
  cookieValue,
  DEVICE_TOKEN_PREFIX,
  resolveActor,
  SESSION_COOKIE,
} from '../auth/authenticate.ts';
import { sha256 } from '../auth/secrets.ts';
import { ProvisioningService } from '../provisioning/provisioning-service.ts';
import { publishAccounts, publishDevices } from './notify.ts';

export const PORTAL_LIVE_PATH = '/api/v1/live';
export const DEVICE_LIVE_PATH = '/api/v1/provisioning/live';
const AUTH_TIMEOUT_MS = 10_000;

const pathOf = (url: string | undefined): string => (url ?? '').split('?')[0] ?? '';

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** A cookie-authenticated upgrade must come from a page of this server (no cross-site hijacking). */
function sameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

export class LiveWebSockets {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  private readonly onUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;
  private readonly provisioning: ProvisioningService;

  constructor(
    private readonly ctx: ApiContext,
    private readonly server: Server,
  ) {
    this.provisioning = new ProvisioningService(ctx);
    this.onUpgrade = (request, socket, head) => {
      const path = pathOf(request.url);
      if (path === PORTAL_LIVE_PATH)
        void this.portal(request, socket, head).catch(() => refuse(socket, 500, 'Internal Server Error'));
      else if (path === DEVICE_LIVE_PATH)
        this.wss.handleUpgrade(request, socket, head, (ws) => this.device(ws, request));
    };
    server.on('upgrade', this.onUpgrade);
  }

  close(): void {
    this.server.off('upgrade', this.onUpgrade);
    for (const ws of this.wss.clients) ws.close(1001, 'server shutting down');
    this.wss.close();
  }

  private async portal(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const session = cookieValue(request.headers.cookie, SESSION_COOKIE);
    const bearer = bearerToken(request);
    if (session !== undefined && bearer === undefined && !sameOrigin(request))
      return refuse(socket, 403, 'Forbidden');
    const actor = await resolveActor(this.ctx, { session, bearer, ip: request.socket.remoteAddress ?? '' });
    if (!actor) return refuse(socket, 401, 'Unauthorized');
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      const unsubscribe = this.ctx.hub.subscribeTenant(actor.tenantId, (message) =>
        ws.send(JSON.stringify(message)),
      );
      ws.on('close', unsubscribe);
      ws.on('error', unsubscribe);
      ws.send(JSON.stringify({ type: 'hello', tenantId: actor.tenantId }));
    });
  }

  private device(ws: WebSocket, request: IncomingMessage): void {
    let device: Device | undefined;
    let unsubscribe: (() => void) | undefined;
    const send = (m: DeviceLiveMessage): void => ws.send(JSON.stringify(m));
    const timer = setTimeout(
      () => device === undefined && ws.close(LIVE_CLOSE.unauthenticated, 'authenticate first'),
      AUTH_TIMEOUT_MS,
    );
    timer.unref?.();

    const attach = async (token: string | undefined): Promise<void> => {
      const found = token?.startsWith(DEVICE_TOKEN_PREFIX)
        ? await this.ctx.repos.devices.findByTokenHash(sha256(token))
        : undefined;
      if (!found) {
        ws.close(LIVE_CLOSE.unauthenticated, 'unknown or revoked device token');
        return;
      }
      clearTimeout(timer);
      device = found;
      const wasOnline =
        found.lastSeenAt !== null &&
        this.ctx.now() - found.lastSeenAt.getTime() < this.ctx.deviceOfflineAfterMs;
      unsubscribe = this.ctx.hub.subscribeDevice(found.id, {
        send,
        close: (code, reason) => ws.close(code, reason),
      });
      await this.ctx.repos.devices.touch(found.id, new Date(this.ctx.now()));
      send({
        type: 'hello',
        configVersion: found.configVersion,
        heartbeatIntervalSeconds: this.ctx.heartbeatIntervalSeconds,
      });
      if (!wasOnline) {
        await publishDevices(this.ctx, found.tenantId, [found.id]);
        await publishAccounts(this.ctx, found.tenantId, found.accountIds);
      }
    };

    const fromHeader = bearerToken(request);
    if (fromHeader !== undefined) void attach(fromHeader);

    ws.on('message', (data) => {
      let message: DeviceClientMessage;
      try {
        message = JSON.parse(String(data)) as DeviceClientMessage;
      } catch {
        ws.close(1003, 'send JSON');
        return;
      }
      void this.onDeviceMessage(message, device, attach).catch((err) => {
        this.ctx.log.warn({ err: String(err) }, 'device live message failed');
      });
    });
    ws.on('close', () => {
      clearTimeout(timer);
      unsubscribe?.();
      if (device) {
        // The channel counted as presence: record the moment it ended, so the offline timeout runs from here.
        const d = device;
        void this.ctx.repos.devices
          .touch(d.id, new Date(this.ctx.now()))
          .then(() => publishDevices(this.ctx, d.tenantId, [d.id]))
          .catch(() => undefined);
      }
    });
  }

  private async onDeviceMessage(
    message: DeviceClientMessage,
    device: Device | undefined,
    attach: (token: string | undefined) => Promise<void>,
  ): Promise<void> {
    if (message.type === 'auth') {
      if (device === undefined) await attach(message.token);
      return;
    }
    if (device === undefined) return;
    const current = await this.ctx.repos.devices.findById(device.tenantId, device.id);
    if (!current || current.activatedAt === null) return;
    if (message.type === 'heartbeat') await this.provisioning.heartbeat(current);
    else if (message.type === 'lines') await this.provisioning.lines(current, message.lines);
  }
}
