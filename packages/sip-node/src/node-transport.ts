// The SIP transport layer for Node (RFC 3261 §18): UDP, TCP, TLS, WS and WSS behind the one
// SipTransport interface the transaction layer uses. It owns the listeners and the connection
// table, parses what arrives (answering 400 to malformed requests where it can) and hands
// messages up to a TransportReceiver — normally the transaction layer.
//
//   const transport = new NodeTransport({ logger });
//   await transport.listen({ protocol: 'UDP', host: '0.0.0.0', port: 5060 });
//   await transport.listen({ protocol: 'TCP', host: '0.0.0.0', port: 5060 });
//   transport.attachWebSocket(httpServer);            // SIP over WS on the HTTP port
//   transport.setReceiver(transactionLayer);          // receive(message, source)
//   …
//   await transport.close();
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type {
  ConnectionCloseReason,
  ConnectionInfo,
  Destination,
  HostPort,
  MessageSource,
  SipRequest,
  SipResponse,
  SipTransport,
  TransportProtocol,
  TransportReceiver,
} from '@switchboard/sip';
import { addressKey, ipFamily, normalizeHost } from './address.ts';
import type { Connection, ConnectionOwner } from './connection.ts';
import { ConnectionTable } from './connection-table.ts';
import { TransportCounters } from './counters.ts';
import { intake, type IntakeContext } from './message-intake.ts';
import {
  resolveOptions,
  type NodeTransportOptions,
  type ResolvedOptions,
  type TlsOptions,
} from './options.ts';
import { concreteHost } from './local-address.ts';
import { StreamConnection } from './stream-connection.ts';
import { connectStream, StreamListener } from './stream-listener.ts';
import { UdpListener } from './udp-listener.ts';
import { WebSocketConnection } from './websocket-connection.ts';
import {
  listenWebSocketServer,
  WebSocketAttachment,
  type WebSocketAttachOptions,
} from './websocket-listener.ts';

/** What to listen on. TLS and standalone WSS need a certificate. */
export interface ListenSpec {
  readonly protocol: 'UDP' | 'TCP' | 'TLS' | 'WS' | 'WSS';
  /** IP to bind; `0.0.0.0` all IPv4, `::` all IPv6 and IPv4 (dual-stack). */
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly tls?: TlsOptions;
}

/** A bound listener: where the transport receives. */
export interface ListeningPoint {
  readonly protocol: TransportProtocol;
  readonly host: string;
  readonly port: number;
}

/** A send that could not be done (no listener, no route, connection refused or closed). */
export class TransportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransportError';
  }
}

export class NodeTransport implements SipTransport, ConnectionOwner {
  readonly options: ResolvedOptions;
  readonly counters = new TransportCounters();
  private receiver: TransportReceiver | undefined;
  private readonly table: ConnectionTable;
  private readonly udp: UdpListener[] = [];
  private readonly streams: StreamListener[] = [];
  private readonly attachments: WebSocketAttachment[] = [];
  private readonly ownHttpServers: (HttpServer | HttpsServer)[] = [];
  private readonly points: ListeningPoint[] = [];
  private readonly connecting = new Map<string, Promise<Connection>>();
  private closing = false;

  constructor(options: NodeTransportOptions = {}) {
    this.options = resolveOptions(options);
    this.table = new ConnectionTable(this.options);
  }

  /** Where received messages and connection news go (the transaction layer). */
  setReceiver(receiver: TransportReceiver): void {
    this.receiver = receiver;
  }

  async listen(spec: ListenSpec): Promise<ListeningPoint> {
    if (this.closing) throw new TransportError('transport is closed');
    let local: HostPort;
    switch (spec.protocol) {
      case 'UDP': {
        const listener = await UdpListener.bind(this, spec.host, spec.port);
        this.udp.push(listener);
        local = listener.local;
        break;
      }
      case 'TCP':
      case 'TLS': {
        const listener = await StreamListener.listen(this, spec.protocol, spec.host, spec.port, spec.tls);
        this.streams.push(listener);
        local = listener.local;
        break;
      }
      case 'WS':
      case 'WSS': {
        if (spec.protocol === 'WSS' && spec.tls === undefined)
          throw new TransportError('WSS needs a certificate and key');
        const { server, local: bound } = await listenWebSocketServer(spec.host, spec.port, spec.tls);
        this.ownHttpServers.push(server);
        this.attachWebSocket(server, { secure: spec.protocol === 'WSS' });
        local = bound;
        break;
      }
    }
    const point = { protocol: spec.protocol, host: local.host, port: local.port };
    this.points.push(point);
    this.options.logger.info({ ...point }, 'SIP listening');
    return point;
  }

  /**
   * Takes SIP-over-WebSocket upgrades on an HTTP(S) server the application runs. The caller
   * still owns the server: closing this transport detaches from it but does not close it.
   */
  attachWebSocket(
    server: HttpServer | HttpsServer,
    options: WebSocketAttachOptions = {},
  ): WebSocketAttachment {
    const attachment = new WebSocketAttachment(this, server, options);
    this.attachments.push(attachment);
    return attachment;
  }

