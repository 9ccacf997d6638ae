import { describe, expect, it } from 'vitest';
import { assignPayloadTypes, createAudioOffer, type AudioOfferOptions } from './audio-offer.ts';
import { readAudio } from './audio-stream.ts';
import { attributeValues } from './attributes.ts';
import { audioCodec, defaultCodecs, type AudioCodec } from './codecs.ts';
import { parseSdp } from './sdp-parser.ts';
import { serializeSdp } from './sdp-serializer.ts';
import { isNewRemoteVersion, nextSessionVersion } from './session-version.ts';

const codecs = (...names: string[]): AudioCodec[] => {
  const r = defaultCodecs.resolve(names);
  if (!r.ok) throw new Error(r.reason);
  return r.codecs;
};

const base: AudioOfferOptions = {
  origin: { sessionId: '3724394400', address: '198.51.100.1' },
  address: '198.51.100.1',
  port: 20000,
  codecs: codecs('PCMU', 'PCMA'),
};

describe('createAudioOffer', () => {
  it('writes a complete RFC 3264 offer for G.711 with telephone-event 0-16', () => {
    const text = serializeSdp(createAudioOffer({ ...base, ptime: 20 }));
    expect(text).toBe(
      [
        'v=0',
        'o=- 3724394400 3724394400 IN IP4 198.51.100.1',
        's=-',
        'c=IN IP4 198.51.100.1',
        't=0 0',
        'm=audio 20000 RTP/AVP 0 8 101',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:101 telephone-event/8000',
        'a=fmtp:101 0-16',
        'a=ptime:20',
        'a=sendrecv',
        '',
      ].join('\r\n'),
    );
    expect(parseSdp(text).ok).toBe(true);
  });

  it('opus, G.722, G.729: static numbers kept, opus on its preferred 111, one telephone-event per clock rate', () => {
    const sdp = createAudioOffer({ ...base, codecs: codecs('opus', 'G722', 'PCMU', 'G729') });
    const audio = readAudio(sdp)!;
    expect(audio.codecs.map((c) => `${c.payloadType} ${c.name}/${c.clockRate}/${c.channels}`)).toEqual([
      '111 opus/48000/2',
      '9 G722/8000/1',
      '0 PCMU/8000/1',
      '18 G729/8000/1',
    ]);
    expect(audio.codecs[0]?.fmtp).toBe('minptime=10;useinbandfec=1');
    expect(audio.codecs[3]?.fmtp).toBe('annexb=no');
    expect(audio.telephoneEvents).toEqual([
      { payloadType: 110, clockRate: 48000, events: '0-16' },
      { payloadType: 101, clockRate: 8000, events: '0-16' },
    ]);
    expect(attributeValues(sdp.media[0]!, 'rtpmap')).toContain('111 opus/48000/2');
  });

  it('telephone-event can be turned off or given explicitly', () => {
    expect(readAudio(createAudioOffer({ ...base, telephoneEvent: false }))!.telephoneEvents).toEqual([]);
    const te = audioCodec('telephone-event', 8000)!;
    const sdp = createAudioOffer({ ...base, telephoneEvent: [{ ...te, payloadType: 96, fmtp: '0-15' }] });
    expect(readAudio(sdp)!.telephoneEvents).toEqual([{ payloadType: 96, clockRate: 8000, events: '0-15' }]);
  });

  it('rtcp-mux, a=rtcp, maxptime, SDES crypto (RTP/SAVP), extra attributes, IPv6', () => {
    const sdp = createAudioOffer({
      ...base,
      address: '2001:db8::10',
      rtcpMux: true,
      rtcp: 20001,
      maxptime: 40,
      crypto: [
        {
          tag: 1,
          suite: 'AES_CM_128_HMAC_SHA1_80',
          keys: [{ method: 'inline', keySalt: 'QUJD' }],
          sessionParams: [],
        },
      ],
      mediaAttributes: [{ name: 'x-custom', value: 'kept' }],
    });
    const text = serializeSdp(sdp);
    expect(text).toContain('c=IN IP6 2001:db8::10\r\n');
    expect(text).toContain('m=audio 20000 RTP/SAVP 0 8 101\r\n');
    expect(text).toContain(
      'a=maxptime:40\r\na=rtcp:20001\r\na=rtcp-mux\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:QUJD\r\n',
    );
    expect(text.endsWith('a=sendrecv\r\na=x-custom:kept\r\n')).toBe(true);
    const audio = readAudio(sdp)!;
    expect(audio.rtcpMux).toBe(true);
    expect(audio.crypto[0]?.suite).toBe('AES_CM_128_HMAC_SHA1_80');
  });

  it('hold: sendonly attribute (RFC 3264 §8.4), and c=0.0.0.0 with holdStyle rfc2543', () => {
    const modern = createAudioOffer({ ...base, direction: 'sendonly' });
    expect(readAudio(modern)).toMatchObject({ direction: 'sendonly', onHold: true });
    expect(modern.connection?.address).toBe('198.51.100.1');
    const legacy = createAudioOffer({ ...base, direction: 'sendonly', holdStyle: 'rfc2543' });
    expect(legacy.connection?.address).toBe('0.0.0.0');
    expect(createAudioOffer({ ...base, holdStyle: 'rfc2543' }).connection?.address).toBe('198.51.100.1');
  });

  it('throws on programming errors only', () => {
    expect(() => createAudioOffer({ ...base, codecs: [] })).toThrow(RangeError);
    expect(() => createAudioOffer({ ...base, codecs: codecs('telephone-event') })).toThrow(RangeError);
    expect(() => createAudioOffer({ ...base, port: 70000 })).toThrow(RangeError);
    expect(() => createAudioOffer({ ...base, origin: { sessionId: 'abc', address: 'x' } })).toThrow(
      RangeError,
    );
  });
});

