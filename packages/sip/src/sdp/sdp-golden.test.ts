import { describe, expect, it } from 'vitest';
import { readAudio } from './audio-stream.ts';
import { attributeValue, attributeValues } from './attributes.ts';
import { readCrypto } from './crypto-attribute.ts';
import {
  baresipOffer,
  baresipSrtpIceOffer,
  chromiumOffer,
  chromiumTrickleOffer,
  deskPhoneLegacyHold,
  linphoneOffer,
  rfc4566Example,
} from './fixtures/index.ts';
import { readIce } from './ice-attributes.ts';
import { readRtcpFeedback, readRtpMaps } from './rtp-attributes.ts';
import type { SessionDescription } from './sdp-model.ts';
import { parseSdp } from './sdp-parser.ts';
import { encodeSdp, serializeSdp } from './sdp-serializer.ts';
import { readBundle, readWebRtc } from './webrtc-attributes.ts';

function parsed(text: string): SessionDescription {
  const r = parseSdp(text);
  if (!r.ok) throw new Error(r.reason);
  return r.sdp;
}

const all = {
  baresipOffer,
  baresipSrtpIceOffer,
  linphoneOffer,
  chromiumOffer,
  chromiumTrickleOffer,
  deskPhoneLegacyHold,
  rfc4566Example,
};

describe('golden SDP: parse → serialize gives the same bytes', () => {
  for (const [name, text] of Object.entries(all)) {
    it(`${name} round-trips byte for byte (text and UTF-8 bytes)`, () => {
      expect(serializeSdp(parsed(text))).toBe(text);
      const fromBytes = parseSdp(new TextEncoder().encode(text));
      expect(fromBytes.ok).toBe(true);
      if (fromBytes.ok) expect(encodeSdp(fromBytes.sdp)).toEqual(new TextEncoder().encode(text));
    });

    it(`${name} parses the same with LF-only line endings`, () => {
      expect(serializeSdp(parsed(text.replaceAll('\r\n', '\n')))).toBe(text);
    });
  }
});

