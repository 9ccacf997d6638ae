// Stream direction (RFC 4566 §6 / RFC 8866 §6.7; negotiation RFC 3264 §5.1, §6.1, §8.4).
//
// Directions are from the point of view of the party that wrote the SDP: `sendonly` in an
// offer means "I will send, do not send to me".

import type { HasAttributes } from './attributes.ts';
import type { SdpAttribute, SdpConnection } from './sdp-model.ts';

export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export const MEDIA_DIRECTIONS: readonly MediaDirection[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

export const canSend = (d: MediaDirection): boolean => d === 'sendrecv' || d === 'sendonly';
export const canReceive = (d: MediaDirection): boolean => d === 'sendrecv' || d === 'recvonly';

export function directionOf(send: boolean, receive: boolean): MediaDirection {
  if (send) return receive ? 'sendrecv' : 'sendonly';
  return receive ? 'recvonly' : 'inactive';
}

/** The direction of the other side, as it would write it: sendonly ⇄ recvonly. */
export function reverseDirection(d: MediaDirection): MediaDirection {
  return directionOf(canReceive(d), canSend(d));
}

/**
 * The direction attribute of a media section, falling back to the session level, then to
 * `sendrecv` (RFC 3264 §5.1: "If none is present, sendrecv is assumed").
 */
export function readDirection(media: HasAttributes, session?: HasAttributes): MediaDirection {
  return explicitDirection(media) ?? (session ? explicitDirection(session) : undefined) ?? 'sendrecv';
}

function explicitDirection(section: HasAttributes): MediaDirection | undefined {
  for (const a of section.attributes) {
    const name = a.name.toLowerCase();
    if (a.value === undefined && (MEDIA_DIRECTIONS as readonly string[]).includes(name))
      return name as MediaDirection;
  }
  return undefined;
}

/**
 * RFC 2543 §B.5 put a call on hold with `c=IN IP4 0.0.0.0`. RFC 3264 §8.4 keeps it legal for
 * backwards compatibility; such a party cannot receive media whatever its attribute says.
 */
export function isHoldAddress(connection: SdpConnection | undefined): boolean {
  if (!connection) return false;
  // NOTE: `::` is the IPv6 spelling some stacks use for the same purpose.
  return connection.address === '0.0.0.0' || connection.address === '::';
}

/**
 * The effective direction of a remote media section: its attribute, corrected for the
 * RFC 2543 hold address (the sender cannot receive, so it is at most sendonly).
 * NOTE: with ICE, `c=IN IP4 0.0.0.0` (port 9) is the trickle placeholder of RFC 8840 §4.1.1.1,
 * not a hold; pass `usesIce` so it is not mistaken for one.
 */
export function effectiveDirection(
  declared: MediaDirection,
  connection: SdpConnection | undefined,
  usesIce = false,
): MediaDirection {
  return !usesIce && isHoldAddress(connection) ? directionOf(canSend(declared), false) : declared;
}

/**
 * RFC 3264 §6.1: the answer's direction for an offered stream. The answerer may send only if
 * the offerer receives, and may receive only if the offerer sends; within that, `local` says
 * what the answerer wants (e.g. `sendonly` when it puts the call on hold).
 */
export function answerDirection(offered: MediaDirection, local: MediaDirection = 'sendrecv'): MediaDirection {
  return directionOf(canReceive(offered) && canSend(local), canSend(offered) && canReceive(local));
}

/** True when `d` puts the other side on hold (we stop receiving: RFC 3264 §8.4). */
export const isHoldDirection = (d: MediaDirection): boolean => !canReceive(d);

export const directionAttribute = (d: MediaDirection): SdpAttribute => ({ name: d });

/** Whether a section carries an explicit direction attribute. */
export function hasExplicitDirection(section: HasAttributes): boolean {
  return explicitDirection(section) !== undefined;
}
