// A TCP or TLS connection: bytes go through the StreamFramer (RFC 3261 §18.3 framing by
// Content-Length, RFC 5626 CRLF keep-alives); framing failures close only this connection.
import type { Socket } from 'node:net';
import type { HostPort, StreamFramerEvent } from '@switchboard/sip';
import { StreamFramer } from '@switchboard/sip';
import { normalizeHost } from './address.ts';
import { Connection, type ConnectionOwner } from './connection.ts';

/** After we end a connection, how long the peer has to finish before the socket is destroyed. */
const END_GRACE_MS = 2_000;

export class StreamConnection extends Connection {
  private readonly framer: StreamFramer;

  constructor(
    owner: ConnectionOwner,
    private readonly socket: Socket,
    protocol: 'TCP' | 'TLS',
    direction: 'inbound' | 'outbound',
  ) {
    super(owner, protocol, direction, remoteOf(socket), localOf(socket));
    this.framer = new StreamFramer(owner.options.framerLimits);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => {
      owner.options.logger.debug({ connectionId: this.id, error: error.message }, 'SIP connection error');
    });
    socket.on('close', () => this.socketClosed());
  }

  protected write(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.write(bytes, (error) => (error ? reject(error) : resolve()));
    });
  }

  protected queuedBytes(): number {
    return this.socket.writableLength;
  }

  protected end(alreadyGone: boolean): void {
    if (alreadyGone || this.socket.destroyed) {
      this.socket.destroy();
      return;
    }
    this.socket.end();
    setTimeout(() => this.socket.destroy(), END_GRACE_MS).unref();
  }

  private onData(chunk: Buffer): void {
    if (this.isClosed) return;
    this.activity();
    const events = this.framer.push(chunk);
    for (const event of events) {
      if (this.isClosed) return;
      this.handle(event);
    }
    if (this.isClosed) return;
    if (this.framer.inMessage) this.messageStarted();
    else this.messageDone();
  }

  private handle(event: StreamFramerEvent): void {
    switch (event.kind) {
      case 'message':
        this.deliver(event.bytes);
        return;
      case 'ping':
        this.pingReceived();
        return;
      case 'pong':
        this.pongReceived();
        return;
      case 'error': {
        const { oversized } = event;
        this.owner.counters.increment(oversized ? 'oversized' : 'framing_errors', this.protocol);
        this.owner.options.logger.warn(
          { connectionId: this.id, remote: this.remote, reason: event.reason },
          'closing SIP connection: cannot frame the stream',
        );
        this.close(oversized ? 'oversized' : 'framing-error');
        return;
      }
    }
  }
}

function remoteOf(socket: Socket): HostPort {
  return { host: normalizeHost(socket.remoteAddress ?? ''), port: socket.remotePort ?? 0 };
}

function localOf(socket: Socket): HostPort {
  return { host: normalizeHost(socket.localAddress ?? ''), port: socket.localPort ?? 0 };
}
