import { describe, expect, it } from 'vitest';
import { createAudioAnswer, type AudioAnswerOptions } from './audio-answer.ts';
import { readAudio } from './audio-stream.ts';
import { attributeValue, attributeValues, hasAttribute } from './attributes.ts';
import { defaultCodecs, type AudioCodec } from './codecs.ts';
import type { MediaDirection } from './direction.ts';
import {
  baresipOffer,
  baresipSrtpIceOffer,
  chromiumOffer,
  deskPhoneLegacyHold,
  linphoneOffer,
} from './fixtures/index.ts';
import { iceAttribute } from './ice-attributes.ts';
import type { SessionDescription } from './sdp-model.ts';
import { parseSdp } from './sdp-parser.ts';
import { serializeSdp } from './sdp-serializer.ts';

const codecs = (...names: string[]): AudioCodec[] => {
  const r = defaultCodecs.resolve(names);
  if (!r.ok) throw new Error(r.reason);
  return r.codecs;
};

function sdp(text: string): SessionDescription {
  const r = parseSdp(text);
  if (!r.ok) throw new Error(r.reason);
  return r.sdp;
}

const pbx: AudioAnswerOptions = {
  origin: { sessionId: '1000', address: '203.0.113.5' },
  address: '203.0.113.5',
  port: 30000,
  codecs: codecs('PCMU', 'PCMA'),
};

function answer(offer: string | SessionDescription, options: Partial<AudioAnswerOptions> = {}) {
  const r = createAudioAnswer(typeof offer === 'string' ? sdp(offer) : offer, { ...pbx, ...options });
  if (!r.ok) throw new Error(r.reason);
  // What we send must parse again.
  expect(parseSdp(serializeSdp(r.answer)).ok).toBe(true);
  return r;
}

const simpleOffer = (...mediaLines: string[]) =>
  sdp(
    ['v=0', 'o=- 1 1 IN IP4 192.0.2.10', 's=-', 'c=IN IP4 192.0.2.10', 't=0 0', ...mediaLines, ''].join(
      '\r\n',
    ),
  );

