// SIP over WebSocket (RFC 7118) on a node:http or node:https server the application already
// runs, so phones and browsers reach SIP on the HTTP port. Only upgrades that offer the `sip`
// subprotocol (§4: the server must select it) — and, when `path` is set, only that path — are
// taken; other upgrades are left to other handlers on the same server.
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { Server as TlsServer } from 'node:tls';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HostPort } from '@switchboard/sip';
import { normalizeHost } from './address.ts';
import type { ResolvedOptions, TlsOptions } from './options.ts';

export interface WebSocketAttachOptions {
  /** Only this request path (e.g. `/sip`); default: any path whose upgrade offers `sip`. */
  readonly path?: string;
  /** WSS rather than WS; default: true when the server is a node:https (TLS) server. */
  readonly secure?: boolean;
}

export interface WebSocketOwner {
  readonly options: ResolvedOptions;
  /** Whether a new connection from this host is admitted (it may evict an idle one). */
  admit(protocol: 'WS' | 'WSS', host: string): boolean;
  onWebSocket(socket: WebSocket, protocol: 'WS' | 'WSS', remote: HostPort, local: HostPort): void;
}

export const SIP_SUBPROTOCOL = 'sip';

export class WebSocketAttachment {
  private readonly wss: WebSocketServer;
  private readonly onUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;
  readonly protocol: 'WS' | 'WSS';

  constructor(
    private readonly owner: WebSocketOwner,
    readonly server: HttpServer | HttpsServer,
    readonly attachOptions: WebSocketAttachOptions = {},
  ) {
    const { framerLimits } = owner.options;
    this.protocol = (attachOptions.secure ?? server instanceof TlsServer) ? 'WSS' : 'WS';
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      // One WebSocket message is one SIP message (§5.1): bound it like a framed message.
      maxPayload: framerLimits.maxStartLine + 2 + framerLimits.maxHeaderBytes + 2 + framerLimits.maxBodyBytes,
      handleProtocols: (offered) => (offered.has(SIP_SUBPROTOCOL) ? SIP_SUBPROTOCOL : false),
    });
    this.onUpgrade = (request, socket, head) => this.upgrade(request, socket, head);
    server.on('upgrade', this.onUpgrade);
  }

  /** Stops taking upgrades (open WebSocket connections stay; the transport closes those). */
  detach(): void {
    this.server.off('upgrade', this.onUpgrade);
    this.wss.close();
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = this.attachOptions.path;
    if (path !== undefined && pathOf(request.url) !== path) return; // someone else's path
    const offered = (request.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim().toLowerCase());
    if (!offered.includes(SIP_SUBPROTOCOL)) {
      // Our path but not SIP: refuse. Elsewhere: not ours, another handler may take it.
      if (path !== undefined)
        refuse(socket, 400, 'Bad Request', 'the sip WebSocket subprotocol is required (RFC 7118)');
      return;
    }
    const remote = {
      host: normalizeHost(request.socket.remoteAddress ?? ''),
      port: request.socket.remotePort ?? 0,
    };
    const local = {
      host: normalizeHost(request.socket.localAddress ?? ''),
      port: request.socket.localPort ?? 0,
    };
    if (!this.owner.admit(this.protocol, remote.host)) {
      refuse(socket, 503, 'Service Unavailable', 'too many connections');
      return;
    }
    try {
      this.wss.handleUpgrade(request, socket, head, (ws) =>
        this.owner.onWebSocket(ws, this.protocol, remote, local),
      );
    } catch (error) {
      // E.g. another 'upgrade' handler on the same server already took this socket (ws throws
      // "called more than once"): an exception here would escape into the HTTP server.
      this.owner.options.logger.warn(
        { remote, path: pathOf(request.url), error: (error as Error).message },
        'SIP WebSocket upgrade failed',
      );
      socket.destroy();
    }
  }
}

/** A standalone WS/WSS server on its own port; plain HTTP requests get 426 Upgrade Required. */
export async function listenWebSocketServer(
  host: string,
  port: number,
  tls?: TlsOptions,
): Promise<{ server: HttpServer | HttpsServer; local: HostPort }> {
  const handler = (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(426, { Upgrade: 'websocket', 'Content-Type': 'text/plain' });
    res.end('SIP over WebSocket: upgrade with subprotocol "sip"\n');
  };
  const server =
    tls === undefined
      ? createHttpServer(handler)
      : createHttpsServer({ cert: tls.cert as string, key: tls.key as string }, handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, ipv6Only: false }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('WebSocket listener has no address');
  return { server, local: { host: normalizeHost(address.address), port: address.port } };
}

function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function refuse(socket: Duplex, status: number, text: string, body: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
