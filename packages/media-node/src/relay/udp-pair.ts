import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { PortAllocator } from '../port/port-allocator.ts';

/** The sockets of one leg: RTP on an even port, RTCP on the next (none with rtcp-mux). */
export interface UdpPair {
  readonly rtpPort: number;
  readonly rtp: Socket;
  readonly rtcp: Socket | undefined;
}

// An IP literal needs no DNS: answering synchronously spares each send a lookup and a tick.
// (A colon is enough to tell IPv6 here: the address is already a literal.)
const literalLookup = (
  address: string,
  _options: unknown,
  callback: (err: Error | null, address: string, family: number) => void,
): void => callback(null, address, address.includes(':') ? 6 : 4);

function bindSocket(address: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type: isIPv6(address) ? 'udp6' : 'udp4', lookup: literalLookup });
    const onError = (err: Error): void => {
      socket.close();
      reject(err);
    };
    socket.once('error', onError);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

/**
 * Binds a pair from the allocator. A port some other program holds is skipped (and goes back
 * to the end of the pool); after `attempts` failures the last error is thrown.
 */
export async function bindUdpPair(
  ports: PortAllocator,
  address: string,
  rtcpMux: boolean,
  attempts = 16,
): Promise<UdpPair> {
  let lastError: unknown = new Error('RTP port range exhausted');
  for (let i = 0; i < attempts; i++) {
    const rtpPort = ports.allocate();
    if (rtpPort === undefined) break;
    let rtp: Socket | undefined;
    try {
      rtp = await bindSocket(address, rtpPort);
      const rtcp = rtcpMux ? undefined : await bindSocket(address, rtpPort + 1);
      return { rtpPort, rtp, rtcp };
    } catch (err) {
      rtp?.close();
      ports.release(rtpPort);
      lastError = err;
    }
  }
  throw lastError;
}

export function closeUdpPair(pair: UdpPair, ports: PortAllocator): void {
  pair.rtp.close();
  pair.rtcp?.close();
  ports.release(pair.rtpPort);
}
