// An INVITE leg toward a SIP provider: where it goes and how it is written. CallSession forks
// to it like to a registered device; originateTrunk() calls it for transfers.
import {
  createAudioOffer,
  defaultCodecs,
  type Destination,
  type SessionDescription,
  type UacAuthenticator,
} from '@switchboard/sip';
import type { MediaLocalEndpoint } from '../call/media-port.ts';

export interface TrunkTarget {
  readonly kind: 'trunk';
  readonly trunkId: string;
  readonly trunkName: string;
  /** Request-URI: the number at the provider (`sip:+442079460000@sip.provider.example`). */
  readonly uri: string;
  readonly from: string;
  readonly to: string;
  readonly destination: Destination;
  /** Route (outbound proxy), P-Asserted-Identity (RFC 3325). */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** Answers the provider's 401/407 (RFC 3261 §22.2); undefined without credentials. */
  readonly authenticator: UacAuthenticator | undefined;
  /** The trunk's codec preference, first preferred. */
  readonly codecs: readonly string[];
}

export function isTrunkTarget(target: unknown): target is TrunkTarget {
  return typeof target === 'object' && target !== null && (target as { kind?: unknown }).kind === 'trunk';
}

/** Our offer toward a trunk from a relay leg: the trunk's codecs in its order, then telephone-event. */
export function trunkOffer(
  target: TrunkTarget,
  endpoint: MediaLocalEndpoint,
  sessionId: string,
  direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive' = 'sendrecv',
): SessionDescription {
  const resolved = defaultCodecs.resolve(target.codecs.length > 0 ? [...target.codecs] : ['PCMU', 'PCMA']);
  return createAudioOffer({
    origin: { username: '-', sessionId, address: endpoint.address },
    address: endpoint.address,
    port: endpoint.rtpPort,
    codecs: resolved.ok ? resolved.codecs : [],
    direction,
    ptime: 20,
  });
}
