// Shared pieces of the sip-node tests: SIP text builders, a receiver that answers OPTIONS with
// 200 through the transport (the way the transaction layer would), and small socket clients.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import type {
  ConnectionCloseReason,
  ConnectionInfo,
  MessageSource,
  SipRequest,
  SipResponse,
  TransportReceiver,
} from '@switchboard/sip';
import { createResponse } from '@switchboard/sip';
import type { NodeTransport, TransportLogger } from '@switchboard/sip-node';

let seq = 0;

/** An OPTIONS request as text; `protocol` goes into the Via. */
export function options(protocol = 'UDP', extraHeaders = '', body = ''): string {
  seq++;
  return (
    `OPTIONS sip:uas@127.0.0.1 SIP/2.0\r\n` +
    `Via: SIP/2.0/${protocol} 127.0.0.1:5999;branch=z9hG4bK-test-${seq};rport\r\n` +
    `Max-Forwards: 70\r\nFrom: <sip:tester@127.0.0.1>;tag=t${seq}\r\nTo: <sip:uas@127.0.0.1>\r\n` +
    `Call-ID: call-${seq}@test\r\nCSeq: ${seq} OPTIONS\r\n${extraHeaders}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

export interface Received {
  readonly message: SipRequest | SipResponse;
  readonly source: MessageSource;
}

/** Answers every OPTIONS with 200 back to its source, records everything else. */
export class OptionsAnswerer implements TransportReceiver {
  readonly received: Received[] = [];
  readonly closed: { connection: ConnectionInfo; reason: ConnectionCloseReason }[] = [];
  private closeWaiters: ((c: { connection: ConnectionInfo; reason: ConnectionCloseReason }) => void)[] = [];
  private messageWaiters: ((r: Received) => void)[] = [];

  constructor(private readonly transport: NodeTransport) {
    transport.setReceiver(this);
  }

  receive(message: SipRequest | SipResponse, source: MessageSource): void {
    this.received.push({ message, source });
    for (const waiter of this.messageWaiters.splice(0)) waiter({ message, source });
    if ('method' in message && message.method === 'OPTIONS') {
      const response = createResponse(message, 200);
      void this.transport.send(response, {
        protocol: source.protocol,
        host: source.remote.host,
        port: source.remote.port,
        connectionId: source.connectionId,
      });
    }
  }

  connectionClosed(connection: ConnectionInfo, reason: ConnectionCloseReason): void {
    const entry = { connection, reason };
    this.closed.push(entry);
    for (const waiter of this.closeWaiters.splice(0)) waiter(entry);
  }

  nextMessage(): Promise<Received> {
    return new Promise((resolve) => this.messageWaiters.push(resolve));
  }

  /** Resolves with the first close (past or future) matching `match`. */
  closeOf(match: (c: ConnectionInfo) => boolean): Promise<ConnectionCloseReason> {
    const seen = this.closed.find((c) => match(c.connection));
    if (seen) return Promise.resolve(seen.reason);
    return new Promise((resolve) => {
      const wait = (c: { connection: ConnectionInfo; reason: ConnectionCloseReason }): void => {
        if (match(c.connection)) resolve(c.reason);
        else this.closeWaiters.push(wait);
      };
      this.closeWaiters.push(wait);
    });
  }
}

/** A logger that keeps what it was told. */
export function recordingLogger(): TransportLogger & {
  lines: { level: string; message: string; fields: object }[];
} {
  const lines: { level: string; message: string; fields: object }[] = [];
  const at = (level: string) => (fields: object, message: string) =>
    void lines.push({ level, message, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A UDP client socket with a queue of received datagrams. */
export async function udpClient(type: 'udp4' | 'udp6' = 'udp4'): Promise<{
  socket: UdpSocket;
  send(text: string | Uint8Array, port: number, host?: string): void;
  next(): Promise<string>;
  close(): void;
}> {
  const socket = createSocket(type);
  const queue: string[] = [];
  const waiters: ((s: string) => void)[] = [];
  socket.on('message', (m) => {
    const waiter = waiters.shift();
    if (waiter) waiter(m.toString('utf8'));
    else queue.push(m.toString('utf8'));
  });
  await new Promise<void>((resolve) => socket.bind(0, type === 'udp4' ? '127.0.0.1' : '::1', resolve));
  return {
    socket,
    send: (text, port, host = type === 'udp4' ? '127.0.0.1' : '::1') => socket.send(text, port, host),
    next: () => {
      const first = queue.shift();
      return first !== undefined ? Promise.resolve(first) : new Promise((resolve) => waiters.push(resolve));
    },
    close: () => socket.close(),
  };
}

/** A TCP client whose received bytes accumulate in `text`. */
export async function tcpClient(port: number, host = '127.0.0.1'): Promise<StreamClient> {
  const socket = connect({ port, host });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return new StreamClient(socket);
}

export class StreamClient {
  text = '';
  readonly ended: Promise<void>;
  private waiters: { test: () => boolean; resolve: () => void }[] = [];

  constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => {
      this.text += d.toString('utf8');
      this.waiters = this.waiters.filter((w) => (w.test() ? (w.resolve(), false) : true));
    });
    socket.on('error', () => {});
    this.ended = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  write(data: string | Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(data, (e) => (e ? reject(e) : resolve())));
  }

  /** Resolves once `count` SIP responses (status lines) have arrived. */
  responses(count: number): Promise<string[]> {
    const list = (): string[] => this.text.match(/^SIP\/2\.0 \d{3}[^\r]*/gm) ?? [];
    return new Promise((resolve) => {
      const test = (): boolean => list().length >= count;
      if (test()) resolve(list());
      else this.waiters.push({ test, resolve: () => resolve(list()) });
    });
  }

  /** Resolves once `needle` has arrived. */
  waitFor(needle: string): Promise<void> {
    return new Promise((resolve) => {
      const test = (): boolean => this.text.includes(needle);
      if (test()) resolve();
      else this.waiters.push({ test, resolve });
    });
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A throwaway self-signed certificate for 127.0.0.1/localhost, made by the openssl CLI. */
export async function selfSignedCert(): Promise<{ cert: string; key: string }> {
  const { mkdtemp, readFile, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { execFile } = await import('node:child_process');
  const dir = await mkdtemp(join(tmpdir(), 'sip-tls-'));
  try {
    await new Promise<void>((resolve, reject) =>
      execFile(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
          '-addext',
          'subjectAltName=IP:127.0.0.1,DNS:localhost',
        ],
        (error, _stdout, stderr) => (error ? reject(new Error(`openssl failed: ${stderr}`)) : resolve()),
      ),
    );
    return {
      cert: await readFile(join(dir, 'cert.pem'), 'utf8'),
      key: await readFile(join(dir, 'key.pem'), 'utf8'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
