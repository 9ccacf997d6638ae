import { describe, expect, it } from 'vitest';
import {
  attributeValue,
  attributeValues,
  hasAttribute,
  replaceAttribute,
  withAttribute,
  withoutAttribute,
} from './attributes.ts';
import { formatCrypto, parseCrypto } from './crypto-attribute.ts';
import { formatCandidate, parseCandidate } from './ice-attributes.ts';
import {
  fmtpParameters,
  formatRtcp,
  formatRtpMap,
  parseFmtp,
  parseRtcp,
  parseRtpMap,
  readMaxPtime,
  readPtime,
} from './rtp-attributes.ts';
import {
  parseExtmap,
  parseFingerprint,
  parseGroup,
  parseMsid,
  parseSetup,
  parseSsrc,
  parseSsrcGroup,
  webRtcAttribute,
} from './webrtc-attributes.ts';

const section = (...attributes: { name: string; value?: string }[]) => ({ attributes });

describe('generic attribute access', () => {
  const s = section(
    { name: 'rtpmap', value: '0 PCMU/8000' },
    { name: 'RTPMAP', value: '8 PCMA/8000' },
    { name: 'sendonly' },
  );

  it('finds values case-insensitively, in order, with "" for property attributes', () => {
    expect(attributeValues(s, 'rtpmap')).toEqual(['0 PCMU/8000', '8 PCMA/8000']);
    expect(attributeValue(s, 'sendonly')).toBe('');
    expect(attributeValue(s, 'ptime')).toBeUndefined();
    expect(hasAttribute(s, 'SENDONLY')).toBe(true);
  });

  it('edits return copies and keep the other attributes in place', () => {
    const replaced = replaceAttribute(s, { name: 'rtpmap', value: '9 G722/8000' });
    expect(replaced.attributes).toEqual([{ name: 'rtpmap', value: '9 G722/8000' }, { name: 'sendonly' }]);
    expect(withoutAttribute(s, 'rtpmap').attributes).toEqual([{ name: 'sendonly' }]);
    expect(withAttribute(s, { name: 'ptime', value: '20' }).attributes).toHaveLength(4);
    expect(replaceAttribute(section(), { name: 'ptime', value: '20' }).attributes).toEqual([
      { name: 'ptime', value: '20' },
    ]);
    expect(s.attributes).toHaveLength(3);
  });
});

describe('rtpmap / fmtp / ptime / rtcp', () => {
  it('rtpmap with and without channels; invalid ones are undefined', () => {
    expect(parseRtpMap('111 opus/48000/2')).toEqual({
      payloadType: 111,
      encodingName: 'opus',
      clockRate: 48000,
      channels: 2,
    });
    expect(parseRtpMap('0 PCMU/8000')).toEqual({ payloadType: 0, encodingName: 'PCMU', clockRate: 8000 });
    expect(parseRtpMap('128 x/8000')).toBeUndefined();
    expect(parseRtpMap('96 opus')).toBeUndefined();
    expect(parseRtpMap('96opus/48000')).toBeUndefined();
    for (const v of ['111 opus/48000/2', '0 PCMU/8000', '101 telephone-event/8000'])
      expect(formatRtpMap(parseRtpMap(v)!)).toBe(v);
  });

  it('fmtp splits format and parameters; parameter maps lower-case keys', () => {
    expect(parseFmtp('111 minptime=10;useinbandfec=1')).toEqual({
      format: '111',
      parameters: 'minptime=10;useinbandfec=1',
    });
    expect(parseFmtp('101')).toBeUndefined();
    expect([...fmtpParameters('minptime=10; useinbandfec=1;Stereo=0')]).toEqual([
      ['minptime', '10'],
      ['useinbandfec', '1'],
      ['stereo', '0'],
    ]);
    expect(fmtpParameters('0-16').get('0-16')).toBe('');
  });

  it('ptime and maxptime, decimals allowed, junk ignored', () => {
    expect(readPtime(section({ name: 'ptime', value: '20' }))).toBe(20);
    expect(readPtime(section({ name: 'ptime', value: '0.5' }))).toBe(0.5);
    expect(readPtime(section({ name: 'ptime', value: 'twenty' }))).toBeUndefined();
    expect(readPtime(section({ name: 'ptime', value: '0' }))).toBeUndefined();
    expect(readMaxPtime(section({ name: 'maxptime', value: '60' }))).toBe(60);
  });

  it('rtcp (RFC 3605): port alone or with an address', () => {
    expect(parseRtcp('53020')).toEqual({ port: 53020 });
    expect(parseRtcp('9 IN IP4 0.0.0.0')).toEqual({
      port: 9,
      netType: 'IN',
      addrType: 'IP4',
      address: '0.0.0.0',
    });
    expect(parseRtcp('9 IN IP4')).toBeUndefined();
    expect(parseRtcp('70000')).toBeUndefined();
    expect(formatRtcp({ port: 9, netType: 'IN', addrType: 'IP6', address: '::1' })).toBe('9 IN IP6 ::1');
  });
});

