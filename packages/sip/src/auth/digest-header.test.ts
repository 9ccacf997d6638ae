import { describe, expect, it } from 'vitest';
import {
  parseAuthenticationInfo,
  parseChallengeRows,
  parseDigestCredentials,
  serializeAuthenticationInfo,
  serializeDigestChallenge,
  serializeDigestCredentials,
} from './digest-header.ts';

// RFC 7616 §3.9.1: the server offers SHA-256 first, then MD5, in two header rows.
const RFC7616_CHALLENGES = [
  'Digest\r\n    realm="http-auth@example.org",\r\n    qop="auth, auth-int",\r\n    algorithm=SHA-256,\r\n' +
    '    nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",\r\n    opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
  'Digest\r\n    realm="http-auth@example.org",\r\n    qop="auth, auth-int",\r\n    algorithm=MD5,\r\n' +
    '    nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",\r\n    opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
];

// RFC 2617 §3.5 credentials.
const RFC2617_AUTHORIZATION =
  'Digest username="Mufasa",\r\n                 realm="testrealm@host.com",\r\n' +
  '                 nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093",\r\n                 uri="/dir/index.html",\r\n' +
  '                 qop=auth,\r\n                 nc=00000001,\r\n                 cnonce="0a4f113b",\r\n' +
  '                 response="6629fae49393a05397450978507c4ef1",\r\n' +
  '                 opaque="5ccc069c403ebaf9f0171e9517f40e41"';

describe('challenges', () => {
  it('reads the two RFC 7616 §3.9.1 challenge rows', () => {
    const parsed = parseChallengeRows(RFC7616_CHALLENGES);
    expect(parsed.errors).toEqual([]);
    expect(parsed.digest.map((c) => c.algorithm)).toEqual(['SHA-256', 'MD5']);
    const [first] = parsed.digest;
    expect(first).toMatchObject({
      realm: 'http-auth@example.org',
      nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
      opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
      qop: ['auth', 'auth-int'],
      stale: false,
      userhash: false,
    });
  });

  it('reads several challenges in one row, keeping other schemes apart', () => {
    const parsed = parseChallengeRows(
      'Basic realm="x", Digest realm="a", nonce="n1", stale=TRUE, Digest realm="b", nonce="n2"',
    );
    expect(parsed.other.map((o) => o.scheme)).toEqual(['Basic']);
    expect(parsed.digest.map((c) => [c.realm, c.nonce, c.stale, c.algorithm])).toEqual([
      ['a', 'n1', true, undefined],
      ['b', 'n2', false, undefined],
    ]);
  });

  it('keeps good rows when another row is bad', () => {
    const parsed = parseChallengeRows([
      'Digest realm="x',
      'Digest realm="ok", nonce="n"',
      'Digest nonce="no-realm"',
    ]);
    expect(parsed.digest.map((c) => c.realm)).toEqual(['ok']);
    expect(parsed.errors).toHaveLength(2);
    expect(parsed.errors[1]).toContain('without realm');
  });

  it('rejects a Digest token68', () => {
    const parsed = parseChallengeRows('Digest realm=');
    expect(parsed.digest).toEqual([]);
    expect(parsed.errors[0]).toContain('token68');
  });

  it('serializes a challenge that parses back to the same values', () => {
    const text = serializeDigestChallenge({
      realm: 'sip "example".com',
      nonce: 'abc',
      algorithm: 'SHA-256',
      qop: ['auth'],
      opaque: 'op',
      stale: true,
    });
    expect(text).toBe(
      'Digest realm="sip \\"example\\".com", qop="auth", algorithm=SHA-256, nonce="abc", opaque="op", stale=true',
    );
    const [back] = parseChallengeRows(text).digest;
    expect(back).toMatchObject({
      realm: 'sip "example".com',
      nonce: 'abc',
      algorithm: 'SHA-256',
      qop: ['auth'],
      stale: true,
    });
  });
});

describe('credentials', () => {
  it('reads the RFC 2617 §3.5 Authorization', () => {
    const r = parseDigestCredentials(RFC2617_AUTHORIZATION);
    expect(r.ok && r.value).toMatchObject({
      username: 'Mufasa',
      realm: 'testrealm@host.com',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      uri: '/dir/index.html',
      qop: 'auth',
      nc: '00000001',
      cnonce: '0a4f113b',
      response: '6629fae49393a05397450978507c4ef1',
      opaque: '5ccc069c403ebaf9f0171e9517f40e41',
    });
  });

  it('tolerates quoted qop, nc and algorithm from sloppy clients', () => {
    const r = parseDigestCredentials(
      'Digest username="u", realm="r", nonce="n", uri="sip:a", response="x", qop="AUTH", nc="00000001", algorithm="MD5"',
    );
    expect(r.ok && [r.value.qop, r.value.nc, r.value.algorithm]).toEqual(['auth', '00000001', 'MD5']);
  });

  it.each([
    ['Basic dXNlcjpwYXNz', 'no Digest credentials'],
    ['Digest realm="r", nonce="n", uri="u", response="x"', 'without username'],
    ['Digest username="u", realm="r", nonce="n", uri="u"', 'without response'],
    [
      'Digest username="u", realm="r", nonce="n", uri="u", response="x", Digest username="v"',
      'several Digest',
    ],
    ['Digest username="u', 'unterminated'],
  ])('rejects %j', (row, reason) => {
    const r = parseDigestCredentials(row);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain(reason);
  });

  it('serializes in RFC 3261 §22.4 form with bare qop and nc', () => {
    const text = serializeDigestCredentials({
      username: 'bob',
      realm: 'biloxi.com',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      uri: 'sip:bob@biloxi.com',
      response: '245f23415f11432b3434341c022',
      algorithm: 'MD5',
      cnonce: '0a4f113b',
      opaque: '5ccc069c403ebaf9f0171e9517f40e41',
      qop: 'auth',
      nc: '00000001',
    });
    expect(text).toBe(
      'Digest username="bob", realm="biloxi.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", ' +
        'uri="sip:bob@biloxi.com", response="245f23415f11432b3434341c022", algorithm=MD5, ' +
        'cnonce="0a4f113b", opaque="5ccc069c403ebaf9f0171e9517f40e41", qop=auth, nc=00000001',
    );
    const back = parseDigestCredentials(text);
    expect(back.ok && back.value.uri).toBe('sip:bob@biloxi.com');
  });
});

describe('Authentication-Info', () => {
  it('round-trips', () => {
    const text = serializeAuthenticationInfo({
      nextnonce: 'n2',
      qop: 'auth',
      rspauth: 'abc',
      cnonce: 'c',
      nc: '00000001',
    });
    expect(text).toBe('nextnonce="n2", qop=auth, rspauth="abc", cnonce="c", nc=00000001');
    const back = parseAuthenticationInfo(text);
    expect(back.ok && back.value).toEqual({
      nextnonce: 'n2',
      qop: 'auth',
      rspauth: 'abc',
      cnonce: 'c',
      nc: '00000001',
    });
  });

  it('ignores unknown params and rejects garbage', () => {
    const r = parseAuthenticationInfo('foo=bar, rspauth="x"');
    expect(r.ok && r.value).toEqual({ rspauth: 'x' });
    expect(parseAuthenticationInfo('rspauth="x').ok).toBe(false);
  });
});
