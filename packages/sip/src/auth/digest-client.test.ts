import { describe, expect, it } from 'vitest';
import { seededRandomBytes } from './auth-test-helpers.ts';
import { answerChallenge, answerChallengeHeader, chooseChallenges } from './digest-answer.ts';
import { DigestClient } from './digest-client.ts';
import type { DigestCredentials } from './digest-header.ts';
import { parseChallengeRows, parseDigestCredentials } from './digest-header.ts';

// RFC 7616 §3.9.1, the server's two challenges and the client's SHA-256 answer.
const RFC7616_ROWS = [
  'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, ' +
    'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
  'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, ' +
    'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
];
const RFC7616_SHA256_AUTHORIZATION =
  'Digest username="Mufasa",\r\n       realm="http-auth@example.org",\r\n       uri="/dir/index.html",\r\n' +
  '       algorithm=SHA-256,\r\n       nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",\r\n       nc=00000001,\r\n' +
  '       cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",\r\n       qop=auth,\r\n' +
  '       response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",\r\n' +
  '       opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';

function fields(c: DigestCredentials) {
  const { params: _params, ...rest } = c;
  return rest;
}

function credsOf(value: string): DigestCredentials {
  const r = parseDigestCredentials(value);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe('answering a challenge', () => {
  it('reproduces the RFC 7616 §3.9.1 SHA-256 Authorization, preferring SHA-256 over MD5', () => {
    const [chosen, ...more] = chooseChallenges(parseChallengeRows(RFC7616_ROWS).digest);
    expect(more).toEqual([]);
    expect(chosen?.algorithm).toBe('SHA-256');
    expect(chosen?.qop).toBe('auth');
    const ours = answerChallengeHeader({
      chosen: chosen!,
      username: 'Mufasa',
      password: 'Circle of Life',
      method: 'GET',
      uri: '/dir/index.html',
      cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
      nc: 1,
    });
    expect(fields(credsOf(ours))).toEqual(fields(credsOf(RFC7616_SHA256_AUTHORIZATION)));
  });

  it('reproduces the RFC 7616 §3.9.1 MD5 response when only MD5 is offered', () => {
    const [chosen] = chooseChallenges(parseChallengeRows(RFC7616_ROWS[1]!).digest);
    const creds = answerChallenge({
      chosen: chosen!,
      username: 'Mufasa',
      password: 'Circle of Life',
      method: 'GET',
      uri: '/dir/index.html',
      cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
      nc: 1,
    });
    expect(creds.response).toBe('8ca523f5e9506fed4657c9700eebdbec');
  });

  it('reproduces the RFC 2617 §3.5 response and echoes opaque', () => {
    const rows =
      'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", ' +
      'opaque="5ccc069c403ebaf9f0171e9517f40e41"';
    const [chosen] = chooseChallenges(parseChallengeRows(rows).digest);
    const creds = answerChallenge({
      chosen: chosen!,
      username: 'Mufasa',
      password: 'Circle Of Life',
      method: 'GET',
      uri: '/dir/index.html',
      cnonce: '0a4f113b',
      nc: 1,
    });
    expect(creds).toMatchObject({
      response: '6629fae49393a05397450978507c4ef1',
      opaque: '5ccc069c403ebaf9f0171e9517f40e41',
      qop: 'auth',
      nc: '00000001',
      algorithm: 'MD5',
    });
  });

  it('answers in the RFC 2069 form when the challenge has no qop', () => {
    const [chosen] = chooseChallenges(
      parseChallengeRows('Digest realm="testrealm", nonce="1053604145", algorithm="SHA-256"').digest,
    );
    const creds = answerChallenge({
      chosen: chosen!,
      username: 'testuser',
      password: 'testpass',
      method: 'GET',
      uri: '/2061',
      cnonce: 'x',
    });
    expect(creds.response).toBe('9dc55255f1a2537b838311674b621d45346b862a81631bb20e4ce356ef25062d');
    expect(creds.qop).toBeUndefined();
    expect(creds.nc).toBeUndefined();
    expect(creds.cnonce).toBeUndefined();
  });

  it('chooses per realm: SHA-2 over an MD5 listed above it, otherwise the topmost supported', () => {
    const pick = (rows: string[]) =>
      chooseChallenges(parseChallengeRows(rows).digest).map((c) => [c.challenge.realm, c.algorithm, c.qop]);
    expect(
      pick(['Digest realm="a", nonce="1", algorithm=MD5', 'Digest realm="a", nonce="1", algorithm=SHA-256']),
    ).toEqual([['a', 'SHA-256', undefined]]);
    expect(
      pick([
        'Digest realm="a", nonce="1", algorithm=SHA-512-256',
        'Digest realm="a", nonce="1", algorithm=SHA-256',
      ]),
    ).toEqual([['a', 'SHA-512-256', undefined]]);
    expect(
      pick([
        'Digest realm="a", nonce="1", algorithm=AKAv1-MD5',
        'Digest realm="b", nonce="2", qop="auth-int"',
      ]),
    ).toEqual([['b', 'MD5', 'auth-int']]);
    expect(pick(['Digest realm="a", nonce="1", qop="x-unknown"'])).toEqual([]);
  });
});

const REQ = { method: 'REGISTER', requestUri: 'sip:pbx.example.com' };
const challengeRow = (realm: string, nonce: string, extra = '') =>
  `Digest realm="${realm}", qop="auth", algorithm=SHA-256, nonce="${nonce}"${extra}`;

function client(options: Partial<ConstructorParameters<typeof DigestClient>[0]> = {}) {
  return new DigestClient({
    credentials: { username: 'alice', password: 'pw' },
    randomBytes: seededRandomBytes(),
    ...options,
  });
}

describe('DigestClient', () => {
  it('sends nothing until challenged, then counts nc per nonce with a fresh cnonce each time', () => {
    const c = client();
    const first = c.authorize(REQ);
    expect(first).toEqual({ headers: [], used: [], round: 0 });
    expect(c.handleChallenge({ status: 401, headers: [challengeRow('r', 'n1')], sent: first })).toEqual({
      ok: true,
      realms: ['r'],
    });
    const retry = c.authorize({ ...REQ, previous: first });
    expect(retry.round).toBe(1);
    expect(retry.headers.map((h) => h.name)).toEqual(['Authorization']);
    const a = credsOf(retry.headers[0]!.value);
    expect(a).toMatchObject({
      username: 'alice',
      realm: 'r',
      nonce: 'n1',
      nc: '00000001',
      qop: 'auth',
      algorithm: 'SHA-256',
      uri: REQ.requestUri,
    });
    const b = credsOf(c.authorize(REQ).headers[0]!.value);
    expect(b.nc).toBe('00000002');
    expect(b.cnonce).not.toBe(a.cnonce);
    // A new nonce restarts the count.
    c.handleChallenge({ status: 401, headers: [challengeRow('r', 'n2', ', stale=true')] });
    expect(credsOf(c.authorize(REQ).headers[0]!.value)).toMatchObject({ nonce: 'n2', nc: '00000001' });
  });

  it('answers 407 with Proxy-Authorization and keeps both realms for the next retry', () => {
    const c = client();
    const s0 = c.authorize(REQ);
    expect(c.handleChallenge({ status: 407, headers: [challengeRow('proxy', 'p1')], sent: s0 }).ok).toBe(
      true,
    );
    const s1 = c.authorize({ ...REQ, previous: s0 });
    expect(c.handleChallenge({ status: 401, headers: [challengeRow('registrar', 'r1')], sent: s1 }).ok).toBe(
      true,
    );
    const s2 = c.authorize({ ...REQ, previous: s1 });
    expect(s2.headers.map((h) => [h.name, credsOf(h.value).realm, credsOf(h.value).nc])).toEqual([
      ['Proxy-Authorization', 'proxy', '00000002'],
      ['Authorization', 'registrar', '00000001'],
    ]);
  });

  it('gives up when the realm it just answered is challenged again without stale', () => {
    const c = client();
    const s0 = c.authorize(REQ);
    c.handleChallenge({ status: 401, headers: [challengeRow('r', 'n1')], sent: s0 });
    const s1 = c.authorize({ ...REQ, previous: s0 });
    // Same nonce again, or a fresh one: both mean the password was refused.
    expect(c.handleChallenge({ status: 401, headers: [challengeRow('r', 'n1')], sent: s1 })).toMatchObject({
      ok: false,
      reason: 'rejected',
    });
    expect(c.handleChallenge({ status: 401, headers: [challengeRow('r', 'n9')], sent: s1 })).toMatchObject({
      ok: false,
      reason: 'rejected',
    });
  });

  it('retries on stale=true with a new nonce, but not on stale=true with the same nonce', () => {
    const c = client();
    const s0 = c.authorize(REQ);
    c.handleChallenge({ status: 401, headers: [challengeRow('r', 'n1')], sent: s0 });
    const s1 = c.authorize({ ...REQ, previous: s0 });
    expect(
      c.handleChallenge({ status: 401, headers: [challengeRow('r', 'n1', ', stale=true')], sent: s1 }),
    ).toMatchObject({
      ok: false,
      reason: 'stale-loop',
    });
    expect(
      c.handleChallenge({ status: 401, headers: [challengeRow('r', 'n2', ', stale=true')], sent: s1 }).ok,
    ).toBe(true);
  });

  it('bounds the number of rounds even against a server that always says stale', () => {
    const c = client({ maxRounds: 3 });
    let sent = c.authorize(REQ);
    const verdicts = [];
    for (let i = 0; i < 10; i++) {
      const v = c.handleChallenge({
        status: 401,
        headers: [challengeRow('r', `n${i}`, ', stale=true')],
        sent,
      });
      verdicts.push(v.ok ? 'retry' : v.reason);
      if (!v.ok) break;
      sent = c.authorize({ ...REQ, previous: sent });
    }
    expect(verdicts).toEqual(['retry', 'retry', 'retry', 'too-many-rounds']);
  });

  it('forgives one refusal of preemptive credentials (the server may have forgotten the nonce)', () => {
    const c = client();
    c.handleChallenge({ status: 401, headers: [challengeRow('r', 'n1')] });
    const preemptive = c.authorize(REQ);
    expect(preemptive.round).toBe(0);
    expect(c.handleChallenge({ status: 401, headers: [challengeRow('r', 'n2')], sent: preemptive }).ok).toBe(
      true,
    );
    const retry = c.authorize({ ...REQ, previous: preemptive });
    expect(c.handleChallenge({ status: 401, headers: [challengeRow('r', 'n3')], sent: retry })).toMatchObject(
      { ok: false, reason: 'rejected' },
    );
  });

  it('reports unusable challenges and realms it has no credentials for', () => {
    const c = client({
      credentials: (realm) => (realm === 'mine' ? { username: 'a', password: 'b' } : undefined),
    });
    expect(c.handleChallenge({ status: 401, headers: ['Basic realm="x"'] })).toMatchObject({
      ok: false,
      reason: 'unsupported',
    });
    expect(c.handleChallenge({ status: 401, headers: ['Digest realm="x'] })).toMatchObject({
      ok: false,
      reason: 'unsupported',
    });
    expect(c.handleChallenge({ status: 401, headers: [challengeRow('theirs', 'n')] })).toMatchObject({
      ok: false,
      reason: 'no-credentials',
    });
    expect(
      c.handleChallenge({ status: 401, headers: [challengeRow('theirs', 'n'), challengeRow('mine', 'm')] }),
    ).toEqual({
      ok: true,
      realms: ['mine'],
    });
  });

  it('remembers a bounded number of realms and can forget them all', () => {
    const c = client({ maxRealms: 2 });
    for (const realm of ['a', 'b', 'c'])
      c.handleChallenge({ status: 401, headers: [challengeRow(realm, 'n')] });
    expect(c.authorize(REQ).used.map((u) => u.realm)).toEqual(['b', 'c']);
    c.forget();
    expect(c.authorize(REQ).headers).toEqual([]);
  });
});
