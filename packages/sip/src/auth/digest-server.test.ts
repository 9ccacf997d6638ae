import { describe, expect, it } from 'vitest';
import { ManualClock, seededRandomBytes, TEST_SECRET } from './auth-test-helpers.ts';
import type { DigestHashName } from './digest-algorithm.ts';
import { computeDigestResponse, computeHa1, computeRspauth } from './digest-algorithm.ts';
import { parseAuthenticationInfo, parseChallengeRows, serializeDigestCredentials } from './digest-header.ts';
import type { DigestChallenge, DigestCredentialsInit } from './digest-header.ts';
import { DigestServer } from './digest-server.ts';
import type { DigestSecret, DigestServerOptions } from './digest-server-types.ts';
import { InMemoryNonceCountStore } from './nonce-count-store.ts';

const REALM = 'pbx.example.com';
const URI = 'sip:pbx.example.com';
const USERS: Record<string, string> = { alice: 'wonderland', bob: 's3cr3t "quoted"' };

function setup(options: Partial<DigestServerOptions> = {}) {
  const clock = new ManualClock();
  const server = new DigestServer({
    secret: TEST_SECRET,
    clock,
    randomBytes: seededRandomBytes(),
    ...options,
  });
  const lookup = (username: string): DigestSecret | undefined =>
    USERS[username] === undefined ? undefined : { password: USERS[username] };
  return { clock, server, lookup };
}

function challengeOf(
  server: DigestServer,
  algorithm: DigestHashName = 'SHA-256',
  stale = false,
): DigestChallenge {
  const found = parseChallengeRows(server.challenge({ realm: REALM, stale })).digest.find(
    (c) => c.algorithm === algorithm,
  );
  if (found === undefined) throw new Error(`no ${algorithm} challenge`);
  return found;
}

/** Credentials computed the long way, independent of DigestClient. */
function credentials(
  c: DigestChallenge,
  opts: {
    username?: string;
    password?: string;
    nc?: number;
    uri?: string;
    method?: string;
    qop?: boolean;
  } = {},
): DigestCredentialsInit {
  const username = opts.username ?? 'alice';
  const algorithm = (c.algorithm ?? 'MD5') as DigestHashName;
  const ha1 = computeHa1(algorithm, username, c.realm, opts.password ?? USERS[username] ?? 'x');
  const nc = (opts.nc ?? 1).toString(16).padStart(8, '0');
  const uri = opts.uri ?? URI;
  const withQop = opts.qop ?? true;
  const response = computeDigestResponse(ha1, {
    algorithm,
    method: opts.method ?? 'REGISTER',
    uri,
    nonce: c.nonce,
    ...(withQop && { qop: 'auth' as const, nc, cnonce: 'c0ffee' }),
  });
  return {
    username,
    realm: c.realm,
    nonce: c.nonce,
    uri,
    response,
    algorithm,
    ...(c.opaque !== undefined && { opaque: c.opaque }),
    ...(withQop && { qop: 'auth', nc, cnonce: 'c0ffee' }),
  };
}

const header = (c: DigestCredentialsInit) => serializeDigestCredentials(c);

describe('DigestServer.challenge', () => {
  it('offers SHA-256 then MD5 with qop="auth", one nonce and an opaque', () => {
    const { server } = setup();
    const rows = server.challenge({ realm: REALM });
    expect(rows).toHaveLength(2);
    const parsed = parseChallengeRows(rows).digest;
    expect(parsed.map((c) => c.algorithm)).toEqual(['SHA-256', 'MD5']);
    for (const c of parsed) {
      expect(c).toMatchObject({ realm: REALM, qop: ['auth'], stale: false });
      expect(c.opaque).toMatch(/^[0-9a-f]{32}$/);
      expect(c.nonce).toBe(parsed[0]?.nonce);
    }
    expect(rows[0]).toMatch(
      /^Digest realm="pbx\.example\.com", qop="auth", algorithm=SHA-256, nonce="[0-9a-f]{64}", opaque="[0-9a-f]{32}"$/,
    );
  });

  it('issues a new nonce for each challenge and marks stale on request', () => {
    const { server } = setup();
    expect(challengeOf(server).nonce).not.toBe(challengeOf(server).nonce);
    expect(challengeOf(server, 'SHA-256', true).stale).toBe(true);
  });

  it('refuses a short secret', () => {
    expect(
      () =>
        new DigestServer({
          secret: new Uint8Array(8),
          clock: new ManualClock(),
          randomBytes: seededRandomBytes(),
        }),
    ).toThrow(RangeError);
  });
});