describe('re-offers (RFC 3264 §8)', () => {
  it('increments the o= version by one when something changed, keeps the o= line otherwise', () => {
    const first = createAudioOffer(base);
    const hold = createAudioOffer({ ...base, direction: 'sendonly', previous: first });
    expect(hold.origin).toEqual({ ...first.origin, sessionVersion: '3724394401' });
    const resume = createAudioOffer({ ...base, previous: hold });
    expect(resume.origin.sessionVersion).toBe('3724394402');
    const refresh = createAudioOffer({ ...base, previous: resume });
    expect(refresh).toBe(resume);
    expect(isNewRemoteVersion(resume, refresh)).toBe(false);
    expect(isNewRemoteVersion(hold, resume)).toBe(true);
  });

  it('keeps other m= lines (disabled) and the audio slot, and keeps payload numbers', () => {
    const previous = parseSdp(
      [
        'v=0',
        'o=- 5 7 IN IP4 198.51.100.1',
        's=-',
        'c=IN IP4 198.51.100.1',
        't=0 0',
        'm=video 0 RTP/AVP 96',
        'm=audio 20000 RTP/AVP 0 97 98',
        'a=rtpmap:97 opus/48000/2',
        'a=rtpmap:98 telephone-event/48000',
        '',
      ].join('\r\n'),
    );
    if (!previous.ok) throw new Error(previous.reason);
    const sdp = createAudioOffer({ ...base, codecs: codecs('opus', 'PCMU', 'PCMA'), previous: previous.sdp });
    expect(sdp.origin.sessionId).toBe('5');
    expect(sdp.origin.sessionVersion).toBe('8');
    expect(sdp.media.map((m) => `${m.type} ${m.port}`)).toEqual(['video 0', 'audio 20000']);
    const audio = readAudio(sdp)!;
    expect(audio.mediaIndex).toBe(1);
    expect(audio.codecs.map((c) => [c.payloadType, c.name])).toEqual([
      [97, 'opus'],
      [0, 'PCMU'],
      [8, 'PCMA'],
    ]);
    // telephone-event/48000 keeps 98; /8000 gets a number not used before (not 97 or 98).
    expect(audio.telephoneEvents.map((t) => [t.payloadType, t.clockRate])).toEqual([
      [98, 48000],
      [101, 8000],
    ]);
  });

  it('nextSessionVersion is exact beyond 2^53', () => {
    expect(nextSessionVersion('9007199254740993')).toBe('9007199254740994');
    expect(nextSessionVersion('18446744073709551615')).toBe('18446744073709551616');
  });
});

describe('assignPayloadTypes', () => {
  it('never re-binds a number used before to another codec, and never reuses one twice', () => {
    const previous = [{ payloadType: 96, name: 'speex', clockRate: 8000, channels: 1 }];
    const out = assignPayloadTypes(
      [
        { name: 'iLBC', clockRate: 8000, channels: 1, payloadType: 96 },
        { name: 'AMR', clockRate: 8000, channels: 1 },
        { name: 'PCMU', clockRate: 8000, channels: 1, payloadType: 0 },
        { name: 'PCMU', clockRate: 16000, channels: 1, payloadType: 0 },
      ],
      previous,
    );
    expect(out.map((f) => f.payloadType)).toEqual([97, 98, 0, 99]);
  });

  it('falls back to 35–63 after 96–127 and throws when nothing is left', () => {
    const many = Array.from({ length: 33 }, (_, i) => ({ name: `x${i}`, clockRate: 8000, channels: 1 }));
    const out = assignPayloadTypes(many);
    expect(out[31]?.payloadType).toBe(127);
    expect(out[32]?.payloadType).toBe(35);
    const tooMany = Array.from({ length: 62 }, (_, i) => ({ name: `x${i}`, clockRate: 8000, channels: 1 }));
    expect(() => assignPayloadTypes(tooMany)).toThrow(RangeError);
  });
});

describe('CodecRegistry', () => {
  it('resolves names with optional rate and channels, and reports unknown ones', () => {
    expect(defaultCodecs.resolve(['pcmu', 'opus/48000/2', 'telephone-event/48000'])).toMatchObject({
      ok: true,
      codecs: [{ name: 'PCMU' }, { name: 'opus' }, { name: 'telephone-event', clockRate: 48000 }],
    });
    expect(defaultCodecs.resolve(['PCMU', 'G7231'])).toEqual({ ok: false, reason: 'unknown codec "G7231"' });
  });
});
