// Just enough SDP for the media-level WebRTC tests (the PBX's real SDP handling lives in
// @switchboard/pbx's sdp-bridge): read a browser's transport and payload types, and write
// an ICE-lite answer or offer for one audio stream.
import type { WebRtcLocalDescription, WebRtcRemoteDescription } from '@switchboard/media-node';

export interface BrowserSdp {
  readonly iceUfrag: string;
  readonly icePwd: string;
  readonly fingerprints: { algorithm: string; value: string }[];
  readonly setup: string;
  readonly mid: string;
  /** `pcmu/8000` → 0, `telephone-event/8000` → 126, … (lower case). */
  readonly payloadTypes: Map<string, number>;
}

export function readBrowserSdp(sdp: string): BrowserSdp {
  const lines = sdp.split(/\r?\n/);
  const value = (name: string): string => {
    const line = lines.find((l) => l.startsWith(`a=${name}:`));
    if (!line) throw new Error(`no a=${name} in ${sdp}`);
    return line.slice(name.length + 3).trim();
  };
  const payloadTypes = new Map<string, number>();
  for (const l of lines) {
    const m = /^a=rtpmap:(\d+) ([^/]+)\/(\d+)/.exec(l);
    if (m) payloadTypes.set(`${m[2]!.toLowerCase()}/${m[3]}`, Number(m[1]));
  }
  const fingerprints = lines
    .filter((l) => l.startsWith('a=fingerprint:'))
    .map((l) => {
      const [algorithm = '', fp = ''] = l.slice('a=fingerprint:'.length).split(' ');
      return { algorithm, value: fp };
    });
  return {
    iceUfrag: value('ice-ufrag'),
    icePwd: value('ice-pwd'),
    fingerprints,
    setup: value('setup'),
    mid: value('mid'),
    payloadTypes,
  };
}

/** What the endpoint needs from the browser's SDP; `weOffered` decides the DTLS role. */
export function remoteOf(browser: BrowserSdp): WebRtcRemoteDescription {
  // We answer actpass/active with passive (server); an answer of `active` makes us server too.
  return {
    iceUfrag: browser.iceUfrag,
    icePwd: browser.icePwd,
    fingerprints: browser.fingerprints,
    dtlsRole: browser.setup === 'passive' ? 'client' : 'server',
  };
}

function transportLines(local: WebRtcLocalDescription, setup: string, mid: string): string[] {
  return [
    `a=ice-ufrag:${local.iceUfrag}`,
    `a=ice-pwd:${local.icePwd}`,
    `a=fingerprint:${local.fingerprint.algorithm} ${local.fingerprint.value}`,
    `a=setup:${setup}`,
    `a=mid:${mid}`,
    'a=rtcp-mux',
    ...local.candidates.map(
      (c) =>
        `a=candidate:${c.foundation} ${c.component} ${c.transport} ${c.priority} ${c.address} ${c.port} typ ${c.type}`,
    ),
    'a=end-of-candidates',
  ];
}

function session(local: WebRtcLocalDescription, mid: string, media: string[]): string {
  return [
    'v=0',
    `o=- 1 1 IN IP4 ${local.address}`,
    's=-',
    't=0 0',
    'a=ice-lite',
    `a=group:BUNDLE ${mid}`,
    ...media,
    '',
  ].join('\r\n');
}

/** An answer accepting one codec (and telephone-event) of the browser's offer. */
export function answerSdp(
  local: WebRtcLocalDescription,
  offer: BrowserSdp,
  codec: { name: string; payloadType: number; clockRate: number; channels?: number },
  dtmfPayloadType: number | undefined,
): string {
  const pts = [codec.payloadType, ...(dtmfPayloadType === undefined ? [] : [dtmfPayloadType])];
  return session(local, offer.mid, [
    `m=audio ${local.port} UDP/TLS/RTP/SAVPF ${pts.join(' ')}`,
    `c=IN IP4 ${local.address}`,
    `a=rtpmap:${codec.payloadType} ${codec.name}/${codec.clockRate}${codec.channels ? `/${codec.channels}` : ''}`,
    ...(dtmfPayloadType === undefined
      ? []
      : [`a=rtpmap:${dtmfPayloadType} telephone-event/${codec.clockRate}`, `a=fmtp:${dtmfPayloadType} 0-16`]),
    'a=sendrecv',
    ...transportLines(local, offer.setup === 'passive' ? 'active' : 'passive', offer.mid),
  ]);
}

/** An offer of PCMU, PCMA and telephone-event/8000 from the endpoint (we are actpass). */
export function offerSdp(local: WebRtcLocalDescription): string {
  return session(local, '0', [
    `m=audio ${local.port} UDP/TLS/RTP/SAVPF 0 8 101`,
    `c=IN IP4 ${local.address}`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-16',
    'a=sendrecv',
    ...transportLines(local, 'actpass', '0'),
  ]);
}
