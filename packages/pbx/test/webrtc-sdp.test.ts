// SDP across the B2BUA when one side is a browser (RFC 8829): ICE-lite and DTLS attributes of
// the WebRTC leg in our SDP, the browser's transport read from its SDP, Opus only between two
// browsers, and the relay leg pointed at the WebRTC leg's plain socket.
import { describe, expect, it } from 'vitest';
import { readAudio, type SessionDescription } from '@switchboard/sip';
import type { WebRtcLegHandle } from '../src/call/media-port.ts';
import {
  acceptCalleeAnswer,
  answerToCaller,
  isWebRtcOffer,
  legSettings,
  offerToCallee,
  parseBody,
  sdpText,
  webRtcRemote,
} from '../src/call/sdp-bridge.ts';

/** An offer from Chromium 156 (fake audio), as it sends it once gathering is complete. */
const CHROMIUM_OFFER = [
  'v=0',
  'o=- 8490024840195607096 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=extmap-allow-mixed',
  'a=msid-semantic: WMS 43aac801-ed4a-43fc-91c0-59a9d160efd0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
  'c=IN IP4 0.0.0.0',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=candidate:4035581247 1 udp 2113937151 44ad84f2-3b08-4127-a299-0a8de5e3a056.local 50065 typ host generation 0 network-cost 999',
  'a=candidate:4160256399 1 udp 2113942271 33656e3c-6f05-4924-a3f1-b3180ff08a64.local 48904 typ host generation 0 network-cost 999',
  'a=ice-ufrag:dlwf',
  'a=ice-pwd:TKT7ieFV4D+KiVSDRPCSb4i4',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 58:75:CA:7E:DB:3F:D7:6B:25:CC:30:A0:82:89:62:14:B5:3B:4D:F9:90:05:16:5B:1F:67:4D:EA:3C:0E:D3:83',
  'a=setup:actpass',
  'a=mid:0',
  'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
  'a=sendrecv',
  'a=msid:43aac801-ed4a-43fc-91c0-59a9d160efd0 6050ac5e-f4f5-448d-9a10-cc912bd8b8db',
  'a=rtcp-mux',
  'a=rtcp-rsize',
  'a=rtcp-xr:rcvr-rtt=all',
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:63 red/48000/2',
  'a=fmtp:63 111/111',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:13 CN/8000',
  'a=rtpmap:110 telephone-event/48000',
  'a=rtpmap:126 telephone-event/8000',
  'a=ssrc:386619722 cname:NCap89mGPiphTR6+',
  'a=ssrc:386619722 msid:43aac801-ed4a-43fc-91c0-59a9d160efd0 6050ac5e-f4f5-448d-9a10-cc912bd8b8db',
  '',
].join('\r\n');

const relay = {
  a: { address: '192.0.2.10', rtpPort: 10000, rtcpPort: 10001 },
  b: { address: '192.0.2.10', rtpPort: 10002, rtcpPort: 10003 },
};

function webrtcLeg(port: number): WebRtcLegHandle {
  return {
    local: {
      iceUfrag: 'Ufrag123',
      icePwd: 'pwdpwdpwdpwdpwdpwdpwdpwd',
      iceLite: true,
      fingerprint: { algorithm: 'sha-256', value: 'AB:CD:EF' },
      candidates: [
        {
          foundation: '1',
          component: 1,
          transport: 'udp',
          priority: 2130706431,
          address: '192.0.2.10',
          port,
          type: 'host',
        },
      ],
      address: '192.0.2.10',
      port,
    },
    plain: { address: '127.0.0.1', port: port + 30000 },
    setRemote: async () => undefined,
    close: async () => undefined,
  };
}

