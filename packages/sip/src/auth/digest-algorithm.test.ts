import { describe, expect, it } from 'vitest';
import {
  computeDigestResponse,
  computeHa1,
  computeRspauth,
  formatNonceCount,
  parseDigestAlgorithm,
  parseNonceCount,
} from './digest-algorithm.ts';

// RFC 7616 §3.9.1 inputs. NOTE: the password is "Circle of Life" with a lower-case "of" here
// (RFC 7616 erratum 4495), unlike RFC 2617's "Circle Of Life".
const RFC7616 = {
  username: 'Mufasa',
  realm: 'http-auth@example.org',
  password: 'Circle of Life',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  uri: '/dir/index.html',
};

describe('request-digest', () => {
  it('RFC 2617 §3.5: MD5, qop=auth', () => {
    const ha1 = computeHa1('MD5', 'Mufasa', 'testrealm@host.com', 'Circle Of Life');
    const response = computeDigestResponse(ha1, {
      algorithm: 'MD5',
      method: 'GET',
      uri: '/dir/index.html',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      qop: 'auth',
      nc: '00000001',
      cnonce: '0a4f113b',
    });
    expect(response).toBe('6629fae49393a05397450978507c4ef1');
  });

  it.each([
    ['MD5', '8ca523f5e9506fed4657c9700eebdbec'],
    ['SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
  ] as const)('RFC 7616 §3.9.1: %s, qop=auth', (algorithm, expected) => {
    const ha1 = computeHa1(algorithm, RFC7616.username, RFC7616.realm, RFC7616.password);
    const response = computeDigestResponse(ha1, {
      algorithm,
      method: 'GET',
      uri: RFC7616.uri,
      nonce: RFC7616.nonce,
      qop: 'auth',
      nc: '00000001',
      cnonce: RFC7616.cnonce,
    });
    expect(response).toBe(expected);
  });

  // Expected values below were computed independently with Node's OpenSSL hashes; the two
  // "-sess" values also appear in other public Digest implementations' test suites.
  it.each([
    ['MD5-sess', 'e783283f46242139c486a698fec7211d'],
    ['SHA-256-sess', '2fd51b3a77ad75bad6afad6003e818d767133c46d9e2749e7f5232ae1ea3efd7'],
    ['SHA-512-256', '430d05014cecc49cab6fbe03176d41a1da86cbfe24a16580e22aaad928d960d0'],
    ['SHA-512-256-sess', '3f2a34f923c38b0fb26dce2fdfc2ce326c23cecf86fbb1444f3e51fbbc2cb92e'],
  ] as const)('%s with the RFC 7616 inputs', (algorithm, expected) => {
    const hash = algorithm.startsWith('MD5')
      ? 'MD5'
      : algorithm.startsWith('SHA-256')
        ? 'SHA-256'
        : 'SHA-512-256';
    const ha1 = computeHa1(hash, RFC7616.username, RFC7616.realm, RFC7616.password);
    const response = computeDigestResponse(ha1, {
      algorithm,
      method: 'GET',
      uri: RFC7616.uri,
      nonce: RFC7616.nonce,
      qop: 'auth',
      nc: '00000001',
      cnonce: RFC7616.cnonce,
    });
    expect(response).toBe(expected);
  });

  it.each([
    ['MD5', '3dbb0971468cf612bdccd7dff696c5e6'],
    ['SHA-256', '21468b02aafd4fe0a3d84bfddaf3618cc087adff4bb3c92d0a5f99c3035fcb9a'],
  ] as const)('qop=auth-int hashes the body (%s)', (algorithm, expected) => {
    const ha1 = computeHa1(algorithm, RFC7616.username, RFC7616.realm, RFC7616.password);
    const input = {
      algorithm,
      method: 'INVITE',
      uri: 'sip:bob@example.org',
      nonce: RFC7616.nonce,
      qop: 'auth-int',
      nc: '00000002',
      cnonce: RFC7616.cnonce,
    } as const;
    expect(computeDigestResponse(ha1, { ...input, body: 'v=0\r\n' })).toBe(expected);
    expect(computeDigestResponse(ha1, { ...input, body: new TextEncoder().encode('v=0\r\n') })).toBe(
      expected,
    );
    expect(computeDigestResponse(ha1, { ...input, body: 'v=1\r\n' })).not.toBe(expected);
  });

  it('RFC 2069 form without qop (curl test 2061 vector, SHA-256)', () => {
    const ha1 = computeHa1('SHA-256', 'testuser', 'testrealm', 'testpass');
    const response = computeDigestResponse(ha1, {
      algorithm: 'SHA-256',
      method: 'GET',
      uri: '/2061',
      nonce: '1053604145',
    });
    expect(response).toBe('9dc55255f1a2537b838311674b621d45346b862a81631bb20e4ce356ef25062d');
  });

  it('hashes the unescaped username (curl test 1229 vector: \\user")', () => {
    const ha1 = computeHa1('MD5', '\\user"', 'testrealm', 'password');
    const response = computeDigestResponse(ha1, {
      algorithm: 'MD5',
      method: 'GET',
      uri: '/1229',
      nonce: '1053604145',
    });
    expect(response).toBe('f2694d426040712584c156d3de72b8d6');
  });
});

describe('rspauth (Authentication-Info)', () => {
  it.each([
    ['MD5', '9b712497bc9f91499fbcca1dfc5f09a5'],
    ['SHA-256', '86d3b25618d41854ca5039a5d7e53ff6355d5134a9b1fb088a78ac3c462195a0'],
  ] as const)('uses A2 = ":" digest-uri (%s)', (algorithm, expected) => {
    const ha1 = computeHa1(algorithm, RFC7616.username, RFC7616.realm, RFC7616.password);
    const rspauth = computeRspauth(ha1, {
      algorithm,
      uri: RFC7616.uri,
      nonce: RFC7616.nonce,
      qop: 'auth',
      nc: '00000001',
      cnonce: RFC7616.cnonce,
    });
    expect(rspauth).toBe(expected);
  });
});

describe('algorithm and nonce-count tokens', () => {
  it('reads algorithm names case-insensitively; absent means MD5', () => {
    expect(parseDigestAlgorithm(undefined)).toBe('MD5');
    expect(parseDigestAlgorithm('sha-256')).toBe('SHA-256');
    expect(parseDigestAlgorithm('md5-SESS')).toBe('MD5-sess');
    expect(parseDigestAlgorithm('SHA-512-256')).toBe('SHA-512-256');
    expect(parseDigestAlgorithm('AKAv1-MD5')).toBeUndefined();
  });

  it('formats and reads 8-hex-digit nonce counts', () => {
    expect(formatNonceCount(1)).toBe('00000001');
    expect(formatNonceCount(255)).toBe('000000ff');
    expect(parseNonceCount('000000FF')).toBe(255);
    expect(parseNonceCount('00000000')).toBeUndefined();
    expect(parseNonceCount('1')).toBeUndefined();
    expect(parseNonceCount('0000000g')).toBeUndefined();
  });
});
