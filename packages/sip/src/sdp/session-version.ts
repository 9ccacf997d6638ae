// The o= line across a dialog (RFC 3264 §8): every SDP a party sends after its first one keeps
// the same o= line "except that the version in the origin field MUST increment by one from the
// previous SDP. If the version in the origin line does not increment, the SDP MUST be
// identical to the SDP with that version number."

import type { SdpOrigin, SessionDescription } from './sdp-model.ts';
import { serializeSdp } from './sdp-serializer.ts';

/** `sess-version + 1`, exact for any number of digits. */
export function nextSessionVersion(version: string): string {
  return /^[0-9]+$/.test(version) ? (BigInt(version) + 1n).toString() : '1';
}

/**
 * What to send after `previous` (our last SDP in this dialog, offer or answer): `draft` with
 * previous's o= line and the version incremented — or `previous` itself, unchanged, when the
 * draft describes exactly the same session (a session refresh re-INVITE).
 */
export function nextLocalSdp(
  previous: SessionDescription | undefined,
  draft: SessionDescription,
): SessionDescription {
  if (!previous) return draft;
  const same = { ...draft, origin: previous.origin };
  if (serializeSdp(same) === serializeSdp(previous)) return previous;
  return {
    ...draft,
    origin: { ...previous.origin, sessionVersion: nextSessionVersion(previous.origin.sessionVersion) },
  };
}

/** Whether the remote party changed its session since `previous` (RFC 3264 §8: by o= version). */
export function isNewRemoteVersion(
  previous: SessionDescription | undefined,
  next: SessionDescription,
): boolean {
  if (!previous) return true;
  const a: SdpOrigin = previous.origin;
  const b: SdpOrigin = next.origin;
  return (
    a.username !== b.username ||
    a.sessionId !== b.sessionId ||
    a.sessionVersion !== b.sessionVersion ||
    a.address !== b.address
  );
}
