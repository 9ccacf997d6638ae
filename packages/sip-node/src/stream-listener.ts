// A TCP or TLS listening socket. Accepted sockets go to the owner, which decides admission
// and wraps them in StreamConnections. Outbound connections are opened by connectStream().
import { createServer as createTcpServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { HostPort } from '@switchboard/sip';
import { normalizeHost } from './address.ts';
import type { ResolvedOptions, TlsOptions } from './options.ts';

export interface StreamListenerOwner {
  readonly options: ResolvedOptions;
  onSocket(listener: StreamListener, socket: Socket): void;
}

export class StreamListener {
  private constructor(
    private readonly server: Server,
    readonly protocol: 'TCP' | 'TLS',
    readonly local: HostPort,
  ) {}

  static async listen(
    owner: StreamListenerOwner,
    protocol: 'TCP' | 'TLS',
    host: string,
    port: number,
    tls?: TlsOptions,
  ): Promise<StreamListener> {
    const { options } = owner;
    let server: Server;
    if (protocol === 'TLS') {
      if (tls === undefined) throw new Error('a TLS listener needs a certificate and key');
      const tlsServer = createTlsServer({
        cert: tls.cert as string,
        key: tls.key as string,
        // A peer that connects and never completes the handshake is dropped like a silent one.
        handshakeTimeout: options.headerTimeoutMs,
      });
      // Bound on sockets still in their handshake plus established ones (the table bounds those).
      tlsServer.maxConnections = options.maxConnections * 2;
      tlsServer.on('tlsClientError', (error, socket) => {
        options.logger.debug(
          {
            remote: { host: normalizeHost(socket.remoteAddress ?? ''), port: socket.remotePort },
            error: error.message,
          },
          'TLS handshake failed',
        );
        socket.destroy();
      });
      server = tlsServer;
    } else {
      server = createTcpServer();
    }
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host, ipv6Only: false }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('listener has no address');
    const listener = new StreamListener(server, protocol, {
      host: normalizeHost(address.address),
      port: address.port,
    });
    server.on(protocol === 'TLS' ? 'secureConnection' : 'connection', (socket: Socket) =>
      owner.onSocket(listener, socket),
    );
    server.on('error', (error) =>
      options.logger.error({ protocol, error: error.message }, 'SIP listener error'),
    );
    return listener;
  }

  /** Stops accepting; resolves when the listening socket is closed (open connections are not waited for). */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server.listening) {
        resolve();
        return;
      }
      this.server.once('close', () => resolve());
      this.server.close();
      // 'close' waits for every accepted socket; the transport ends those itself.
    });
  }
}

/** Opens an outbound TCP or TLS connection; rejects on error or after the connect timeout. */
export function connectStream(
  options: ResolvedOptions,
  protocol: 'TCP' | 'TLS',
  host: string,
  port: number,
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    let socket: Socket | TLSSocket;
    const fail = (error: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new Error(`connect to ${host}:${port} timed out after ${options.connectTimeoutMs} ms`)),
      options.connectTimeoutMs,
    );
    const done = (): void => {
      clearTimeout(timer);
      socket.off('error', fail);
      resolve(socket);
    };
    if (protocol === 'TLS') {
      const client = options.tlsClient ?? {};
      socket = tlsConnect(
        {
          host,
          port,
          servername: client.servername ?? (/^[\d.]+$|:/.test(host) ? undefined : host),
          ca: client.ca as string | string[] | undefined,
          cert: client.cert as string | undefined,
          key: client.key as string | undefined,
          rejectUnauthorized: client.rejectUnauthorized ?? true,
        },
        done,
      );
    } else {
      socket = tcpConnect({ host, port }, done);
    }
    socket.once('error', fail);
  });
}