  /** Every address the transport receives on (attached HTTP servers once they listen). */
  listeningPoints(): ListeningPoint[] {
    const attached: ListeningPoint[] = [];
    for (const attachment of this.attachments) {
      if (this.ownHttpServers.includes(attachment.server)) continue;
      const address = attachment.server.address();
      if (address !== null && typeof address === 'object')
        attached.push({
          protocol: attachment.protocol,
          host: normalizeHost(address.address),
          port: address.port,
        });
    }
    return [...this.points, ...attached];
  }

  connection(id: string): ConnectionInfo | undefined {
    return this.table.get(id)?.info();
  }

  connections(): ConnectionInfo[] {
    return [...this.table.all()].map((c) => c.info());
  }

  /** Closes one connection (e.g. an administrator kicking a device). */
  closeConnection(id: string): void {
    this.table.get(id)?.close('local');
  }

  // --- SipTransport ---------------------------------------------------------------------

  send(message: SipRequest | SipResponse, destination: Destination): Promise<void> {
    return this.sendBytes(message.toBytes(), destination);
  }

  /**
   * Sends bytes as they are. A destination with a `connectionId` that is still open goes on
   * that connection (UDP: from that socket); otherwise an open connection to the address is
   * reused, and for TCP/TLS one is opened (§18.1.1, §18.2.2). Rejects with TransportError.
   */
  sendBytes(bytes: Uint8Array, destination: Destination): Promise<void> {
    const { protocol } = destination;
    if (protocol !== 'UDP' || this.closing) return this.sendOnConnection(bytes, destination);
    // UDP, the hot path (every response of the registrar): one promise per datagram.
    let listener: UdpListener;
    try {
      listener = this.udpFor(destination);
    } catch (error) {
      return Promise.reject(this.sendFailed(protocol, error));
    }
    return listener.send(bytes, destination.host, destination.port).then(
      () => this.counters.increment('messages_sent', protocol),
      (error: unknown) => {
        throw this.sendFailed(protocol, error);
      },
    );
  }

  private async sendOnConnection(bytes: Uint8Array, destination: Destination): Promise<void> {
    const { protocol } = destination;
    try {
      if (this.closing) throw new TransportError('transport is closed');
      const connection = await this.connectionFor(destination);
      await connection.send(bytes);
      this.counters.increment('messages_sent', protocol);
    } catch (error) {
      throw this.sendFailed(protocol, error);
    }
  }

  private sendFailed(protocol: TransportProtocol, error: unknown): TransportError {
    this.counters.increment('send_errors', protocol);
    return error instanceof TransportError ? error : new TransportError((error as Error).message);
  }

  /**
   * The address for Via sent-by and Contact toward `destination`: the public address when one
   * is configured, else the listener of that protocol and IP family (on a known connection,
   * the connection's own local IP).
   */
  localAddress(destination: Destination): HostPort {
    const point = this.pointFor(destination);
    const { publicAddress } = this.options;
    const connection =
      destination.connectionId !== undefined ? this.table.get(destination.connectionId) : undefined;
    const host =
      publicAddress?.host ??
      (connection !== undefined ? connection.local.host : concreteHost(point.host, destination.host));
    return { host, port: publicAddress?.port ?? point.port };
  }

  /** Stops listening, ends every connection, and resolves when all sockets are closed. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const attachment of this.attachments) attachment.detach();
    const waits: Promise<void>[] = this.streams.map((s) => s.close());
    for (const server of this.ownHttpServers) {
      waits.push(new Promise((resolve) => server.close(() => resolve())));
      server.closeAllConnections();
    }
    const connections = [...this.table.all()];
    for (const connection of connections) connection.close('local');
    waits.push(...connections.map((c) => c.finished));
    waits.push(...this.udp.map((u) => u.close()));
    await Promise.all(waits);
  }

  // --- inbound --------------------------------------------------------------------------

  /** UdpListenerOwner */
  onDatagram(listener: UdpListener, bytes: Uint8Array, from: HostPort): void {
    if (isKeepAliveDatagram(bytes)) {
      this.counters.increment('keepalive_datagrams', 'UDP');
      return;
    }
    const source: MessageSource = {
      protocol: 'UDP',
      remote: from,
      local: { host: concreteHost(listener.local.host, from.host), port: listener.local.port },
      connectionId: listener.id,
    };
    intake(this.intakeContext(), bytes, source, (reply) => listener.send(reply, from.host, from.port));
  }

  /** UdpListenerOwner: UDP errors (ICMP unreachable and the like) are logged, never fatal. */
  onListenerError(listener: UdpListener, error: Error): void {
    this.options.logger.debug({ listener: listener.local, error: error.message }, 'UDP socket error');
  }

  /** StreamListenerOwner: an accepted TCP socket or a TLS socket past its handshake. */
  onSocket(listener: StreamListener, socket: Socket): void {
    socket.on('error', () => {}); // errors before the connection wraps it must not crash us
    if (this.closing || !this.admit(listener.protocol, socket.remoteAddress ?? '')) {
      socket.destroy();
      return;
    }
    this.adopt(new StreamConnection(this, socket, listener.protocol, 'inbound'));
  }

