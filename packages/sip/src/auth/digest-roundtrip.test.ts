// DigestClient against DigestServer, as a UAC and a registrar would use them, in fake time.

import { describe, expect, it } from 'vitest';
import { ManualClock, seededRandomBytes, TEST_SECRET } from './auth-test-helpers.ts';
import type { AuthorizationSet, DigestClientOptions } from './digest-client.ts';
import { DigestClient } from './digest-client.ts';
import { DigestServer } from './digest-server.ts';
import type { DigestServerOptions, DigestVerifyResult } from './digest-server-types.ts';

const REALM = 'tenant-a.example.com';
const URI = 'sip:tenant-a.example.com';

interface Exchange {
  status: number;
  result?: DigestVerifyResult;
}

/** A registrar: 401 with a challenge unless the credentials verify. */
function registrar(options: Partial<DigestServerOptions> = {}) {
  const clock = new ManualClock();
  const server = new DigestServer({
    secret: TEST_SECRET,
    clock,
    randomBytes: seededRandomBytes(99),
    ...options,
  });
  const handle = async (
    auth: AuthorizationSet,
    method = 'REGISTER',
  ): Promise<Exchange & { challenge?: string[] }> => {
    const headers = auth.headers.filter((h) => h.name === 'Authorization').map((h) => h.value);
    if (headers.length === 0) return { status: 401, challenge: server.challenge({ realm: REALM }) };
    const result = await server.verify({
      headers,
      realm: REALM,
      method,
      requestUri: URI,
      lookup: (u) => (u === 'alice' ? { password: 'correct horse' } : undefined),
    });
    if (result.ok) return { status: 200, result };
    return { status: 401, result, challenge: server.challenge({ realm: REALM, stale: result.stale }) };
  };
  return { clock, server, handle };
}

/** A UAC loop: send, and on 401 let the client decide whether to retry. */
async function send(reg: ReturnType<typeof registrar>, client: DigestClient, method = 'REGISTER') {
  const statuses: number[] = [];
  let auth = client.authorize({ method, requestUri: URI });
  for (;;) {
    const res = await reg.handle(auth, method);
    statuses.push(res.status);
    if (res.status !== 401 || res.challenge === undefined) return { statuses, final: res };
    const verdict = client.handleChallenge({ status: 401, headers: res.challenge, sent: auth });
    if (!verdict.ok) return { statuses, final: res, gaveUp: verdict.reason };
    auth = client.authorize({ method, requestUri: URI, previous: auth });
  }
}

const alice = (options: Partial<DigestClientOptions> = {}) =>
  new DigestClient({
    credentials: { username: 'alice', password: 'correct horse' },
    randomBytes: seededRandomBytes(5),
    ...options,
  });

describe('UAC against registrar', () => {
  it('registers after one 401, with SHA-256', async () => {
    const reg = registrar();
    const { statuses, final } = await send(reg, alice());
    expect(statuses).toEqual([401, 200]);
    expect(final.result).toMatchObject({ ok: true, username: 'alice', algorithm: 'SHA-256' });
  });

  it('falls back to MD5 when that is all the server offers', async () => {
    const reg = registrar({ algorithms: ['MD5'] });
    const { final } = await send(reg, alice());
    expect(final.result).toMatchObject({ ok: true, algorithm: 'MD5' });
  });

  it('reuses the nonce on the next request with nc=2, without a new 401', async () => {
    const reg = registrar();
    const client = alice();
    await send(reg, client);
    const again = await send(reg, client, 'REGISTER');
    expect(again.statuses).toEqual([200]);
  });

  it('recovers from an expired nonce through stale=true, without asking for the password again', async () => {
    const reg = registrar({ nonceTtlMs: 30_000 });
    const client = alice();
    await send(reg, client);
    reg.clock.advance(3_600_000);
    const refresh = await send(reg, client);
    expect(refresh.statuses).toEqual([401, 200]);
    expect(refresh.gaveUp).toBeUndefined();
  });

  it('stops after one retry when the password is wrong: no endless 401 loop', async () => {
    const reg = registrar();
    const client = new DigestClient({
      credentials: { username: 'alice', password: 'wrong' },
      randomBytes: seededRandomBytes(5),
    });
    const outcome = await send(reg, client);
    expect(outcome.statuses).toEqual([401, 401]);
    expect(outcome.gaveUp).toBe('rejected');
    expect(outcome.final.result).toMatchObject({ ok: false, reason: 'bad-response' });
  });

  it('refuses a captured Authorization replayed by someone else', async () => {
    const reg = registrar();
    const client = alice();
    await send(reg, client);
    const captured = client.authorize({ method: 'REGISTER', requestUri: URI });
    expect((await reg.handle(captured)).status).toBe(200);
    const replay = await reg.handle(captured);
    expect(replay).toMatchObject({ status: 401, result: { ok: false, reason: 'replay' } });
  });
});
