// One UDP socket (IPv4, IPv6, or dual-stack when bound to `::`). Datagrams go up to the
// transport whole: one datagram is one SIP message (RFC 3261 §18.3).
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { HostPort } from '@switchboard/sip';
import { ipFamily, normalizeHost } from './address.ts';

export interface UdpListenerOwner {
  onDatagram(listener: UdpListener, bytes: Uint8Array, from: HostPort): void;
  onListenerError(listener: UdpListener, error: Error): void;
}

const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

let nextId = 1;

export class UdpListener {
  /** Goes into MessageSource.connectionId so that answers leave from the socket the request hit. */
  readonly id = `udp-${nextId++}`;
  private constructor(
    private readonly socket: Socket,
    readonly local: HostPort,
    /** Bound to `::` without ipv6Only: also receives and sends IPv4 (as IPv4-mapped). */
    readonly dualStack: boolean,
    readonly family: 4 | 6,
  ) {}

  static async bind(owner: UdpListenerOwner, host: string, port: number): Promise<UdpListener> {
    const family = ipFamily(host) === 6 ? 6 : 4;
    // A large receive buffer absorbs bursts (the kernel caps it at net.core.rmem_max).
    const socket = createSocket({
      type: family === 6 ? 'udp6' : 'udp4',
      recvBufferSize: RECEIVE_BUFFER_BYTES,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    const address = socket.address();
    const listener = new UdpListener(
      socket,
      { host: normalizeHost(address.address), port: address.port },
      family === 6 && normalizeHost(host) === '::',
      family,
    );
    socket.on('message', (bytes: Buffer, from: RemoteInfo) =>
      owner.onDatagram(listener, bytes, { host: normalizeHost(from.address), port: from.port }),
    );
    // A send error on UDP (e.g. ICMP port unreachable reported on Linux) must not end the socket.
    socket.on('error', (error) => owner.onListenerError(listener, error));
    return listener;
  }

  /** Whether this socket can reach `host` (its family, or IPv4 through a dual-stack socket). */
  canReach(host: string): boolean {
    const family = ipFamily(host);
    if (family === 0) return this.family === 4 || this.dualStack;
    return family === this.family || (family === 4 && this.dualStack);
  }

  send(bytes: Uint8Array, host: string, port: number): Promise<void> {
    const target = this.dualStack && ipFamily(host) === 4 ? `::ffff:${normalizeHost(host)}` : host;
    return new Promise((resolve, reject) => {
      this.socket.send(bytes, port, target, (error) => (error ? reject(error) : resolve()));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      try {
        this.socket.close(() => resolve());
      } catch {
        resolve(); // already closed
      }
    });
  }
}
