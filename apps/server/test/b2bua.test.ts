// The B2BUA with scriptable phones on real loopback sockets (UserAgent + NodeTransport): parallel
// forking (first answer wins, the other device gets CANCEL), early media, codec, Max-Forwards and
// tenant refusals, hold answered by the PBX with music, maximum call duration and RTP timeout.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Cdr } from '@switchboard/db';
import { startPbx, type PbxHarness } from './harness.ts';
import { rtpPacket, TestPhone, until, within } from './sip-phone.ts';

const ALICE = { number: '6001', password: 'alice-6001-pw' };
const BOB = { number: '6002', password: 'bob-6002-pw' };
/** Registered by one test only: no binding left from another test rings (and times out) too. */
const CAROL = { number: '6003', password: 'carol-6003-pw' };
const OTHER = { number: '6101', password: 'other-6101-pw' };
const DOMAIN = 'acme.test';
const OTHER_DOMAIN = 'other.test';

/** The c= address and m= port of an SDP body. */
function media(sdp: string): { host: string; port: number } {
  const host = /^c=IN IP4 (\S+)/m.exec(sdp)?.[1];
  const port = /^m=audio (\d+)/m.exec(sdp)?.[1];
  if (host === undefined || port === undefined) throw new Error(`no audio in SDP:\n${sdp}`);
  return { host, port: Number(port) };
}

