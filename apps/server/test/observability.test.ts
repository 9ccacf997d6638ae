// /metrics and /healthz of the whole server, driven by scriptable phones on loopback: the
// registration gauge, call and answered-call counters, digest failures, RTP packet counters after
// a call with media; /healthz is 200 while serving and 503 (checks.sip false) once shutdown began.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPbx, type PbxHarness } from './harness.ts';
import { rtpPacket, TestPhone, until, within } from './sip-phone.ts';

const ALICE = { number: '6201', password: 'alice-6201-pw' };
const BOB = { number: '6202', password: 'bob-6202-pw' };
const DOMAIN = 'acme.test';

/** Unlabelled samples of the Prometheus text, plus labelled ones summed per metric name. */
function parseMetrics(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const [, name, , value] = match;
    values.set(name!, (values.get(name!) ?? 0) + Number(value));
  }
  return values;
}

describe('observability', () => {
  let pbx: PbxHarness;
  const phones: TestPhone[] = [];

  beforeAll(async () => {
    pbx = await startPbx({ extensions: [ALICE, BOB], domain: DOMAIN });
  });
  afterAll(async () => {
    await Promise.all(phones.map((p) => p.close()));
    await pbx?.close();
  });

  const metrics = async (): Promise<Map<string, number>> => {
    const response = await fetch(`http://127.0.0.1:${pbx.httpPort}/metrics`, {
      signal: AbortSignal.timeout(5_000),
    });
    expect(response.status).toBe(200);
    return parseMetrics(await response.text());
  };
  const metric = (m: Map<string, number>, name: string): number => {
    const value = m.get(name);
    if (value === undefined) throw new Error(`no ${name} in /metrics`);
    return value;
  };
  const phone = async (user: { number: string; password: string }): Promise<TestPhone> => {
    const p = await TestPhone.start({
      user: user.number,
      password: user.password,
      domain: DOMAIN,
      pbxPort: pbx.sipPort,
    });
    phones.push(p);
    return p;
  };

  it('counts registrations, auth failures, calls, answered calls and RTP packets', async () => {
    const before = await metrics();
    expect(metric(before, 'switchboard_registrations')).toBe(0);

    const alice = await phone(ALICE);
    expect((await within(alice.register(), 5_000, 'REGISTER')).status).toBe(200);
    expect(metric(await metrics(), 'switchboard_registrations')).toBeGreaterThanOrEqual(1);

    // A wrong password: 403, counted as an authentication failure.
    const wrong = await phone({ number: BOB.number, password: 'not-the-password' });
    expect((await within(wrong.register(), 5_000, 'REGISTER')).status).toBe(403);
    const afterWrong = await metrics();
    expect(metric(afterWrong, 'switchboard_sip_auth_failures_total')).toBe(
      metric(before, 'switchboard_sip_auth_failures_total') + 1,
    );
    expect(metric(afterWrong, 'switchboard_registrations')).toBe(1);

    const bob = await phone(BOB);
    expect((await within(bob.register(), 5_000, 'REGISTER')).status).toBe(200);
    expect(metric(await metrics(), 'switchboard_registrations')).toBe(2);

    // An answered call with 50 packets each way.
    bob.onInvite = (invite) => invite.accept({ body: bob.sdp([0]) });
    const call = alice.call(BOB.number);
    const ok = await within(call.final, 5_000, 'the call');
    expect(ok.status).toBe(200);
    const relayA = /^m=audio (\d+)/m.exec(ok.bodyText)?.[1];
    const relayB = /^m=audio (\d+)/m.exec(bob.invites[0]!.request.bodyText)?.[1];
    const during = await metrics();
    expect(metric(during, 'switchboard_active_calls')).toBe(1);
    for (let i = 0; i < 50; i++) {
      alice.rtp.send(rtpPacket(i, 1), Number(relayA), '127.0.0.1');
      bob.rtp.send(rtpPacket(i, 2), Number(relayB), '127.0.0.1');
      await new Promise((r) => setTimeout(r, 5));
    }
    await until(
      'relayed audio at both phones',
      () => alice.rtpPackets.length >= 40 && bob.rtpPackets.length >= 40,
    );
    await within(call.session()!.bye(), 5_000, 'BYE');
    await pbx.waitForCdrs(1);

    const after = await metrics();
    expect(metric(after, 'switchboard_calls_total')).toBe(metric(before, 'switchboard_calls_total') + 1);
    expect(metric(after, 'switchboard_calls_answered_total')).toBe(
      metric(before, 'switchboard_calls_answered_total') + 1,
    );
    expect(metric(after, 'switchboard_active_calls')).toBe(0);
    // The media engine's counters are polled every 2 s: wait (bounded) for the call's packets.
    const deadline = Date.now() + 10_000;
    let latest = after;
    while (metric(latest, 'switchboard_rtp_packets_in_total') < 80 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      latest = await metrics();
    }
    expect(metric(latest, 'switchboard_rtp_packets_in_total')).toBeGreaterThanOrEqual(80);
    expect(metric(latest, 'switchboard_rtp_packets_out_total')).toBeGreaterThanOrEqual(80);
    expect(metric(latest, 'switchboard_sip_messages_received_total')).toBeGreaterThan(0);
  }, 60_000);

  it('/healthz is 200 while serving, and 503 with checks.sip false once shutdown began', async () => {
    const ok = await fetch(`http://127.0.0.1:${pbx.httpPort}/healthz`, {
      signal: AbortSignal.timeout(5_000),
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'ok', checks: { sip: true, database: true } });

    // An answered call whose callee stops answering (its BYE goes unanswered) keeps the shutdown
    // in its BYE grace period for a while, with the HTTP listener still open.
    const [alice, bob] = [phones[0]!, phones[2]!];
    const call = alice.call(BOB.number);
    expect((await within(call.final, 5_000, 'the call')).status).toBe(200);
    // Let the answer settle first, so this checks a shutdown with a call in progress, not one in
    // the instant of its answer (that race is caught: MediaAnchor.answerCaller logs a failed
    // relay configure).
    await until('ACK at Bob', () => bob.requests('ACK').length >= 2);
    await new Promise((r) => setTimeout(r, 300));
    bob.transport.setReceiver({ receive: () => undefined });

    const closing = pbx.server.close();
    try {
      const response = await fetch(`http://127.0.0.1:${pbx.httpPort}/healthz`, {
        signal: AbortSignal.timeout(5_000),
      });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: 'unavailable', checks: { sip: false } });
    } finally {
      await closing;
    }
  }, 60_000);
});