  /** WebSocketOwner */
  admit(protocol: TransportProtocol, host: string): boolean {
    if (this.closing) return false;
    const admission = this.table.admit(host);
    if (!admission.admitted) {
      this.counters.increment('connections_rejected', protocol);
      this.options.logger.warn(
        { protocol, remote: host },
        'SIP connection refused: connection limit reached',
      );
      return false;
    }
    if (admission.evicted !== undefined) {
      this.counters.increment('connections_evicted', admission.evicted.protocol);
      this.options.logger.info(
        { connectionId: admission.evicted.id, remote: admission.evicted.remote },
        'evicting a connection that never sent a message, to admit a new one',
      );
      admission.evicted.close('evicted');
    }
    return true;
  }

  /** WebSocketOwner */
  onWebSocket(socket: WebSocket, protocol: 'WS' | 'WSS', remote: HostPort, local: HostPort): void {
    this.adopt(new WebSocketConnection(this, socket, protocol, remote, local));
  }

  /** ConnectionOwner */
  onMessageBytes(connection: Connection, bytes: Uint8Array): void {
    const source: MessageSource = {
      protocol: connection.protocol,
      remote: connection.remote,
      local: connection.local,
      connectionId: connection.id,
    };
    intake(this.intakeContext(), bytes, source, (reply) => connection.send(reply));
  }

  /** ConnectionOwner */
  onConnectionClosed(connection: Connection, reason: ConnectionCloseReason): void {
    this.table.remove(connection);
    this.counters.increment('connections_closed', connection.protocol);
    this.options.logger.debug(
      { connectionId: connection.id, remote: connection.remote, reason },
      'SIP connection closed',
    );
    try {
      this.receiver?.connectionClosed?.(connection.info(), reason);
    } catch (error) {
      this.options.logger.error({ error: (error as Error).stack }, 'connectionClosed handler threw');
    }
  }

  private intakeContext(): IntakeContext {
    return { options: this.options, counters: this.counters, receiver: this.receiver };
  }

  // --- outbound -------------------------------------------------------------------------

  private adopt(connection: Connection): void {
    this.table.add(connection);
    this.counters.increment('connections_opened', connection.protocol);
    this.options.logger.debug(
      { connectionId: connection.id, remote: connection.remote, direction: connection.direction },
      'SIP connection opened',
    );
  }

  private udpFor(destination: Destination): UdpListener {
    if (destination.connectionId !== undefined) {
      const byId = this.udp.find((u) => u.id === destination.connectionId);
      if (byId !== undefined && byId.canReach(destination.host)) return byId;
    }
    const listener = this.udp.find((u) => u.canReach(destination.host));
    if (listener === undefined)
      throw new TransportError(
        `no UDP listener can reach ${destination.host} (IPv${ipFamily(destination.host) || 4})`,
      );
    return listener;
  }

  private async connectionFor(destination: Destination): Promise<Connection> {
    const { protocol, host, port, connectionId } = destination;
    if (connectionId !== undefined) {
      const byId = this.table.get(connectionId);
      if (byId !== undefined && byId.protocol === protocol) return byId;
    }
    const open = this.table.find(protocol, host, port);
    if (open !== undefined) return open;
    if (protocol !== 'TCP' && protocol !== 'TLS')
      throw new TransportError(
        `no open ${protocol} connection to ${host}:${port} (a server cannot open one)`,
      );
    // One connect per destination at a time; concurrent sends wait for the same one.
    const key = addressKey(protocol, host, port);
    let pending = this.connecting.get(key);
    if (pending === undefined) {
      pending = this.openStream(protocol, host, port).finally(() => this.connecting.delete(key));
      this.connecting.set(key, pending);
    }
    return pending;
  }

  private async openStream(protocol: 'TCP' | 'TLS', host: string, port: number): Promise<Connection> {
    const socket = await connectStream(this.options, protocol, host, port);
    if (this.closing) {
      socket.destroy();
      throw new TransportError('transport is closed');
    }
    const connection = new StreamConnection(this, socket, protocol, 'outbound');
    this.adopt(connection);
    return connection;
  }

  private pointFor(destination: Destination): ListeningPoint {
    const family = ipFamily(destination.host);
    const points = this.listeningPoints();
    const candidates = points.filter((p) => p.protocol === destination.protocol);
    const sameFamily = candidates.find((p) => family === 0 || ipFamily(p.host) === family || p.host === '::');
    const point = sameFamily ?? candidates[0] ?? points[0];
    if (point === undefined) throw new TransportError('the transport listens nowhere');
    return point;
  }
}

/** CRLF / NUL / space only: a NAT keep-alive some phones send over UDP, not a SIP message. */
function isKeepAliveDatagram(bytes: Uint8Array): boolean {
  if (bytes.length > 8) return false;
  for (const b of bytes) if (b !== 0x0d && b !== 0x0a && b !== 0x00 && b !== 0x20) return false;
  return true;
}
