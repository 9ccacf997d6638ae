// The PBX's media port with browser legs: the media engine's relays plus the WebRTC gateway
// (ICE-lite, DTLS-SRTP on worker threads), each WebRTC leg bridged to one relay leg.
import {
  createWebRtcGateway,
  type MediaEngine,
  type PortRange,
  type WebRtcCounters,
  type WebRtcGateway,
} from '@switchboard/media-node';
import type { MediaPort } from '@switchboard/pbx';

export interface WebRtcMedia {
  readonly port: MediaPort;
  readonly gateway: WebRtcGateway;
  counters(): Promise<WebRtcCounters>;
  close(): Promise<void>;
}

/**
 * Splits RTP_PORTS: the first three quarters for relay legs (two ports each), the last quarter
 * for browser legs (one port each, ICE and DTLS-SRTP multiplexed with rtcp-mux).
 */
export function splitRtpPorts(range: PortRange): { relay: PortRange; webrtc: PortRange } {
  const cut = range.min + Math.floor(((range.max - range.min + 1) * 3) / 4);
  const even = cut - (cut & 1);
  return { relay: { min: range.min, max: even - 1 }, webrtc: { min: even, max: range.max } };
}

export async function startWebRtcMedia(
  engine: MediaEngine,
  options: {
    readonly workers: number;
    readonly portRange: PortRange;
    /** Where RTP sockets bind (HOST). */
    readonly address: string;
    /** The address browsers reach us at (SIP_PUBLIC_ADDRESS), when not the bind address. */
    readonly publicAddress: string | undefined;
  },
): Promise<WebRtcMedia> {
  // Relay legs bind to HOST; a wildcard is reached over loopback.
  const wildcard = options.address === '0.0.0.0' || options.address === '::';
  const relayAddress = wildcard ? (options.address === '::' ? '::1' : '127.0.0.1') : options.address;
  const gateway = await createWebRtcGateway({
    workers: options.workers,
    portRange: options.portRange,
    address: options.address,
    relayAddress,
    ...(options.publicAddress !== undefined && { candidateAddresses: [options.publicAddress] }),
  });
  return {
    gateway,
    port: {
      createRelay: (relayOptions) => engine.createRelay(relayOptions),
      webrtc: {
        createWebRtcLeg: async ({ relay, inactivityTimeoutMs, delegate }) => {
          const leg = await gateway.createEndpoint({
            media: { address: relayAddress, rtpPort: relay.rtpPort, rtcpPort: relay.rtcpPort },
            ...(inactivityTimeoutMs !== undefined && { inactivityTimeoutMs }),
            ...(delegate && { delegate }),
          });
          return {
            ...leg,
            moveTo: (to) =>
              leg.setMedia({ address: relayAddress, rtpPort: to.rtpPort, rtcpPort: to.rtcpPort }),
          };
        },
      },
    },
    counters: () => gateway.counters(),
    close: () => gateway.close(),
  };
}