describe('B2BUA with real phones', () => {
  let pbx: PbxHarness;
  let phones: TestPhone[] = [];

  beforeAll(async () => {
    pbx = await startPbx({ extensions: [ALICE, BOB, CAROL], domain: DOMAIN });
    const other = await pbx.repos.tenants.create({
      name: 'Other',
      sipDomain: OTHER_DOMAIN,
      isDefault: false,
    });
    await pbx.repos.sipAccounts.create({
      tenantId: other.id,
      username: OTHER.number,
      password: OTHER.password,
    });
  });
  afterEach(async () => {
    await Promise.all(phones.map((p) => p.close()));
    phones = [];
  });
  afterAll(async () => {
    await pbx?.close();
  });

  const phone = async (user: { number: string; password: string }, domain = DOMAIN): Promise<TestPhone> => {
    const p = await TestPhone.start({
      user: user.number,
      password: user.password,
      domain,
      pbxPort: pbx.sipPort,
    });
    phones.push(p);
    return p;
  };
  const registered = async (
    user: { number: string; password: string },
    domain = DOMAIN,
  ): Promise<TestPhone> => {
    const p = await phone(user, domain);
    expect((await within(p.register(), 5_000, 'REGISTER')).status).toBe(200);
    return p;
  };
  const cdrOf = async (callId: string): Promise<Cdr> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = (await pbx.cdrs()).find((c) => c.sipCallIds.includes(callId));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no CDR for ${callId}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('forks to both devices of an extension: the first to answer wins, the other gets CANCEL', async () => {
    const alice = await registered(ALICE);
    const [bob1, bob2] = await Promise.all([registered(BOB), registered(BOB)]);
    const call = alice.call(BOB.number);
    const [in1, in2] = await Promise.all([
      until('INVITE at device 1', () => bob1.invites[0]),
      until('INVITE at device 2', () => bob2.invites[0]),
    ]);
    expect(in1.request.callId).not.toBe(in2.request.callId);
    in2.accept({ body: bob2.sdp([0]) });
    const final = await within(call.final, 5_000, 'the call');
    expect(final.status).toBe(200);
    // The losing device is cancelled: it received CANCEL, answered the INVITE with 487, which
    // the PBX acknowledged.
    await until('CANCEL at device 1', () => bob1.requests('CANCEL')[0]);
    await until('ACK of the 487 at device 1', () => bob1.requests('ACK')[0]);
    expect(in1.state).toBe('cancelled');
    expect(bob2.requests('CANCEL')).toHaveLength(0);
    expect(in2.state).toBe('accepted');
    // The caller's answer is the relay's, not the callee's.
    expect(media(final.bodyText).port).not.toBe(bob2.rtpPort);
    await within(call.session()!.bye(), 5_000, 'BYE');
    await until('BYE at device 2', () => bob2.requests('BYE')[0]);
    const cdr = await cdrOf(final.callId);
    expect(cdr).toMatchObject({ disposition: 'answered', caller: ALICE.number, callee: BOB.number });
    expect(cdr.sipCallIds).toEqual(expect.arrayContaining([final.callId, in2.request.callId]));
  }, 30_000);
  it("183 with SDP from the callee reaches the caller as 183 with the relay's SDP", async () => {
    const [alice, bob] = await Promise.all([registered(ALICE), registered(BOB)]);
    bob.onInvite = (invite) => invite.progress(183, { body: bob.sdp([0]), contentType: 'application/sdp' });
    const call = alice.call(BOB.number);
    const early = await until('183 at the caller', () => call.progress.find((r) => r.status === 183));
    const sdp = early.bodyText;
    expect(sdp).toMatch(/^m=audio /m);
    const relay = media(sdp);
    expect(relay.host).toBe('127.0.0.1');
    expect(relay.port).not.toBe(bob.rtpPort);
    expect(relay.port).not.toBe(alice.rtpPort);
    // Early audio flows: what the callee sends reaches the caller through the relay.
    const calleeOffer = media(bob.invites[0]!.request.bodyText);
    for (let i = 0; i < 25; i++) bob.rtp.send(rtpPacket(i), calleeOffer.port, calleeOffer.host);
    await until('early media at the caller', () => alice.rtpPackets.length >= 5, 5_000);
    call.invite.cancel();
    expect((await within(call.final, 5_000, 'the cancelled call')).status).toBe(487);
    await until('CANCEL at the callee', () => bob.requests('CANCEL')[0]);
  }, 30_000);

  it('an offer with no common codec (G.722 only) gets 488 and no device rings', async () => {
    const [alice, bob] = await Promise.all([registered(ALICE), registered(BOB)]);
    const call = alice.call(BOB.number, { sdp: alice.sdp([9]) });
    expect((await within(call.final, 5_000, 'the call')).status).toBe(488);
    expect(bob.invites).toHaveLength(0);
  }, 30_000);

  it('a device answering with no codec of our offer gets BYE and counts as failed: the caller gets 488 at once', async () => {
    const [alice, carol] = await Promise.all([registered(ALICE), registered(CAROL)]);
    // G.722 was not offered to it: an answer the relay cannot use (RFC 3264 §6).
    carol.onInvite = (invite) => invite.accept({ body: carol.sdp([9]), contentType: 'application/sdp' });
    const call = alice.call(CAROL.number);
    // Well before the ring timeout: the only device failed, so the call fails now.
    expect((await within(call.final, 5_000, 'the call')).status).toBe(488);
    await until('BYE at the device', () => carol.requests('BYE')[0]);
  }, 30_000);

  it('Max-Forwards: 0 gets 483 and no device rings', async () => {
    const [alice, bob] = await Promise.all([registered(ALICE), registered(BOB)]);
    const call = alice.call(BOB.number, { headers: [['Max-Forwards', '0']] });
    expect((await within(call.final, 5_000, 'the call')).status).toBe(483);
    expect(bob.invites).toHaveLength(0);
  }, 30_000);

  it('no call crosses tenants: an extension of tenant B is unreachable from tenant A', async () => {
    const [alice, other] = await Promise.all([registered(ALICE), registered(OTHER, OTHER_DOMAIN)]);
    // By tenant B's domain: Alice has no account there.
    const direct = alice.call(OTHER.number, { domain: OTHER_DOMAIN });
    expect([403, 404]).toContain((await within(direct.final, 5_000, 'the call')).status);
    // By Alice's own domain: tenant A has no such extension.
    const own = alice.call(OTHER.number);
    expect((await within(own.final, 5_000, 'the call')).status).toBe(404);
    expect(other.invites).toHaveLength(0);
  }, 30_000);

  it('hold: a sendonly re-INVITE is answered by the PBX (recvonly) and the other party gets music', async () => {
    const [alice, bob] = await Promise.all([registered(ALICE), registered(BOB)]);
    bob.onInvite = (invite) => invite.accept({ body: bob.sdp([0]) });
    const call = alice.call(BOB.number);
    expect((await within(call.final, 5_000, 'the call')).status).toBe(200);
    // Bob talks (so his relay leg is latched), Alice says nothing: Bob hears nothing yet.
    const relayB = media(bob.invites[0]!.request.bodyText);
    for (let i = 0; i < 10; i++) bob.rtp.send(rtpPacket(i), relayB.port, relayB.host);
    await new Promise((r) => setTimeout(r, 300));
    const before = bob.rtpPackets.length;
    const held = await within(
      call.session()!.reinvite({ body: alice.sdp([0, 8], ['a=sendonly']) }),
      5_000,
      'the hold re-INVITE',
    );
    expect(held.status).toBe(200);
    expect(held.bodyText).toMatch(/^a=recvonly/m);
    // The PBX plays music on hold to Bob instead of relaying the re-INVITE.
    await until('music on hold at Bob', () => bob.rtpPackets.length >= before + 25, 5_000);
    expect(bob.requests('INVITE')).toHaveLength(1);
    await within(call.session()!.bye(), 5_000, 'BYE');
    await until('BYE at Bob', () => bob.requests('BYE')[0]);
  }, 30_000);
});

