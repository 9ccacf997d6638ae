// 401 / 407 challenges answered and retried by the UA (RFC 3261 §22), with the real Digest
// server and client of the auth package.
import {
  DigestClient,
  DigestServer,
  type IncomingRequest,
  type SipResponse,
  type UserAgent,
  digestAuthenticator,
} from '@switchboard/sip';
import { describe, expect, it } from 'vitest';
import { SDP_A, SDP_B, harness } from './ua-harness.ts';

const randomBytes = (n: number): Uint8Array => {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 37 + n) & 0xff;
  return out;
};

function digestServer(clock: { now(): number }): DigestServer {
  return new DigestServer({ secret: new Uint8Array(32).fill(7), clock, randomBytes });
}

/** Makes `ua` challenge every REGISTER (401) and INVITE (407) until the credentials verify. */
function protect(ua: UserAgent, server: DigestServer, realm: string, password: string, seen: string[]): void {
  const lookup = (user: string) => (user === 'alice' ? { password } : undefined);
  const check = async (request: IncomingRequest['request'], proxy: boolean) =>
    server.verify({
      headers: request.headers.getFieldValues(proxy ? 'Proxy-Authorization' : 'Authorization'),
      realm,
      method: request.method,
      requestUri: request.uri.toString(),
      lookup,
    });
  ua.delegate.onRequest = (incoming) => {
    void check(incoming.request, false).then((result) => {
      seen.push(
        `${incoming.request.method} ${incoming.request.cseq.seq} ${result.ok ? 'ok' : result.reason}`,
      );
      if (result.ok) incoming.accept({ headers: [['Contact', '<sip:alice@192.0.2.10>;expires=3600']] });
      else
        incoming.respond(401, {
          headers: server
            .challenge({ realm, stale: result.stale })
            .map((v) => ['WWW-Authenticate', v] as const),
        });
    });
  };
  ua.delegate.onInvite = (invite) => {
    void check(invite.request, true).then((result) => {
      seen.push(`INVITE ${invite.request.cseq.seq} ${result.ok ? 'ok' : result.reason}`);
      if (result.ok) invite.accept({ body: SDP_B });
      else
        invite.reject(407, {
          headers: server
            .challenge({ realm, stale: result.stale })
            .map((v) => ['Proxy-Authenticate', v] as const),
        });
    });
  };
}

function setup(password: string) {
  const h = harness();
  const seen: string[] = [];
  const alice = h.ua('alice', '192.0.2.10', 5060, {
    authenticator: digestAuthenticator(
      new DigestClient({ credentials: { username: 'alice', password }, randomBytes }),
    ),
  });
  const registrar = h.ua('registrar', '192.0.2.20');
  protect(registrar, digestServer(h.clock), 'example.com', 's3cret', seen);
  return { ...h, alice, registrar, seen };
}

describe('digest challenges (401 / 407) and retry', () => {
  it('answers a 401 to REGISTER and retries with CSeq + 1 and the same Call-ID (§22.2)', async () => {
    const s = setup('s3cret');
    const reg = s.alice.register('sip:192.0.2.20', 3600);
    await s.clock.advanceAsync(2000);
    const final = await reg.final;
    expect(final.status).toBe(200);
    const registers = s.net.packets({ label: 'REGISTER' }).map((p) => p.text);
    expect(registers).toHaveLength(2);
    expect(registers[0]).not.toContain('Authorization:');
    expect(registers[1]).toMatch(/Authorization: Digest [^\r\n]*username="alice"/);
    const callId = (t: string) => /Call-ID: ([^\r\n]+)/.exec(t)![1];
    const cseq = (t: string) => Number(/CSeq: (\d+)/.exec(t)![1]);
    expect(callId(registers[1]!)).toBe(callId(registers[0]!));
    expect(cseq(registers[1]!)).toBe(cseq(registers[0]!) + 1);
    expect(s.seen.map((x) => x.replace(/^REGISTER \d+ /, ''))).toEqual(['missing', 'ok']);
  });

  it('answers a 407 to INVITE: the 407 is ACKed, the INVITE re-sent with credentials, the call set up', async () => {
    const s = setup('s3cret');
    let accepted: SipResponse | undefined;
    s.alice.invite('sip:bob@192.0.2.20', { body: SDP_A }, { onAccept: (_session, r) => (accepted = r) });
    await s.clock.advanceAsync(2000);
    expect(accepted?.status).toBe(200);
    expect(s.net.log.map((p) => `${p.label}/${p.cseqMethod}`)).toEqual([
      'INVITE/INVITE',
      '407/INVITE',
      'ACK/ACK',
      'INVITE/INVITE',
      '200/INVITE',
      'ACK/ACK',
    ]);
    const [, , firstAck, retry, , secondAck] = s.net.log.map((p) => p.text);
    expect(retry).toMatch(/Proxy-Authorization: Digest /);
    expect(firstAck).not.toContain('Proxy-Authorization');
    // §22.1 / §13.2.2.4: the ACK for the 2xx carries the INVITE's credentials.
    expect(secondAck).toMatch(/Proxy-Authorization: Digest /);
  });

  it('stops after a rejected password and hands the challenge to the caller (no loop)', async () => {
    const s = setup('wrong');
    const reg = s.alice.register('sip:192.0.2.20', 3600);
    await s.clock.advanceAsync(2000);
    expect((await reg.final).status).toBe(401);
    expect(s.net.packets({ label: 'REGISTER' })).toHaveLength(2);
    expect(s.seen.map((x) => x.replace(/^REGISTER \d+ /, ''))).toEqual(['missing', 'bad-response']);
  });

  it('without an authenticator, the 401 is the final answer', async () => {
    const h = harness();
    const alice = h.ua('alice', '192.0.2.10');
    const registrar = h.ua('registrar', '192.0.2.20');
    protect(registrar, digestServer(h.clock), 'example.com', 's3cret', []);
    const reg = alice.register('sip:192.0.2.20');
    await h.clock.advanceAsync(2000);
    expect((await reg.final).status).toBe(401);
  });
});
