// The peer of the WebRTC benchmark: werift's own RTCPeerConnection as the browser leg (what a
// PBX built straight on werift would run), ICE-lite on 127.0.0.1, its received RTP forwarded to
// the relay leg over a loopback socket and the relay's RTP sent on its sender — the same
// bridge as Switchboard's WebRTC legs, with werift's whole media stack in the path.
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { RTCPeerConnection, RTCRtpCodecParameters } from 'werift';

export interface WeriftLeg {
  /** werift's ICE port (its 127.0.0.1 host candidate). */
  readonly port: number;
  /** The bridge socket: relay leg a's remote. */
  readonly plainPort: number;
  readonly ufrag: string;
  readonly pwd: string;
  close(): Promise<void>;
}

function attribute(sdp: string, name: string): string {
  const m = new RegExp(`^a=${name}:(.*)$`, 'm').exec(sdp);
  if (!m?.[1]) throw new Error(`werift answer without a=${name}`);
  return m[1].trim();
}

/**
 * One werift leg answering a browser's offer and bridging to `relay` (relay leg a's RTP port on
 * 127.0.0.1). NOTE: werift in ICE-lite mode is always the DTLS client and answers
 * `a=setup:active` whatever the offer says, so the browser offers actpass and is the server.
 */
export async function weriftLeg(
  browser: { ufrag: string; pwd: string; fingerprint: string; ssrc: number },
  relayPort: number,
): Promise<WeriftLeg> {
  const pc = new RTCPeerConnection({
    iceLite: true,
    iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
    codecs: {
      audio: [
        new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, payloadType: 0, channels: 1 }),
      ],
    },
  });
  const plain: Socket = createSocket('udp4');
  plain.bind(0, '127.0.0.1');
  await once(plain, 'listening');
  const offer = [
    'v=0',
    'o=- 1 1 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=group:BUNDLE 0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 0',
    'c=IN IP4 0.0.0.0',
    'a=rtpmap:0 PCMU/8000',
    `a=ice-ufrag:${browser.ufrag}`,
    `a=ice-pwd:${browser.pwd}`,
    `a=fingerprint:sha-256 ${browser.fingerprint}`,
    'a=setup:actpass',
    'a=mid:0',
    'a=sendrecv',
    'a=rtcp-mux',
    // werift routes received RTP by SSRC (browsers declare it, or send the mid extension).
    `a=ssrc:${browser.ssrc} cname:webrtc-load`,
    '',
  ].join('\r\n');
  // The track appears while the offer is applied: listen first.
  pc.onTrack.subscribe((track) =>
    track.onReceiveRtp.subscribe((rtp) => plain.send(rtp.serialize(), relayPort, '127.0.0.1')),
  );
  await pc.setRemoteDescription({ type: 'offer', sdp: offer });
  const transceiver = pc.getTransceivers()[0];
  if (!transceiver) throw new Error('werift created no transceiver');
  transceiver.setDirection('sendrecv');
  await pc.setLocalDescription(await pc.createAnswer());
  const answer = pc.localDescription?.sdp ?? '';
  const candidate = /^a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 (\d+) typ host/im.exec(answer);
  if (!candidate?.[1]) throw new Error(`werift offered no 127.0.0.1 candidate:\n${answer}`);
  plain.on('message', (msg: Buffer) => {
    if ((msg[1]! & 0x7f) >= 64 && (msg[1]! & 0x7f) <= 95) return; // RTCP: werift makes its own
    void transceiver.sender.sendRtp(msg).catch(() => undefined);
  });
  return {
    port: Number(candidate[1]),
    plainPort: plain.address().port,
    ufrag: attribute(answer, 'ice-ufrag'),
    pwd: attribute(answer, 'ice-pwd'),
    async close() {
      plain.close();
      await pc.close();
    },
  };
}