describe('B2BUA call limits', () => {
  const MAX_DURATION_MS = 4_000;
  const RTP_TIMEOUT_MS = 2_000;
  let pbx: PbxHarness;
  let phones: TestPhone[] = [];

  beforeAll(async () => {
    pbx = await startPbx({
      extensions: [ALICE, BOB],
      domain: DOMAIN,
      callOptions: { maxDurationMs: MAX_DURATION_MS, rtpTimeoutMs: RTP_TIMEOUT_MS },
    });
  });
  afterEach(async () => {
    await Promise.all(phones.map((p) => p.close()));
    phones = [];
  });
  afterAll(async () => {
    await pbx?.close();
  });

  const registered = async (user: { number: string; password: string }): Promise<TestPhone> => {
    const p = await TestPhone.start({
      user: user.number,
      password: user.password,
      domain: DOMAIN,
      pbxPort: pbx.sipPort,
    });
    phones.push(p);
    expect((await within(p.register(), 5_000, 'REGISTER')).status).toBe(200);
    return p;
  };

  /** Alice calls Bob, Bob answers; returns the caller's 200 and both sides' relay addresses. */
  const answeredCall = async (alice: TestPhone, bob: TestPhone) => {
    bob.onInvite = (invite) => invite.accept({ body: bob.sdp([0]) });
    const call = alice.call(BOB.number);
    const ok = await within(call.final, 5_000, 'the call');
    expect(ok.status).toBe(200);
    return { call, ok, relayA: media(ok.bodyText), relayB: media(bob.invites[0]!.request.bodyText) };
  };

  const cdrOf = async (callId: string): Promise<Cdr> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = (await pbx.cdrs()).find((c) => c.sipCallIds.includes(callId));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no CDR for ${callId}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('maximum call duration: both legs get BYE and the CDR cause is max_duration', async () => {
    const [alice, bob] = await Promise.all([registered(ALICE), registered(BOB)]);
    const { ok, relayA, relayB } = await answeredCall(alice, bob);
    // Both phones keep talking, so only the duration limit can end the call.
    let seq = 0;
    const talk = setInterval(() => {
      seq++;
      alice.rtp.send(rtpPacket(seq, 1), relayA.port, relayA.host);
      bob.rtp.send(rtpPacket(seq, 2), relayB.port, relayB.host);
    }, 20);
    try {
      await until('BYE at Alice', () => alice.requests('BYE')[0], MAX_DURATION_MS + 6_000);
      await until('BYE at Bob', () => bob.requests('BYE')[0], 3_000);
    } finally {
      clearInterval(talk);
    }
    const cdr = await cdrOf(ok.callId);
    expect(cdr).toMatchObject({ disposition: 'answered', hangupCause: 'max_duration', hangupSide: 'system' });
  }, 30_000);

  it('RTP timeout: a call without media gets BYE on both legs and the CDR cause is rtp_timeout', async () => {
    const [alice, bob] = await Promise.all([registered(ALICE), registered(BOB)]);
    const { ok } = await answeredCall(alice, bob);
    await until('BYE at Alice', () => alice.requests('BYE')[0], RTP_TIMEOUT_MS + 6_000);
    await until('BYE at Bob', () => bob.requests('BYE')[0], 3_000);
    const cdr = await cdrOf(ok.callId);
    expect(cdr).toMatchObject({ disposition: 'answered', hangupCause: 'rtp_timeout', hangupSide: 'system' });
  }, 30_000);
});
