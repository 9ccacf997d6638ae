import { describe, expect, it } from 'vitest';
import { acceptAudioAnswer } from './accept-answer.ts';
import { createAudioAnswer } from './audio-answer.ts';
import { createAudioOffer, type AudioOfferOptions } from './audio-offer.ts';
import { defaultCodecs, type AudioCodec } from './codecs.ts';
import { relayPayloadTypes } from './negotiated-audio.ts';
import type { SessionDescription } from './sdp-model.ts';
import { parseSdp } from './sdp-parser.ts';
import { serializeSdp } from './sdp-serializer.ts';

const codecs = (...names: string[]): AudioCodec[] => {
  const r = defaultCodecs.resolve(names);
  if (!r.ok) throw new Error(r.reason);
  return r.codecs;
};

function sdp(...lines: string[]): SessionDescription {
  const r = parseSdp(lines.map((l) => `${l}\r\n`).join(''));
  if (!r.ok) throw new Error(r.reason);
  return r.sdp;
}

const us: AudioOfferOptions = {
  origin: { sessionId: '42', address: '203.0.113.5' },
  address: '203.0.113.5',
  port: 30000,
  codecs: codecs('opus', 'PCMU', 'PCMA'),
  rtcpMux: true,
};
const offer = createAudioOffer(us);
const head = ['v=0', 'o=phone 7 7 IN IP4 192.0.2.20', 's=-', 'c=IN IP4 192.0.2.20', 't=0 0'];