describe('createAudioAnswer: codecs and payload types', () => {
  it('answers baresip with the common G.711 codecs under its numbers, and telephone-event 0-15', () => {
    const { answer: a, negotiated: n } = answer(baresipOffer);
    expect(serializeSdp(a)).toBe(
      [
        'v=0',
        'o=- 1000 1000 IN IP4 203.0.113.5',
        's=-',
        'c=IN IP4 203.0.113.5',
        't=0 0',
        'm=audio 30000 RTP/AVP 0 8 101',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:101 telephone-event/8000',
        'a=fmtp:101 0-15',
        'a=sendrecv',
        '',
      ].join('\r\n'),
    );
    expect(n.codecs.map((c) => [c.name, c.sendPayloadType, c.receivePayloadType])).toEqual([
      ['PCMU', 0, 0],
      ['PCMA', 8, 8],
    ]);
    expect(n.telephoneEvent).toEqual({
      clockRate: 8000,
      sendPayloadType: 101,
      receivePayloadType: 101,
      events: '0-15',
    });
    expect(n.remoteRtp).toEqual({ address: '192.168.0.140', port: 36170 });
    expect(n.remoteRtcp).toEqual({ address: '192.168.0.140', port: 36171 });
    expect(n).toMatchObject({
      mediaIndex: 0,
      direction: 'sendrecv',
      remoteHold: false,
      ptime: 20,
      rtcpMux: false,
    });
  });

  it('keeps the offerer order by default, ours with codecOrder "local", and caps with maxCodecs', () => {
    const local = codecs('PCMA', 'opus', 'PCMU');
    expect(answer(baresipOffer, { codecs: local }).negotiated.codecs.map((c) => c.name)).toEqual([
      'opus',
      'PCMU',
      'PCMA',
    ]);
    expect(
      answer(baresipOffer, { codecs: local, codecOrder: 'local' }).negotiated.codecs.map((c) => c.name),
    ).toEqual(['PCMA', 'opus', 'PCMU']);
    const one = answer(baresipOffer, { codecs: local, maxCodecs: 1 });
    expect(one.answer.media[0]?.formats).toEqual(['96', '101']);
    expect(attributeValue(one.answer.media[0]!, 'fmtp')).toBe('96 minptime=10;useinbandfec=1');
    expect(one.negotiated.codecs[0]).toMatchObject({
      name: 'opus',
      channels: 2,
      remoteFmtp: 'stereo=1;sprop-stereo=1',
      localFmtp: 'minptime=10;useinbandfec=1',
    });
  });

  it('linphone: video rejected with port 0, telephone-event only at the agreed clock rates', () => {
    const { answer: a, negotiated: n } = answer(linphoneOffer, { codecs: codecs('opus', 'PCMU', 'G729') });
    expect(a.media.map((m) => `${m.type} ${m.port} ${m.protocol} ${m.formats.join(' ')}`)).toEqual([
      'audio 30000 RTP/AVP 96 0 18 101 100',
      'video 0 RTP/AVP 96 97',
    ]);
    expect(a.media[1]?.attributes).toEqual([]);
    expect(n.telephoneEvents.map((t) => [t.sendPayloadType, t.clockRate])).toEqual([
      [101, 48000],
      [100, 8000],
    ]);
    expect(n.telephoneEvent?.clockRate).toBe(48000);
    // a=rtcp:7079 from the offer: where to send RTCP.
    expect(n.remoteRtcp).toEqual({ address: '192.168.1.20', port: 7079 });
    expect(attributeValues(a.media[0]!, 'fmtp')).toEqual([
      '96 minptime=10;useinbandfec=1',
      '18 annexb=no',
      '101 0-15',
      '100 0-15',
    ]);
  });

  it('takes an offered static codec without rtpmap and an unmapped dynamic type is ignored', () => {
    const offer = simpleOffer('m=audio 4000 RTP/AVP 97 8');
    const { negotiated: n } = answer(offer);
    expect(n.codecs.map((c) => c.name)).toEqual(['PCMA']);
    expect(n.telephoneEvents).toEqual([]);
  });

  it('telephone-event: missing fmtp means 0-15; our own list narrows it; false refuses it', () => {
    const offer = simpleOffer('m=audio 4000 RTP/AVP 0 101', 'a=rtpmap:101 telephone-event/8000');
    expect(answer(offer).negotiated.telephoneEvent?.events).toBe('0-15');
    expect(answer(offer, { telephoneEvent: '0-11' }).negotiated.telephoneEvent?.events).toBe('0-11');
    const refused = answer(offer, { telephoneEvent: false });
    expect(refused.negotiated.telephoneEvent).toBeUndefined();
    expect(refused.answer.media[0]?.formats).toEqual(['0']);
    const wide = simpleOffer(
      'm=audio 4000 RTP/AVP 0 101',
      'a=rtpmap:101 telephone-event/8000',
      'a=fmtp:101 0-16,32,36',
    );
    expect(answer(wide).negotiated.telephoneEvent?.events).toBe('0-16');
  });
});

