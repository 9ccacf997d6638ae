// Two UAs over a fake network complete INVITE / ACK / BYE, on fake time.
import type { IncomingInvite, Session, SessionEndReason, SipResponse } from '@switchboard/sip';
import { describe, expect, it } from 'vitest';
import { SDP_A, SDP_B, harness } from './ua-harness.ts';

const BOB = 'sip:bob@192.0.2.20:5060';

/** Alice calls Bob; Bob rings, answers after `answerAfterMs`. Returns what each side saw. */
function call(options: { network?: Parameters<typeof harness>[0]; answerAfterMs?: number } = {}) {
  const h = harness(options.network);
  const alice = h.ua('alice', '192.0.2.10');
  const bob = h.ua('bob', '192.0.2.20');
  const seen = {
    aliceSession: undefined as Session | undefined,
    bobSession: undefined as Session | undefined,
    progress: [] as number[],
    rejected: undefined as SipResponse | undefined,
    acks: 0,
    ends: [] as string[],
  };
  bob.delegate.onInvite = (invite: IncomingInvite) => {
    invite.progress(180);
    h.clock.setTimer(options.answerAfterMs ?? 2000, () => {
      const session = invite.accept({ body: SDP_B });
      if (!session) return;
      seen.bobSession = session;
      session.delegate = {
        onAck: () => seen.acks++,
        onTerminated: (reason: SessionEndReason) => seen.ends.push(`bob:${reason}`),
      };
    });
  };
  const outgoing = alice.invite(
    BOB,
    { body: SDP_A },
    {
      onProgress: (r) => seen.progress.push(r.status),
      onAccept: (session) => {
        seen.aliceSession = session;
        session.delegate = { onTerminated: (reason) => seen.ends.push(`alice:${reason}`) };
      },
      onReject: (r) => (seen.rejected = r),
    },
  );
  return { ...h, alice, bob, seen, outgoing };
}