describe('acceptAudioAnswer', () => {
  it('maps payload types per direction when the answerer renumbers (RFC 3264 §6.1 SHOULD)', () => {
    const answer = sdp(
      ...head,
      'm=audio 5004 RTP/AVP 97 0 96',
      'a=rtpmap:97 opus/48000/2',
      'a=fmtp:97 useinbandfec=1',
      'a=rtpmap:96 telephone-event/48000',
      'a=fmtp:96 0-15',
      'a=ptime:40',
      'a=rtcp-mux',
    );
    const r = acceptAudioAnswer(offer, answer);
    if (!r.ok) throw new Error(r.reason);
    expect(r.negotiated.codecs).toEqual([
      {
        name: 'opus',
        clockRate: 48000,
        channels: 2,
        sendPayloadType: 97,
        receivePayloadType: 111,
        remoteFmtp: 'useinbandfec=1',
        localFmtp: 'minptime=10;useinbandfec=1',
      },
      { name: 'PCMU', clockRate: 8000, channels: 1, sendPayloadType: 0, receivePayloadType: 0 },
    ]);
    expect(r.negotiated.telephoneEvent).toEqual({
      clockRate: 48000,
      sendPayloadType: 96,
      receivePayloadType: 110,
      events: '0-15',
    });
    expect(r.negotiated).toMatchObject({
      mediaIndex: 0,
      remoteRtp: { address: '192.0.2.20', port: 5004 },
      remoteRtcp: { address: '192.0.2.20', port: 5004 },
      rtcpMux: true,
      ptime: 40,
      direction: 'sendrecv',
      remoteHold: false,
    });
  });

  it('without rtcp-mux in the answer RTCP goes to port + 1', () => {
    const r = acceptAudioAnswer(offer, sdp(...head, 'm=audio 5004 RTP/AVP 0'));
    expect(r.ok && r.negotiated).toMatchObject({ rtcpMux: false, remoteRtcp: { port: 5005 } });
  });

  it('our hold offer (sendonly) answered recvonly leaves us sendonly', () => {
    const hold = createAudioOffer({ ...us, direction: 'sendonly', previous: offer });
    const r = acceptAudioAnswer(hold, sdp(...head, 'm=audio 5004 RTP/AVP 0', 'a=recvonly'));
    expect(r.ok && r.negotiated.direction).toBe('sendonly');
    // An answerer that holds us too: inactive.
    const both = acceptAudioAnswer(hold, sdp(...head, 'm=audio 5004 RTP/AVP 0', 'a=inactive'));
    expect(both.ok && both.negotiated.direction).toBe('inactive');
  });

  it('fails with a reason when the answer does not fit the offer', () => {
    expect(acceptAudioAnswer(offer, sdp(...head))).toMatchObject({ ok: false, warning: 399 });
    expect(acceptAudioAnswer(offer, sdp(...head, 'm=audio 0 RTP/AVP 0'))).toMatchObject({
      ok: false,
      warning: 304,
    });
    expect(acceptAudioAnswer(offer, sdp(...head, 'm=video 5004 RTP/AVP 0'))).toMatchObject({
      ok: false,
      warning: 304,
    });
    expect(acceptAudioAnswer(offer, sdp(...head, 'm=audio 5004 RTP/SAVP 0'))).toMatchObject({
      ok: false,
      warning: 302,
    });
    expect(acceptAudioAnswer(offer, sdp(...head, 'm=audio 5004 RTP/AVP 18'))).toMatchObject({
      ok: false,
      warning: 305,
    });
  });

  it('SDES: the answer must echo the tag and suite of an offered line', () => {
    const key = { method: 'inline' as const, keySalt: 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk' };
    const srtp = createAudioOffer({
      ...us,
      crypto: [
        { tag: 1, suite: 'AES_CM_128_HMAC_SHA1_80', keys: [key], sessionParams: [] },
        { tag: 2, suite: 'AES_CM_128_HMAC_SHA1_32', keys: [key], sessionParams: [] },
      ],
    });
    const good = acceptAudioAnswer(
      srtp,
      sdp(
        ...head,
        'm=audio 5004 RTP/SAVP 0',
        'a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:WldZWFZVVFNSUVBPTk1MS0pJSEdGRURDQkFkY2Jh',
      ),
    );
    expect(good.ok && good.negotiated.crypto?.local.tag).toBe(2);
    expect(good.ok && good.negotiated.crypto?.remote.keys[0]).toMatchObject({ method: 'inline' });
    const wrong = acceptAudioAnswer(
      srtp,
      sdp(
        ...head,
        'm=audio 5004 RTP/SAVP 0',
        'a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:WldZWFZVVFNSUVBPTk1MS0pJSEdGRURDQkFkY2Jh',
      ),
    );
    expect(wrong).toMatchObject({ ok: false, warning: 305 });
  });
});

describe('offer → answer → accept, both ends built here', () => {
  it('agree on the same codecs, telephone-event and addresses from both sides', () => {
    const bob = createAudioAnswer(parseAgain(offer), {
      origin: { sessionId: '9', address: '192.0.2.20' },
      address: '192.0.2.20',
      port: 5004,
      codecs: codecs('PCMA', 'PCMU'),
      ptime: 20,
    });
    if (!bob.ok) throw new Error(bob.reason);
    const alice = acceptAudioAnswer(offer, parseAgain(bob.answer));
    if (!alice.ok) throw new Error(alice.reason);
    const pairs = (cs: readonly { name: string; sendPayloadType: number; receivePayloadType: number }[]) =>
      cs.map((c) => `${c.name}:${c.sendPayloadType}/${c.receivePayloadType}`);
    expect(pairs(bob.negotiated.codecs)).toEqual(['PCMU:0/0', 'PCMA:8/8']);
    expect(pairs(alice.negotiated.codecs)).toEqual(['PCMU:0/0', 'PCMA:8/8']);
    expect(alice.negotiated.telephoneEvent).toEqual(bob.negotiated.telephoneEvent);
    expect(alice.negotiated.remoteRtp).toEqual({ address: '192.0.2.20', port: 5004 });
    expect(bob.negotiated.remoteRtp).toEqual({ address: '203.0.113.5', port: 30000 });
    expect(alice.negotiated.ptime).toBe(20);
    expect(alice.negotiated.rtcpMux).toBe(true);
    expect(bob.negotiated.rtcpMux).toBe(true);
  });
});

describe('relayPayloadTypes (B2BUA without transcoding)', () => {
  it('maps what arrives on one leg to the numbers the other leg expects, telephone-event included', () => {
    // Leg A: a phone offered opus 96 / PCMU 0 / telephone-event 101; we answered.
    const a = createAudioAnswer(
      sdp(
        ...head,
        'm=audio 5004 RTP/AVP 96 0 101',
        'a=rtpmap:96 opus/48000/2',
        'a=rtpmap:101 telephone-event/48000',
        'a=fmtp:101 0-16',
      ),
      {
        origin: { sessionId: '1', address: '203.0.113.5' },
        address: '203.0.113.5',
        port: 30000,
        codecs: codecs('opus', 'PCMU'),
      },
    );
    // Leg B: our offer (opus 111, PCMU 0, te 110/101), answered with its own numbers.
    const b = acceptAudioAnswer(
      offer,
      sdp(
        ...head,
        'm=audio 6000 RTP/AVP 98 0 99',
        'a=rtpmap:98 opus/48000/2',
        'a=rtpmap:99 telephone-event/48000',
        'a=rtcp-mux',
      ),
    );
    if (!a.ok || !b.ok) throw new Error('negotiation failed');
    expect([...relayPayloadTypes(a.negotiated, b.negotiated)]).toEqual([
      [96, 98],
      [0, 0],
      [101, 99],
    ]);
    expect([...relayPayloadTypes(b.negotiated, a.negotiated)]).toEqual([
      [111, 96],
      [0, 0],
      [110, 101],
    ]);
  });
});

function parseAgain(s: SessionDescription): SessionDescription {
  const r = parseSdp(serializeSdp(s));
  if (!r.ok) throw new Error(r.reason);
  return r.sdp;
}
