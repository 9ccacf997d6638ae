// Small readings of SIP and SDP the call needs: who the far end is (From/To), and the media
// direction of an offer (RFC 3264 §5.1: the attribute of the audio stream, else the session's).
import { SipUri, type NameAddr } from '@switchboard/sip';

export interface RemoteParty {
  /** The user part of a SIP URI (the number), or the whole URI when it has none. */
  readonly number: string;
  readonly name: string | undefined;
}

export function remoteParty(address: NameAddr): RemoteParty {
  const uri = address.uri;
  const number = uri instanceof SipUri ? (uri.user ?? uri.host) : uri.toString().replace(/^tel:/i, '');
  const name = address.displayName?.trim();
  return { number, name: name && name !== number ? name : undefined };
}

export type SdpDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export function sdpDirection(sdp: string): SdpDirection {
  let session: SdpDirection | undefined;
  let audio: SdpDirection | undefined;
  let section: 'session' | 'audio' | 'other' = 'session';
  for (const raw of sdp.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('m=')) section = line.startsWith('m=audio') ? 'audio' : 'other';
    const match = /^a=(sendrecv|sendonly|recvonly|inactive)$/.exec(line);
    if (!match) continue;
    const direction = match[1] as SdpDirection;
    if (section === 'session') session = direction;
    else if (section === 'audio') audio ??= direction;
  }
  return audio ?? session ?? 'sendrecv';
}