describe('a=crypto (RFC 4568)', () => {
  it('parses the RFC 4568 §9.2 example with lifetime, MKI and session params', () => {
    const v =
      '1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32 KDR=1 UNENCRYPTED_SRTCP';
    expect(parseCrypto(v)).toEqual({
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
      sessionParams: ['KDR=1', 'UNENCRYPTED_SRTCP'],
    });
    expect(formatCrypto(parseCrypto(v)!)).toBe(v);
  });

  it('several keys, MKI without lifetime, other key methods', () => {
    const v =
      '2 F8_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm|2^20|1:4;inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5|2^20|2:4';
    expect(parseCrypto(v)?.keys).toHaveLength(2);
    expect(formatCrypto(parseCrypto(v)!)).toBe(v);
    expect(parseCrypto('3 AES_CM_128_HMAC_SHA1_32 inline:AAAA|1:4')?.keys[0]).toEqual({
      method: 'inline',
      keySalt: 'AAAA',
      mki: { value: '1', length: '4' },
    });
    expect(parseCrypto('4 SUITE_X uri:https://keys.example/1')?.keys[0]).toEqual({
      method: 'uri',
      info: 'https://keys.example/1',
    });
  });

  it('rejects malformed lines', () => {
    for (const v of [
      '',
      '1',
      '1 AES_CM_128_HMAC_SHA1_80',
      'x AES_CM_128_HMAC_SHA1_80 inline:AAAA',
      '1234567890 AES inline:AAAA',
      '1 AES-CM inline:AAAA',
      '1 AES inline:',
      '1 AES inline:AA$A',
      '1 AES inline:AAAA|1:2|3:4',
      '1 AES inline:AAAA|x',
      '1 AES :AAAA',
    ]) {
      expect(parseCrypto(v), v).toBeUndefined();
    }
  });
});

describe('ICE candidate (RFC 8839 §5.1)', () => {
  it('host, srflx with raddr/rport, extensions; format gives the text back', () => {
    const lines = [
      '1 1 UDP 2130706431 192.168.1.20 7078 typ host',
      '2 1 UDP 1694498815 203.0.113.7 41734 typ srflx raddr 192.168.1.20 rport 7078',
      '3354624155 1 tcp 1518280447 192.168.1.33 9 typ host tcptype active generation 0',
      '842163049 1 udp 1677729535 2001:db8::1 3478 typ relay raddr :: rport 0 generation 0 ufrag EsAw',
      '1 1 udp 2122260223 5a1b2c3d-0000-4000-8000-000000000000.local 52000 typ host',
    ];
    for (const l of lines) expect(formatCandidate(parseCandidate(l)!)).toBe(l);
    expect(parseCandidate(lines[1]!)).toEqual({
      foundation: '2',
      component: 1,
      transport: 'UDP',
      priority: 1694498815,
      address: '203.0.113.7',
      port: 41734,
      type: 'srflx',
      relatedAddress: '192.168.1.20',
      relatedPort: 7078,
      extensions: [],
    });
  });

  it('rejects malformed candidates', () => {
    for (const v of [
      '1 1 UDP 1 192.0.2.1 5000 host',
      '1 1 UDP 1 192.0.2.1 70000 typ host',
      '1 x UDP 1 192.0.2.1 5000 typ host',
      '1 1 UDP p 192.0.2.1 5000 typ host',
      '1 1 UDP 1 192.0.2.1 5000 typ host generation',
      'f@o 1 UDP 1 192.0.2.1 5000 typ host',
      '1 1 UDP 1 192.0.2.1 5000 typ srflx raddr 1.2.3.4 rport x',
    ]) {
      expect(parseCandidate(v), v).toBeUndefined();
    }
  });
});

describe('DTLS / BUNDLE / WebRTC attributes', () => {
  it('fingerprint, setup, group, msid', () => {
    expect(parseFingerprint('sha-256 D2:FA:0E')).toEqual({ hashFunction: 'sha-256', value: 'D2:FA:0E' });
    expect(parseFingerprint('sha-256 D2FA')).toBeUndefined();
    expect(parseSetup('actpass')).toBe('actpass');
    expect(parseSetup('sideways')).toBeUndefined();
    expect(parseGroup('BUNDLE 0 1')).toEqual({ semantics: 'BUNDLE', mids: ['0', '1'] });
    expect(parseGroup('')).toBeUndefined();
    expect(parseMsid('stream track')).toEqual({ streamId: 'stream', trackId: 'track' });
    expect(parseMsid('a b c')).toBeUndefined();
  });

  it('ssrc, ssrc-group, extmap with direction and attributes', () => {
    expect(parseSsrc('4294967295 cname:x')).toEqual({ ssrc: 4294967295, attribute: 'cname', value: 'x' });
    expect(parseSsrc('4294967296 cname:x')).toBeUndefined();
    expect(parseSsrc('1 label')).toEqual({ ssrc: 1, attribute: 'label' });
    expect(parseSsrcGroup('FID 1 2')).toEqual({ semantics: 'FID', ssrcs: [1, 2] });
    expect(parseSsrcGroup('FID 1 x')).toBeUndefined();
    expect(parseExtmap('3/sendonly urn:x attr')).toEqual({
      id: 3,
      direction: 'sendonly',
      uri: 'urn:x',
      attributes: 'attr',
    });
    expect(parseExtmap('0 urn:x')).toBeUndefined();
    expect(parseExtmap('1/sideways urn:x')).toBeUndefined();
    expect(
      webRtcAttribute.extmap({ id: 3, direction: 'sendonly', uri: 'urn:x', attributes: 'attr' }).value,
    ).toBe('3/sendonly urn:x attr');
    expect(webRtcAttribute.ssrc({ ssrc: 1, attribute: 'cname', value: 'x' }).value).toBe('1 cname:x');
  });
});
