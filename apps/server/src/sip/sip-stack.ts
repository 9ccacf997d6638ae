// The SIP side of the server: Node transports (UDP and TCP on SIP_PORT, TLS on SIP_PORT+1 when a
// certificate is configured, WebSocket on the HTTP port) under one transaction layer.
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import { hostClock, OverloadGuard, UserAgent, type Clock, type UserAgentDelegate } from '@switchboard/sip';
import {
  EventLoopLag,
  NodeTransport,
  type ListeningPoint,
  type TransportLogger,
} from '@switchboard/sip-node';
import type { Config } from '../config.ts';

export interface SipStack {
  readonly transport: NodeTransport;
  readonly ua: UserAgent;
  readonly clock: Clock;
  /** Overload protection (503 + Retry-After to new requests); `refused` counts them. */
  readonly overload: OverloadGuard;
  readonly listening: readonly ListeningPoint[];
  close(): Promise<void>;
}

export async function startSipStack(
  config: Config,
  delegate: UserAgentDelegate,
  userAgent: string,
  logger: TransportLogger,
  httpServer: HttpServer | undefined,
  onConnectionClosed?: (connectionId: string) => void,
): Promise<SipStack> {
  const transport = new NodeTransport({
    logger,
    ...(config.sipPublicAddress !== undefined && { publicAddress: { host: config.sipPublicAddress } }),
  });
  const clock = hostClock({ setTimeout, clearTimeout, now: () => performance.now() });
  const ua = new UserAgent({ clock, transport, logger, userAgent, contactUser: 'switchboard' }, delegate);
  const lag = config.sipOverload.maxLagMs > 0 ? new EventLoopLag().start() : undefined;
  const overload = new OverloadGuard(
    { pendingRequests: () => ua.layer.pendingServerRequests, lagMs: () => lag?.currentMs ?? 0 },
    config.sipOverload,
  );
  ua.admission = overload;
  transport.setReceiver({
    receive: (message, source) => ua.receive(message, source),
    connectionClosed: (connection) => onConnectionClosed?.(connection.id),
  });
  try {
    // Port 0: one number free for both UDP and TCP (the OS picks each protocol's port apart, so
    // a UDP pick can be another process's TCP listener).
    const port = config.sipPort === 0 ? await freeUdpAndTcpPort(config.host) : config.sipPort;
    const udp = await transport.listen({ protocol: 'UDP', host: config.host, port });
    // TCP shares the UDP port number (RFC 3263 habit), also when the OS picked it.
    await transport.listen({ protocol: 'TCP', host: config.host, port: udp.port });
    if (config.tlsCert !== undefined && config.tlsKey !== undefined) {
      const tls = { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) };
      await transport.listen({
        protocol: 'TLS',
        host: config.host,
        port: udp.port === 0 ? 0 : udp.port + 1,
        tls,
      });
    }
    if (httpServer) transport.attachWebSocket(httpServer);
  } catch (error) {
    lag?.stop();
    await transport.close();
    throw error;
  }
  return {
    transport,
    ua,
    clock,
    overload,
    listening: transport.listeningPoints(),
    close: async () => {
      lag?.stop();
      ua.dispose();
      await transport.close();
    },
  };
}

/** A port the OS gave a TCP listener that UDP can bind too (a few tries). */
async function freeUdpAndTcpPort(host: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const tcp = createServer();
    const port = await new Promise<number>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(0, host, () => resolve((tcp.address() as { port: number }).port));
    });
    const udp = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    const udpFree = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(port, host, () => resolve(true));
    });
    try {
      udp.close();
    } catch {
      // never bound: nothing to close
    }
    await new Promise<void>((resolve) => tcp.close(() => resolve()));
    if (udpFree || attempt >= 20) return port;
  }
}