describe('DigestServer.verify', () => {
  const verify = (
    s: ReturnType<typeof setup>,
    headers: string[],
    more: { method?: string; requestUri?: string } = {},
  ) =>
    s.server.verify({
      headers,
      realm: REALM,
      method: more.method ?? 'REGISTER',
      requestUri: more.requestUri ?? URI,
      lookup: s.lookup,
    });

  it.each(['SHA-256', 'MD5'] as const)(
    'accepts right credentials (%s) and returns a checkable Authentication-Info',
    async (alg) => {
      const s = setup();
      const c = credentials(challengeOf(s.server, alg));
      const result = await verify(s, [header(c)]);
      expect(result).toMatchObject({
        ok: true,
        username: 'alice',
        realm: REALM,
        algorithm: alg,
        qop: 'auth',
      });
      if (!result.ok) return;
      const info = parseAuthenticationInfo(result.authenticationInfo ?? '');
      const ha1 = computeHa1(alg, 'alice', REALM, 'wonderland');
      const rspauth = computeRspauth(ha1, {
        algorithm: alg,
        uri: URI,
        nonce: c.nonce,
        qop: 'auth',
        nc: '00000001',
        cnonce: 'c0ffee',
      });
      expect(info.ok && info.value).toEqual({ qop: 'auth', rspauth, cnonce: 'c0ffee', nc: '00000001' });
    },
  );

  it('verifies against stored MD5 and SHA-256 HA1s, never needing the password', async () => {
    const s = setup();
    const ha1 = {
      MD5: computeHa1('MD5', 'alice', REALM, 'wonderland'),
      'SHA-256': computeHa1('SHA-256', 'alice', REALM, 'wonderland').toUpperCase(),
    };
    const lookup = () => ({ ha1 });
    for (const alg of ['MD5', 'SHA-256'] as const) {
      const c = credentials(challengeOf(s.server, alg));
      const r = await s.server.verify({
        headers: [header(c)],
        realm: REALM,
        method: 'REGISTER',
        requestUri: URI,
        lookup,
      });
      expect(r.ok).toBe(true);
    }
    const onlyMd5 = () => ({ ha1: { MD5: ha1.MD5 } });
    const c = credentials(challengeOf(s.server, 'SHA-256'));
    const r = await s.server.verify({
      headers: [header(c)],
      realm: REALM,
      method: 'REGISTER',
      requestUri: URI,
      lookup: onlyMd5,
    });
    expect(r).toMatchObject({ ok: false, reason: 'ha1-unavailable' });
  });

  it('accepts an async lookup', async () => {
    const s = setup();
    const c = credentials(challengeOf(s.server));
    const r = await s.server.verify({
      headers: [header(c)],
      realm: REALM,
      method: 'REGISTER',
      requestUri: URI,
      lookup: async () => ({ password: 'wonderland' }),
    });
    expect(r.ok).toBe(true);
  });

  it('refuses a wrong password and an unknown user', async () => {
    const s = setup();
    const c = challengeOf(s.server);
    expect(await verify(s, [header(credentials(c, { password: 'guess' }))])).toMatchObject({
      ok: false,
      reason: 'bad-response',
      stale: false,
      username: 'alice',
    });
    expect(await verify(s, [header(credentials(c, { username: 'mallory' }))])).toMatchObject({
      ok: false,
      reason: 'unknown-user',
      stale: false,
    });
  });

  it('says stale=true when the nonce expired but the credentials are right (fake time)', async () => {
    const s = setup({ nonceTtlMs: 60_000 });
    const c = challengeOf(s.server);
    s.clock.advance(59_999);
    expect((await verify(s, [header(credentials(c))])).ok).toBe(true);
    s.clock.advance(1);
    expect(await verify(s, [header(credentials(c, { nc: 2 }))])).toMatchObject({
      ok: false,
      reason: 'stale',
      stale: true,
    });
    // Wrong password with an expired nonce is still just a wrong password.
    expect(await verify(s, [header(credentials(c, { nc: 3, password: 'no' }))])).toMatchObject({
      ok: false,
      reason: 'bad-response',
      stale: false,
    });
  });

  it('refuses a nonce dated too far in the future', async () => {
    const s = setup({ maxClockSkewMs: 1_000 });
    s.clock.advance(10_000);
    const c = challengeOf(s.server);
    s.clock.advance(-10_000);
    expect(await verify(s, [header(credentials(c))])).toMatchObject({ ok: false, reason: 'stale' });
  });

  it('lets nc grow per nonce and refuses replays', async () => {
    const s = setup();
    const c = challengeOf(s.server);
    const first = header(credentials(c, { nc: 1 }));
    expect((await verify(s, [first])).ok).toBe(true);
    expect(await verify(s, [first])).toMatchObject({ ok: false, reason: 'replay', stale: true });
    expect((await verify(s, [header(credentials(c, { nc: 2 }))])).ok).toBe(true);
    expect((await verify(s, [header(credentials(c, { nc: 5 }))])).ok).toBe(true);
    expect(await verify(s, [header(credentials(c, { nc: 4 }))])).toMatchObject({
      ok: false,
      reason: 'replay',
    });
  });

  it('shares replay state between nodes through the store, and nonces through the secret', async () => {
    const store = new InMemoryNonceCountStore();
    const a = setup({ nonceCounts: store });
    const b = setup({ nonceCounts: store, randomBytes: seededRandomBytes(7) });
    const c = challengeOf(a.server);
    const h = header(credentials(c));
    expect((await verify(b, [h])).ok).toBe(true);
    expect(await verify(a, [h])).toMatchObject({ ok: false, reason: 'replay' });
  });

  it('checks that the digest uri is the request-URI', async () => {
    const s = setup();
    const h = header(credentials(challengeOf(s.server), { uri: 'sip:other.example.com' }));
    expect(await verify(s, [h])).toMatchObject({ ok: false, reason: 'uri-mismatch' });
    const custom = setup({ uriMatches: (a, b) => a.toLowerCase() === b.toLowerCase() });
    const h2 = header(credentials(challengeOf(custom.server), { uri: 'sip:PBX.example.com' }));
    expect(await verify(custom, [h2], { requestUri: URI })).toMatchObject({ ok: true });
  });

  it('binds the response to the method', async () => {
    const s = setup();
    const h = header(credentials(challengeOf(s.server), { method: 'INVITE' }));
    expect(await verify(s, [h], { method: 'REGISTER' })).toMatchObject({ ok: false, reason: 'bad-response' });
  });

  it('tells a foreign nonce with a right password (stale) from one with a wrong password', async () => {
    const s = setup();
    const foreign = { ...challengeOf(s.server), nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093' };
    expect(await verify(s, [header(credentials(foreign))])).toMatchObject({
      ok: false,
      reason: 'stale',
      stale: true,
    });
    expect(await verify(s, [header(credentials(foreign, { password: 'x' }))])).toMatchObject({
      ok: false,
      reason: 'bad-nonce',
      stale: false,
    });
  });

  it('accepts nonces from a previous secret while rotating', async () => {
    const old = setup();
    const c = challengeOf(old.server);
    const rotated = setup({
      secret: new TextEncoder().encode('a-brand-new-secret-of-32-bytes!!'),
      previousSecrets: [TEST_SECRET],
    });
    expect((await verify(rotated, [header(credentials(c))])).ok).toBe(true);
  });

  it('refuses algorithms it did not offer and opaque values it did not send', async () => {
    const s = setup({ algorithms: ['SHA-256'] });
    const c = challengeOf(s.server);
    const md5 = { ...c, algorithm: 'MD5' };
    expect(await verify(s, [header(credentials(md5))])).toMatchObject({
      ok: false,
      reason: 'unsupported-algorithm',
    });
    const sess = header({ ...credentials(c), algorithm: 'SHA-256-sess' });
    expect(await verify(s, [sess])).toMatchObject({ ok: false, reason: 'unsupported-algorithm' });
    const badOpaque = header({ ...credentials(c), opaque: 'nope' });
    expect(await verify(s, [badOpaque])).toMatchObject({ ok: false, reason: 'opaque-mismatch' });
    const { opaque: _drop, ...noOpaque } = credentials(c);
    expect((await verify(s, [header(noOpaque)])).ok).toBe(true);
  });

  it('handles RFC 2069 credentials (no qop) once per nonce, or refuses them when told to', async () => {
    const s = setup();
    const c = challengeOf(s.server);
    const h = header(credentials(c, { qop: false }));
    const first = await verify(s, [h]);
    expect(first).toMatchObject({ ok: true, username: 'alice' });
    expect(first.ok && first.authenticationInfo).toBe(undefined);
    expect(await verify(s, [h])).toMatchObject({ ok: false, reason: 'replay', stale: true });
    const strict = setup({ allowNoQop: false });
    expect(
      await verify(strict, [header(credentials(challengeOf(strict.server), { qop: false }))]),
    ).toMatchObject({
      ok: false,
      reason: 'qop-required',
    });
  });

  it.each([
    ['qop without nc', (c: DigestCredentialsInit) => ({ ...c, nc: undefined })],
    ['qop without cnonce', (c: DigestCredentialsInit) => ({ ...c, cnonce: undefined })],
    ['bad nc', (c: DigestCredentialsInit) => ({ ...c, nc: '1' })],
    ['qop not offered', (c: DigestCredentialsInit) => ({ ...c, qop: 'auth-int' })],
  ])('calls %s malformed', async (_name, mutate) => {
    const s = setup();
    const r = await verify(s, [header(mutate(credentials(challengeOf(s.server))))]);
    expect(r).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('refuses userhash credentials, which it never offers', async () => {
    const s = setup();
    const h = header(credentials(challengeOf(s.server))) + ', userhash=true';
    expect(await verify(s, [h])).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('picks the credentials for its realm among several rows, and reports missing or garbage', async () => {
    const s = setup();
    const mine = header(credentials(challengeOf(s.server)));
    const foreign = header({ ...credentials(challengeOf(s.server)), realm: 'carrier.example.net' });
    expect((await verify(s, ['Basic YWxpY2U6eA==', foreign, mine])).ok).toBe(true);
    expect(await verify(s, [foreign])).toMatchObject({ ok: false, reason: 'missing', stale: false });
    expect(await verify(s, [])).toMatchObject({ ok: false, reason: 'missing' });
    expect(await verify(s, ['Digest username="x'])).toMatchObject({ ok: false, reason: 'malformed' });
  });
});