describe('INVITE / ACK / BYE between two UAs', () => {
  it('completes a call on a clean network and exchanges exactly the expected messages', () => {
    const c = call();
    c.clock.advance(3000);
    expect(c.seen.progress).toEqual([180]);
    expect(c.seen.aliceSession?.state).toBe('Confirmed');
    expect(c.seen.acks).toBe(1);
    expect(new TextDecoder().decode(c.seen.aliceSession!.remoteBody!.body)).toBe(SDP_B);
    expect(new TextDecoder().decode(c.seen.bobSession!.remoteBody!.body)).toBe(SDP_A);
    void c.seen.aliceSession!.bye();
    c.clock.advance(1000);
    expect(c.seen.ends).toEqual(['alice:local-bye', 'bob:remote-bye']);
    expect(c.net.log.map((p) => `${p.label}/${p.cseqMethod}`)).toEqual([
      'INVITE/INVITE',
      '180/INVITE',
      '200/INVITE',
      'ACK/ACK',
      'BYE/BYE',
      '200/BYE',
    ]);
    // Nothing leaks: every transaction and timer winds down.
    c.clock.runAll();
    expect(c.alice.layer.size).toEqual({ clients: 0, servers: 0, retained: 0 });
    expect(c.bob.layer.size).toEqual({ clients: 0, servers: 0, retained: 0 });
    expect(c.clock.pendingTimers).toBe(0);
    expect(c.alice.sessions()).toEqual([]);
    expect(c.bob.sessions()).toEqual([]);
  });

  it('builds the dialog on both sides from the same identifiers (RFC 3261 §12.1)', () => {
    const c = call();
    c.clock.advance(3000);
    const a = c.seen.aliceSession!.dialog;
    const b = c.seen.bobSession!.dialog;
    expect(a.callId).toBe(b.callId);
    expect(a.localTag).toBe(b.remoteTag);
    expect(a.remoteTag).toBe(b.localTag);
    expect(a.remoteTarget.toString()).toContain('192.0.2.20');
    expect(b.remoteTarget.toString()).toContain('192.0.2.10');
  });

  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) {
    it(`completes INVITE/ACK/BYE over a network that drops, duplicates and reorders (seed ${seed})`, () => {
      const c = call({ network: { seed, dropRate: 0.25, duplicateRate: 0.2, reorderJitterMs: 40 } });
      c.clock.advance(40_000);
      expect(c.seen.rejected, c.net.trace()).toBeUndefined();
      expect(c.seen.aliceSession?.state, c.net.trace()).toBe('Confirmed');
      expect(c.seen.bobSession?.awaitingAck, c.net.trace()).toBe(false);
      // Retransmissions and duplicates reach the application once.
      expect(c.seen.acks).toBe(1);
      expect(c.seen.progress.length).toBeGreaterThanOrEqual(0);
      void c.seen.aliceSession!.bye();
      c.clock.advance(40_000);
      expect(c.seen.ends.sort(), c.net.trace()).toEqual(['alice:local-bye', 'bob:remote-bye']);
      c.clock.runAll();
      expect(c.alice.layer.size).toEqual({ clients: 0, servers: 0, retained: 0 });
      expect(c.bob.layer.size).toEqual({ clients: 0, servers: 0, retained: 0 });
      expect(
        c.net.packets({ fate: 'dropped' }).length + c.net.packets({ fate: 'duplicated' }).length,
      ).toBeGreaterThan(0);
    });
  }

  it('re-sends the ACK for every retransmitted 2xx when the first ACK is lost (§13.2.2.4, RFC 6026)', () => {
    const c = call();
    c.net.addRule({ match: (p) => p.label === 'ACK', action: 'drop', times: 1 });
    c.clock.advance(5000);
    expect(c.net.packets({ label: '200', cseqMethod: 'INVITE' })).toHaveLength(2);
    expect(c.net.packets({ label: 'ACK' }).map((p) => p.fate)).toEqual(['dropped', 'delivered']);
    expect(c.seen.acks).toBe(1);
    expect(c.seen.bobSession!.awaitingAck).toBe(false);
  });

  it('retransmits the 2xx with T1 doubling up to T2 and hangs up with BYE when no ACK comes (§13.3.1.4)', () => {
    const c = call();
    c.net.addRule({ match: (p) => p.label === 'ACK', action: 'drop' });
    c.clock.advance(2010 + 31_000);
    expect(c.seen.ends).toEqual([]);
    c.clock.advance(2000);
    const oks = c.net.packets({ label: '200', cseqMethod: 'INVITE' }).map((p) => p.at - 2005);
    // Sent at 0, then 0.5, 1.5, 3.5, 7.5, 11.5, … s (interval capped at T2 = 4 s).
    expect(oks.slice(0, 6)).toEqual([0, 500, 1500, 3500, 7500, 11500]);
    expect(c.seen.ends).toContain('bob:ack-timeout');
    expect(c.net.packets({ label: 'BYE' })[0]!.from.host).toBe('192.0.2.20');
  });

  it("holds the callee's BYE until the ACK for its 2xx arrives (§15)", () => {
    const c = call();
    c.net.addRule({ match: (p) => p.label === 'ACK', action: { delayMs: 300 } });
    c.clock.advance(2010); // Bob answered at 2005; the ACK is slow
    expect(c.seen.bobSession?.awaitingAck).toBe(true);
    const bye = c.seen.bobSession!.bye();
    c.clock.advance(100);
    expect(c.net.packets({ label: 'BYE' })).toHaveLength(0);
    c.clock.advance(400);
    expect(c.net.log.map((p) => p.label).slice(-3)).toEqual(['ACK', 'BYE', '200']);
    expect(c.seen.ends).toEqual(['bob:local-bye', 'alice:remote-bye']);
    return bye.then((r) => expect(r?.status).toBe(200));
  });

  it('completes a call over TCP without retransmissions, answering over the connection', () => {
    const h = harness();
    const alice = h.ua('alice', '192.0.2.10');
    const bob = h.ua('bob', '192.0.2.20');
    let bobSession: Session | undefined;
    bob.delegate.onInvite = (invite) => {
      invite.progress(180);
      h.clock.setTimer(5000, () => (bobSession = invite.accept({ body: SDP_B })));
    };
    let aliceSession: Session | undefined;
    alice.invite(
      'sip:bob@192.0.2.20;transport=tcp',
      { body: SDP_A },
      { onAccept: (s) => (aliceSession = s) },
    );
    h.clock.advance(6000);
    expect(h.net.log.map((p) => `${p.protocol} ${p.label}`)).toEqual([
      'TCP INVITE',
      'TCP 180',
      'TCP 200',
      'TCP ACK',
    ]);
    expect(h.net.packets({ label: 'INVITE' })[0]!.text).toMatch(
      /Via: SIP\/2.0\/TCP [^\r\n]*\r\n[^]*Contact: <sip:alice@192\.0\.2\.10:5060;transport=tcp>/,
    );
    expect(bobSession!.dialog.remoteTarget.toString()).toBe('sip:alice@192.0.2.10:5060;transport=tcp');
    void aliceSession!.bye();
    h.clock.advance(100);
    expect(h.net.log.map((p) => `${p.protocol} ${p.label}`).slice(-2)).toEqual(['TCP BYE', 'TCP 200']);
    // The BYE transactions end at once on a reliable transport (timers J and K are zero); only
    // the INVITE transactions remain, in Accepted until timers M and L (RFC 6026).
    expect(alice.layer.size).toEqual({ clients: 1, servers: 0, retained: 0 });
    expect(bob.layer.size).toEqual({ clients: 0, servers: 1, retained: 0 });
    h.clock.advance(32_000);
    expect(alice.layer.size).toEqual({ clients: 0, servers: 0, retained: 0 });
    expect(bob.layer.size).toEqual({ clients: 0, servers: 0, retained: 0 });
  });
});