describe('golden SDP: fields', () => {
  it('baresip: origin, connection, audio formats, unknown attributes in order', () => {
    const sdp = parsed(baresipOffer);
    expect(sdp.origin).toEqual({
      username: '-',
      sessionId: '1716470085',
      sessionVersion: '3853289612',
      netType: 'IN',
      addrType: 'IP4',
      address: '192.168.0.140',
    });
    expect(sdp.connection).toEqual({ netType: 'IN', addrType: 'IP4', address: '192.168.0.140' });
    expect(sdp.timings).toEqual([{ start: '0', stop: '0', repeats: [] }]);
    expect(sdp.attributes).toEqual([{ name: 'tool', value: 'baresip 3.12.1' }]);
    const m = sdp.media[0]!;
    expect(m).toMatchObject({
      type: 'audio',
      port: 36170,
      protocol: 'RTP/AVP',
      formats: ['96', '9', '0', '8', '101'],
    });
    expect(m.bandwidths).toEqual([{ type: 'AS', value: 93 }]);
    expect(m.attributes.map((a) => a.name)).toEqual([
      'rtpmap',
      'fmtp',
      'rtpmap',
      'rtpmap',
      'rtpmap',
      'rtpmap',
      'fmtp',
      'sendrecv',
      'label',
      'rtcp-rsize',
      'ssrc',
      'ptime',
    ]);
    expect(attributeValue(m, 'label')).toBe('1');
    expect(attributeValue(m, 'rtcp-rsize')).toBe('');

    const audio = readAudio(sdp)!;
    expect(audio.rtp).toEqual({ address: '192.168.0.140', port: 36170 });
    expect(audio.rtcp).toEqual({ address: '192.168.0.140', port: 36171 });
    expect(audio.codecs.map((c) => `${c.payloadType} ${c.name}/${c.clockRate}/${c.channels}`)).toEqual([
      '96 opus/48000/2',
      '9 G722/8000/1',
      '0 PCMU/8000/1',
      '8 PCMA/8000/1',
    ]);
    expect(audio.telephoneEvents).toEqual([{ payloadType: 101, clockRate: 8000, events: '0-15' }]);
    expect(audio.direction).toBe('sendrecv');
    expect(audio.ptime).toBe(20);
  });

  it('baresip SRTP+ICE: crypto lines, ice-lite, candidates, end-of-candidates', () => {
    const sdp = parsed(baresipSrtpIceOffer);
    const m = sdp.media[0]!;
    expect(m.protocol).toBe('RTP/SAVP');
    const crypto = readCrypto(m);
    expect(crypto).toEqual([
      {
        tag: 1,
        suite: 'AES_CM_128_HMAC_SHA1_80',
        keys: [
          {
            method: 'inline',
            keySalt: 'PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR',
            lifetime: '2^20',
            mki: { value: '1', length: '32' },
          },
        ],
        sessionParams: [],
      },
      {
        tag: 2,
        suite: 'AES_CM_128_HMAC_SHA1_32',
        keys: [{ method: 'inline', keySalt: 'NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj', lifetime: '2^31' }],
        sessionParams: [],
      },
    ]);
    const ice = readIce(m, sdp);
    expect(ice.lite).toBe(true);
    expect(ice.ufrag).toBe('6a1f9c0e');
    expect(ice.pwd).toBe('2f4e6b8d0a1c3e5f7a9b1d3f5e7c9a0b');
    expect(ice.endOfCandidates).toBe(true);
    expect(ice.candidates.map((c) => [c.component, c.address, c.port, c.type])).toEqual([
      [1, '198.51.100.23', 10002, 'host'],
      [2, '198.51.100.23', 10003, 'host'],
    ]);
    expect(readAudio(sdp)!.crypto).toHaveLength(2);
  });

  it('linphone: session-level ICE, a=rtcp port, static PT 18 without rtpmap, three telephone-events', () => {
    const sdp = parsed(linphoneOffer);
    expect(sdp.sessionName).toBe('Talk');
    expect(sdp.media.map((m) => m.type)).toEqual(['audio', 'video']);
    const audio = readAudio(sdp)!;
    expect(audio.rtcp).toEqual({ address: '192.168.1.20', port: 7079 });
    expect(audio.codecs.map((c) => c.name)).toEqual(['opus', 'speex', 'speex', 'PCMU', 'PCMA', 'G729']);
    expect(audio.codecs.find((c) => c.payloadType === 18)?.fmtp).toBe('annexb=yes');
    expect(audio.telephoneEvents.map((t) => [t.payloadType, t.clockRate])).toEqual([
      [101, 48000],
      [99, 16000],
      [100, 8000],
    ]);
    const ice = readIce(sdp.media[0]!, sdp);
    expect(ice.ufrag).toBe('0d3ab1f2');
    expect(ice.candidates[2]).toMatchObject({
      type: 'srflx',
      relatedAddress: '192.168.1.20',
      relatedPort: 7078,
    });
    expect(readRtcpFeedback(sdp.media[1]!).filter((f) => f.payloadType === '96')).toEqual([
      { payloadType: '96', type: 'nack', parameter: 'pli' },
      { payloadType: '96', type: 'ccm', parameter: 'fir' },
    ]);
    expect(attributeValue(sdp, 'rtcp-xr')).toBe(
      'rcvr-rtt=all:10000 stat-summary=loss,dup,jitt,TTL voip-metrics',
    );
  });

  it('Chromium: BUNDLE, DTLS, msid, ssrc, extmap, data channel; msid-semantic keeps its leading space', () => {
    const sdp = parsed(chromiumOffer);
    expect(sdp.origin.sessionId).toBe('4611731400430051336');
    expect(sdp.connection).toBeUndefined();
    expect(readBundle(sdp)).toEqual({ semantics: 'BUNDLE', mids: ['0', '1', '2'] });
    expect(attributeValue(sdp, 'msid-semantic')).toBe(' WMS 3d6c5f0e-9e1b-4d5b-8c2a-1f4e7b9a2c10');
    const [audioM, videoM, appM] = sdp.media as [
      (typeof sdp.media)[0],
      (typeof sdp.media)[0],
      (typeof sdp.media)[0],
    ];
    const w = readWebRtc(audioM!, sdp);
    expect(w.mid).toBe('0');
    expect(w.setup).toBe('actpass');
    expect(w.fingerprints[0]?.hashFunction).toBe('sha-256');
    expect(w.msid).toEqual([
      { streamId: '3d6c5f0e-9e1b-4d5b-8c2a-1f4e7b9a2c10', trackId: '7b2c1a3e-5d4f-4e6a-9b8c-0d1e2f3a4b5c' },
    ]);
    expect(w.extmaps[0]).toEqual({ id: 1, uri: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level' });
    expect(w.ssrcs[0]).toEqual({ ssrc: 1001437512, attribute: 'cname', value: 'kQx9cZ0Y0q7wD+1F' });
    expect(readWebRtc(videoM!).ssrcGroups).toEqual([{ semantics: 'FID', ssrcs: [2231627014, 632943048] }]);
    const app = readWebRtc(appM!);
    expect(app.sctpPort).toBe(5000);
    expect(app.maxMessageSize).toBe(262144);
    expect(appM!.formats).toEqual(['webrtc-datachannel']);

    const audio = readAudio(sdp)!;
    expect(audio.rtcpMux).toBe(true);
    expect(audio.rtcp).toEqual(audio.rtp);
    expect(audio.rtp).toEqual({ address: '203.0.113.45', port: 54400 });
    expect(audio.telephoneEvents.map((t) => t.clockRate)).toEqual([48000, 8000]);
    expect(readIce(audioM!, sdp).candidates[2]?.extensions).toEqual([
      { name: 'tcptype', value: 'active' },
      { name: 'generation', value: '0' },
      { name: 'network-id', value: '1' },
      { name: 'network-cost', value: '10' },
    ]);
    expect(attributeValues(videoM!, 'rtcp-fb')).toHaveLength(5);
  });

  it('Chromium trickle: c=0.0.0.0 with ICE is a placeholder, not a hold', () => {
    const audio = readAudio(parsed(chromiumTrickleOffer))!;
    expect(audio.direction).toBe('sendrecv');
    expect(audio.onHold).toBe(false);
    expect(audio.rtp).toBeUndefined();
  });

  it('desk phone: c=0.0.0.0 without ICE is the RFC 2543 hold', () => {
    const audio = readAudio(parsed(deskPhoneLegacyHold))!;
    expect(audio.declaredDirection).toBe('sendrecv');
    expect(audio.direction).toBe('sendonly');
    expect(audio.onHold).toBe(true);
    expect(audio.rtp).toBeUndefined();
    expect(audio.maxptime).toBe(40);
    expect(audio.codecs[0]).toEqual({
      payloadType: 18,
      name: 'G729',
      clockRate: 8000,
      channels: 1,
      fmtp: 'annexb=no',
    });
  });

  it('RFC 4566 example: i, u, e, p, multicast c, b, r, z, k, port count, IPv6 multicast', () => {
    const sdp = parsed(rfc4566Example);
    expect(sdp.information).toBe('A Seminar on the session description protocol');
    expect(sdp.uri).toBe('http://www.example.com/seminars/sdp.pdf');
    expect(sdp.emails).toEqual(['j.doe@example.com (Jane Doe)']);
    expect(sdp.phones).toEqual(['+1 617 555-6011']);
    expect(sdp.connection).toEqual({ netType: 'IN', addrType: 'IP4', address: '224.2.17.12', ttl: 127 });
    expect(sdp.bandwidths).toEqual([{ type: 'CT', value: 128 }]);
    expect(sdp.timings).toEqual([
      {
        start: '2873397496',
        stop: '2873404696',
        repeats: [{ interval: '7d', duration: '1h', offsets: ['0', '25h'] }],
      },
    ]);
    expect(sdp.timeZones).toEqual([
      { time: '2882844526', offset: '-1h' },
      { time: '2898848070', offset: '0' },
    ]);
    expect(sdp.key).toBe('prompt');
    const video = sdp.media[1]!;
    expect(video).toMatchObject({ port: 51372, portCount: 2, information: 'Slides', key: 'clear:secret' });
    expect(video.connections).toEqual([
      { netType: 'IN', addrType: 'IP6', address: 'ff15::101', addressCount: 3 },
    ]);
    expect(readRtpMaps(video)).toEqual([{ payloadType: 99, encodingName: 'h263-1998', clockRate: 90000 }]);
  });
});