describe('createAudioAnswer: direction and hold (RFC 3264 §6.1, §8.4)', () => {
  const cases: [MediaDirection, MediaDirection | undefined, MediaDirection][] = [
    ['sendrecv', undefined, 'sendrecv'],
    ['sendonly', undefined, 'recvonly'],
    ['recvonly', undefined, 'sendonly'],
    ['inactive', undefined, 'inactive'],
    ['sendrecv', 'sendonly', 'sendonly'],
    ['sendrecv', 'inactive', 'inactive'],
    ['sendonly', 'sendonly', 'inactive'],
    ['recvonly', 'recvonly', 'inactive'],
  ];
  for (const [offered, local, expected] of cases) {
    it(`offer ${offered}, we want ${local ?? 'sendrecv'} → answer ${expected}`, () => {
      const offer = simpleOffer('m=audio 4000 RTP/AVP 0', `a=${offered}`);
      const r = answer(offer, local ? { direction: local } : {});
      expect(readAudio(r.answer)?.declaredDirection).toBe(expected);
      expect(r.negotiated.direction).toBe(expected);
      expect(r.negotiated.remoteHold).toBe(offered === 'sendonly' || offered === 'inactive');
    });
  }

  it('session-level direction applies when the media section has none', () => {
    const offer = sdp(
      [
        'v=0',
        'o=- 1 1 IN IP4 192.0.2.10',
        's=-',
        'c=IN IP4 192.0.2.10',
        't=0 0',
        'a=sendonly',
        'm=audio 4000 RTP/AVP 0',
        '',
      ].join('\r\n'),
    );
    expect(answer(offer).negotiated.direction).toBe('recvonly');
  });

  it('c=0.0.0.0 from a desk phone is a hold: we answer recvonly and have nowhere to send', () => {
    const { answer: a, negotiated: n } = answer(deskPhoneLegacyHold, { codecs: codecs('G729', 'PCMU') });
    expect(hasAttribute(a.media[0]!, 'recvonly')).toBe(true);
    expect(n).toMatchObject({ direction: 'recvonly', remoteHold: true });
    expect(n.remoteRtp).toBeUndefined();
    expect(n.maxptime).toBe(40);
  });

  it('holdStyle rfc2543 answers a hold of our own with c=0.0.0.0', () => {
    const r = answer(baresipOffer, { direction: 'inactive', holdStyle: 'rfc2543' });
    expect(r.answer.connection?.address).toBe('0.0.0.0');
  });
});

describe('createAudioAnswer: transports, crypto, rtcp', () => {
  it('rtcp-mux is accepted when offered unless turned off; a=rtcp is written when asked', () => {
    const offer = simpleOffer('m=audio 4000 RTP/AVP 0', 'a=rtcp-mux');
    const r = answer(offer, { rtcp: 30001 });
    expect(hasAttribute(r.answer.media[0]!, 'rtcp-mux')).toBe(true);
    expect(attributeValue(r.answer.media[0]!, 'rtcp')).toBe('30001');
    expect(r.negotiated.rtcpMux).toBe(true);
    expect(r.negotiated.remoteRtcp).toEqual({ address: '192.0.2.10', port: 4000 });
    const off = answer(offer, { rtcpMux: false });
    expect(hasAttribute(off.answer.media[0]!, 'rtcp-mux')).toBe(false);
    expect(off.negotiated.remoteRtcp?.port).toBe(4001);
  });

  it('RTP/SAVP needs acceptCrypto; the chosen line is answered with its tag', () => {
    const refused = createAudioAnswer(sdp(baresipSrtpIceOffer), pbx);
    expect(refused).toMatchObject({ ok: false, status: 488, warning: 302 });
    const r = answer(baresipSrtpIceOffer, {
      acceptCrypto: (offered) => {
        const pick = offered.find((c) => c.suite === 'AES_CM_128_HMAC_SHA1_32');
        return (
          pick && {
            ...pick,
            keys: [{ method: 'inline', keySalt: 'b3VyIGtleSBhbmQgc2FsdCwgMzAgYnl0ZXMgbG9uZw==' }],
          }
        );
      },
    });
    expect(r.answer.media[0]?.protocol).toBe('RTP/SAVP');
    expect(attributeValue(r.answer.media[0]!, 'crypto')).toBe(
      '2 AES_CM_128_HMAC_SHA1_32 inline:b3VyIGtleSBhbmQgc2FsdCwgMzAgYnl0ZXMgbG9uZw==',
    );
    expect(r.negotiated.crypto?.remote.tag).toBe(2);
    const noKey = createAudioAnswer(sdp(baresipSrtpIceOffer), { ...pbx, acceptCrypto: () => undefined });
    expect(noKey).toMatchObject({ ok: false, warning: 305 });
  });

  it('a WebRTC offer is refused by default (302) and answered when its transport is allowed', () => {
    const offer = sdp(chromiumOffer);
    expect(createAudioAnswer(offer, pbx)).toMatchObject({ ok: false, warning: 302 });
    const r = answer(offer, {
      codecs: codecs('opus', 'PCMU'),
      protocols: ['UDP/TLS/RTP/SAVPF'],
      mediaAttributes: [iceAttribute.ufrag('abcd'), iceAttribute.pwd('0123456789abcdef012345')],
    });
    expect(r.answer.media.map((m) => m.port)).toEqual([30000, 0, 0]);
    expect(r.negotiated.telephoneEvents.map((t) => t.sendPayloadType)).toEqual([110, 126]);
    expect(attributeValue(r.answer.media[0]!, 'ice-ufrag')).toBe('abcd');
    // RFC 9143: the accepted m= line keeps its mid and stays in the BUNDLE group.
    expect(attributeValue(r.answer.media[0]!, 'mid')).toBe('0');
    expect(attributeValue(r.answer, 'group')).toBe('BUNDLE 0');
    const own = answer(offer, {
      protocols: ['UDP/TLS/RTP/SAVPF'],
      mediaAttributes: [{ name: 'mid', value: 'audio' }],
      sessionAttributes: [{ name: 'group', value: 'BUNDLE audio' }],
    });
    expect(attributeValues(own.answer.media[0]!, 'mid')).toEqual(['audio']);
    expect(attributeValues(own.answer, 'group')).toEqual(['BUNDLE audio']);
    expect(r.negotiated.rtcpMux).toBe(true);
  });
});