function parse(text: string): SessionDescription {
  const parsed = parseBody(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

const browserOffer = (): SessionDescription => parse(CHROMIUM_OFFER);
const sipOffer = (): SessionDescription =>
  parse(
    [
      'v=0',
      'o=- 1 1 IN IP4 198.51.100.1',
      's=-',
      'c=IN IP4 198.51.100.1',
      't=0 0',
      'm=audio 4000 RTP/AVP 8 0 101',
      'a=rtpmap:8 PCMA/8000',
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:101 telephone-event/8000',
      'a=fmtp:101 0-16',
      '',
    ].join('\r\n'),
  );

describe('SDP with a browser on one side', () => {
  it('tells a browser offer from a phone offer and reads its ICE and DTLS parameters', () => {
    expect(isWebRtcOffer(browserOffer())).toBe(true);
    expect(isWebRtcOffer(sipOffer())).toBe(false);
    const remote = webRtcRemote(browserOffer());
    expect(remote.ok).toBe(true);
    if (!remote.ok) return;
    expect(remote.value.iceUfrag).toMatch(/^[A-Za-z0-9+/]{4,}$/);
    expect(remote.value.icePwd.length).toBeGreaterThanOrEqual(22);
    expect(remote.value.fingerprints[0]).toMatchObject({ algorithm: 'sha-256' });
    expect(remote.value.dtlsRole).toBe('server'); // actpass: we answer passive
    const passive = parse(CHROMIUM_OFFER.replace('a=setup:actpass', 'a=setup:passive'));
    expect(webRtcRemote(passive)).toMatchObject({ ok: true, value: { dtlsRole: 'client' } });
    const bare = parse(CHROMIUM_OFFER.replace(/a=fingerprint:[^\r]*\r\n/, ''));
    expect(webRtcRemote(bare)).toMatchObject({ ok: false, status: 488 });
  });

  it('offers a SIP phone G.711 only, and answers the browser over ICE-lite DTLS-SRTP with that codec', () => {
    const toPhone = offerToCallee(browserOffer(), relay.b, '7');
    if (!toPhone.ok) throw new Error(toPhone.reason);
    expect(readAudio(toPhone.value)!.codecs.map((c) => c.name)).toEqual(['PCMU', 'PCMA']);
    const phoneAnswer = parse(
      [
        'v=0',
        'o=- 2 2 IN IP4 198.51.100.2',
        's=-',
        'c=IN IP4 198.51.100.2',
        't=0 0',
        'm=audio 5000 RTP/AVP 8 101',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:101 telephone-event/8000',
        '',
      ].join('\r\n'),
    );
    const callee = acceptCalleeAnswer(toPhone.value, phoneAnswer);
    if (!callee.ok) throw new Error(callee.reason);
    const leg = webrtcLeg(20000);
    const answer = answerToCaller(browserOffer(), callee.value, relay.a, '8', undefined, undefined, leg);
    if (!answer.ok) throw new Error(answer.reason);
    const text = sdpText(answer.value.local);
    expect(text).toMatch(/^a=ice-lite\r$/m);
    expect(text).toMatch(/^a=group:BUNDLE 0\r$/m);
    expect(text).toMatch(/^c=IN IP4 192\.0\.2\.10\r$/m);
    expect(text).toMatch(/^m=audio 20000 UDP\/TLS\/RTP\/SAVPF 8 126\r$/m); // PCMA as the phone chose: no transcoding
    for (const line of [
      'a=mid:0',
      'a=rtcp-mux',
      'a=ice-ufrag:Ufrag123',
      'a=ice-pwd:pwdpwdpwdpwdpwdpwdpwdpwd',
      'a=fingerprint:sha-256 AB:CD:EF',
      'a=setup:passive',
      'a=candidate:1 1 UDP 2130706431 192.0.2.10 20000 typ host',
      'a=end-of-candidates',
      'a=sendrecv',
    ])
      expect(text).toContain(`${line}\r\n`);
    // Chromium's c=0.0.0.0 / port 9 is JSEP's placeholder (RFC 8829 §5.2.1), not a hold.
    expect(answer.value.negotiated.remoteHold).toBe(false);
    // The relay leg talks to the WebRTC leg's plain socket, with the browser's payload types.
    expect(legSettings(answer.value.negotiated, leg)).toEqual({
      remote: { address: '127.0.0.1', rtpPort: 50000, rtcpPort: 50000 },
      codec: { name: 'PCMA', payloadType: 8, clockRate: 8000 },
      telephoneEventPayloadType: 126,
      direction: 'sendrecv',
      rtcpMux: true,
    });
  });

  it('offers a browser callee WebRTC from a SIP caller: actpass, ICE-lite, G.711 without Opus', () => {
    const leg = webrtcLeg(20002);
    const offer = offerToCallee(sipOffer(), relay.b, '9', undefined, leg);
    if (!offer.ok) throw new Error(offer.reason);
    const text = sdpText(offer.value);
    expect(text).toMatch(/^m=audio 20002 UDP\/TLS\/RTP\/SAVPF 8 0 101\r$/m);
    expect(text).toContain('a=setup:actpass\r\n');
    expect(text).toContain('a=ice-lite\r\n');
    expect(text).toContain('a=rtcp-mux\r\n');
    expect(text).toContain('a=mid:0\r\n');
    expect(text).not.toMatch(/opus/i);
    // The browser answers active (Chromium always does): we are the DTLS server.
    const answer = parse(
      text
        .replace('a=setup:actpass', 'a=setup:active')
        .replace('a=ice-lite\r\n', '')
        .replace('a=ice-ufrag:Ufrag123', 'a=ice-ufrag:BrWs')
        .replace('a=fingerprint:sha-256 AB:CD:EF', 'a=fingerprint:sha-256 01:02:03'),
    );
    expect(webRtcRemote(answer)).toEqual({
      ok: true,
      value: {
        iceUfrag: 'BrWs',
        icePwd: 'pwdpwdpwdpwdpwdpwdpwdpwd',
        fingerprints: [{ algorithm: 'sha-256', value: '01:02:03' }],
        dtlsRole: 'server',
      },
    });
  });

  it('lets two browsers agree on Opus, passed through the relay unchanged', () => {
    const legB = webrtcLeg(20004);
    const toB = offerToCallee(browserOffer(), relay.b, '10', undefined, legB);
    if (!toB.ok) throw new Error(toB.reason);
    expect(readAudio(toB.value)!.codecs.map((c) => c.name)).toEqual(['opus', 'PCMU', 'PCMA']);
    const bAnswer = parse(
      sdpText(toB.value)
        .replace(/^m=audio .*$/m, 'm=audio 9 UDP/TLS/RTP/SAVPF 111 110')
        .replace('a=setup:actpass', 'a=setup:active'),
    );
    const callee = acceptCalleeAnswer(toB.value, bAnswer);
    if (!callee.ok) throw new Error(callee.reason);
    expect(callee.value.codecs[0]!.name.toUpperCase()).toBe('OPUS');
    const legA = webrtcLeg(20006);
    const answer = answerToCaller(browserOffer(), callee.value, relay.a, '11', undefined, undefined, legA);
    if (!answer.ok) throw new Error(answer.reason);
    expect(sdpText(answer.value.local)).toMatch(/^m=audio 20006 UDP\/TLS\/RTP\/SAVPF 111 110\r$/m);
    expect(legSettings(answer.value.negotiated, legA).codec).toEqual({
      name: 'OPUS',
      payloadType: 111,
      clockRate: 48000,
    });
  });

  it('refuses a browser offer when no WebRTC leg backs the answer', () => {
    const answer = answerToCaller(browserOffer(), undefined, relay.a, '12');
    expect(answer).toMatchObject({ ok: false, status: 488 });
  });
});