describe('createAudioAnswer: failures are values (488 + Warning)', () => {
  it('no common codec → 305 with the offered codecs in the reason', () => {
    const r = createAudioAnswer(
      simpleOffer('m=audio 4000 RTP/AVP 3 101', 'a=rtpmap:101 telephone-event/8000'),
      pbx,
    );
    expect(r).toEqual({
      ok: false,
      status: 488,
      warning: 305,
      reason: 'no common audio codec (offered: GSM/8000)',
    });
  });

  it('no audio, or only disabled audio → 304', () => {
    expect(
      createAudioAnswer(simpleOffer('m=video 4000 RTP/AVP 96', 'a=rtpmap:96 VP8/90000'), pbx),
    ).toMatchObject({
      ok: false,
      warning: 304,
    });
    expect(createAudioAnswer(simpleOffer('m=audio 0 RTP/AVP 0'), pbx)).toMatchObject({
      ok: false,
      warning: 304,
    });
  });

  it('no c= at any level → 301', () => {
    const offer = sdp(
      ['v=0', 'o=- 1 1 IN IP4 192.0.2.10', 's=-', 't=0 0', 'm=audio 4000 RTP/AVP 0', ''].join('\r\n'),
    );
    expect(createAudioAnswer(offer, pbx)).toMatchObject({ ok: false, warning: 301 });
  });

  it('the first usable audio stream wins; a later one is rejected', () => {
    const offer = simpleOffer('m=audio 4000 RTP/AVP 3', 'm=audio 4002 RTP/AVP 0', 'm=audio 4004 RTP/AVP 8');
    const r = answer(offer);
    expect(r.answer.media.map((m) => m.port)).toEqual([0, 30000, 0]);
    expect(r.negotiated.mediaIndex).toBe(1);
    expect(r.negotiated.remoteRtp?.port).toBe(4002);
  });
});

describe('createAudioAnswer: re-INVITE (RFC 3264 §8)', () => {
  it('a changed answer increments our version; an identical one is re-sent as it was', () => {
    const first = answer(baresipOffer).answer;
    const again = answer(baresipOffer, { previous: first }).answer;
    expect(again).toBe(first);
    const held = answer(baresipOffer, { previous: first, direction: 'sendonly' }).answer;
    expect(held.origin.sessionVersion).toBe('1001');
    expect(held.origin.sessionId).toBe('1000');
  });
});
