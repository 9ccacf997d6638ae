// Inside an established call: re-INVITE (and its glare), UPDATE, in-dialog requests,
// 100rel / PRACK, and RFC 4028 session timers — two UAs on fake time.
import type { IncomingInvite, Session, SessionEndReason, UserAgentOptions } from '@switchboard/sip';
import { describe, expect, it } from 'vitest';
import { SDP_A, SDP_B, harness } from './ua-harness.ts';

const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);

function established(options: { alice?: Partial<UserAgentOptions>; bob?: Partial<UserAgentOptions> } = {}) {
  const h = harness();
  const alice = h.ua('alice', '192.0.2.10', 5060, options.alice);
  const bob = h.ua('bob', '192.0.2.20', 5060, options.bob);
  const ends: string[] = [];
  let aliceSession: Session | undefined;
  let bobSession: Session | undefined;
  bob.delegate.onInvite = (invite) => {
    bobSession = invite.accept({ body: SDP_B });
    bobSession!.delegate = { onTerminated: (r: SessionEndReason) => ends.push(`bob:${r}`) };
  };
  alice.invite(
    'sip:bob@192.0.2.20',
    { body: SDP_A },
    {
      onAccept: (s) => {
        aliceSession = s;
        s.delegate = { onTerminated: (r) => ends.push(`alice:${r}`) };
      },
    },
  );
  h.clock.advance(100);
  if (!aliceSession || !bobSession) throw new Error(`call not established:\n${h.net.trace()}`);
  return { ...h, alice, bob, a: aliceSession, b: bobSession, ends };
}

describe('re-INVITE (RFC 3261 §14)', () => {
  it('carries a new offer, gets the answer, is ACKed, and updates both sessions', async () => {
    const s = established();
    const newOffer = SDP_A.replace('4000', '4002');
    const answer = SDP_B.replace('5000', '5002');
    let acked = 0;
    s.b.delegate.onReinvite = (reinvite) => {
      expect(text(reinvite.offer?.body)).toBe(newOffer);
      reinvite.accept({ body: answer });
    };
    s.b.delegate.onAck = () => acked++;
    const final = s.a.reinvite({ body: newOffer });
    s.clock.advance(100);
    expect((await final).status).toBe(200);
    expect(acked).toBe(1);
    expect(text(s.a.remoteBody?.body)).toBe(answer);
    expect(text(s.b.remoteBody?.body)).toBe(newOffer);
    const reinvite = s.net.packets({ label: 'INVITE' })[1]!.text;
    expect(reinvite).toMatch(/CSeq: \d+ INVITE/);
    expect(reinvite).toContain(`tag=${s.a.dialog.remoteTag}`);
    expect(s.net.log.slice(-3).map((p) => `${p.label}/${p.cseqMethod}`)).toEqual([
      'INVITE/INVITE',
      '200/INVITE',
      'ACK/ACK',
    ]);
  });

  it('answers a re-INVITE without a delegate with the last local body', async () => {
    const s = established();
    const final = s.a.reinvite({});
    s.clock.advance(100);
    const ok = await final;
    expect(ok.status).toBe(200);
    expect(text(ok.body)).toBe(SDP_B);
    // Offerless re-INVITE: the 2xx offers, our ACK answers with our last body.
    expect(s.net.packets({ label: 'ACK' }).at(-1)!.text).toContain('m=audio 4000');
  });

  it('resolves glare: both sides re-INVITE at once and each gets 491 Request Pending (§14.2)', async () => {
    const s = established();
    const fromAlice = s.a.reinvite({ body: SDP_A });
    const fromBob = s.b.reinvite({ body: SDP_B });
    s.clock.advance(100);
    expect((await fromAlice).status).toBe(491);
    expect((await fromBob).status).toBe(491);
    // A second re-INVITE while one is in progress is refused locally (§14.1).
    const again = s.a.reinvite({});
    expect(() => s.a.reinvite({})).toThrow(/in progress/);
    s.clock.advance(100);
    expect((await again).status).toBe(200);
  });

  it('refuses a re-INVITE from the callee before the ACK of its 2xx arrived (§14.1)', () => {
    // Within a fresh call whose ACK is delayed, the callee may not re-INVITE yet.
    const h = harness();
    const alice = h.ua('alice', '192.0.2.10');
    const bob = h.ua('bob', '192.0.2.20');
    let bobSession: Session | undefined;
    bob.delegate.onInvite = (i) => (bobSession = i.accept({ body: SDP_B }));
    h.net.addRule({ match: (p) => p.label === 'ACK', action: { delayMs: 100 } });
    alice.invite('sip:bob@192.0.2.20', { body: SDP_A });
    h.clock.advance(20);
    expect(bobSession!.awaitingAck).toBe(true);
    expect(() => bobSession!.reinvite({})).toThrow(/in progress/);
    h.clock.advance(200);
    expect(bobSession!.awaitingAck).toBe(false);
    expect(() => bobSession!.reinvite({})).not.toThrow();
  });

  it('rejects a re-INVITE with 488 and the session goes on', async () => {
    const s = established();
    s.b.delegate.onReinvite = (r) => r.reject(488);
    const final = s.a.reinvite({ body: SDP_A });
    s.clock.advance(100);
    expect((await final).status).toBe(488);
    expect(s.a.state).toBe('Confirmed');
    expect(s.b.state).toBe('Confirmed');
  });
});

describe('UPDATE and other requests inside the dialog', () => {
  it('UPDATE (RFC 3311) with an offer is answered; the session keeps the new bodies', async () => {
    const s = established();
    s.b.delegate.onUpdate = (u) =>
      u.accept({ body: SDP_B.replace('5000', '5004'), contentType: 'application/sdp' });
    const final = s.a.update({ body: SDP_A.replace('4000', '4004') });
    s.clock.advance(100);
    expect((await final).status).toBe(200);
    expect(text(s.a.remoteBody?.body)).toContain('5004');
    expect(text(s.b.remoteBody?.body)).toContain('4004');
  });

  it('INFO goes to the delegate; without one the UA answers 501; CSeq increases', async () => {
    const s = established();
    const infos: string[] = [];
    s.b.delegate.onRequest = (r) => {
      infos.push(r.request.bodyText);
      r.accept();
    };
    const ok = s.a.request('INFO', { body: 'Signal=5', contentType: 'application/dtmf-relay' });
    s.clock.advance(100);
    expect((await ok).status).toBe(200);
    expect(infos).toEqual(['Signal=5']);
    s.b.delegate.onRequest = undefined;
    const notImplemented = s.a.request('INFO', { body: 'x' });
    s.clock.advance(100);
    expect((await notImplemented).status).toBe(501);
    const seqs = s.net.packets({ label: 'INFO' }).map((p) => Number(/CSeq: (\d+)/.exec(p.text)![1]));
    expect(seqs[1]).toBe(seqs[0]! + 1);
  });

  it('answers 481 to a request for a dialog that does not exist (§12.2.2)', async () => {
    const s = established();
    void s.b.bye();
    s.clock.advance(100);
    expect(s.ends).toEqual(['bob:local-bye', 'alice:remote-bye']);
    expect(() => s.b.request('INFO')).toThrow(/ended/);
    // Alice still holds the dialog's identifiers; Bob has forgotten the dialog.
    const late = s.alice.sendInDialog(s.a.dialog, s.a.dialog.createRequest('INFO'), {});
    s.clock.advance(100);
    expect((await late.final).status).toBe(481);
  });
});

describe('reliable provisional responses (RFC 3262)', () => {
  it('PRACKs a reliable 183 once, even when the UAS retransmits it, then completes the call', () => {
    const h = harness();
    const alice = h.ua('alice', '192.0.2.10');
    const bob = h.ua('bob', '192.0.2.20');
    const events: string[] = [];
    let invite: IncomingInvite | undefined;
    bob.delegate.onInvite = (i) => {
      invite = i;
      i.delegate = { onPrack: (p) => events.push(`bob:prack ${p.headers.get('RAck')}`) };
      i.progress(183, { reliable: true, body: SDP_B, contentType: 'application/sdp' });
    };
    // Lose the first PRACK: the UAS retransmits the 183 at T1, the UAC's PRACK transaction
    // retransmits too; the 183 reaches the application once.
    h.net.addRule({ match: (p) => p.label === 'PRACK', action: 'drop', times: 1 });
    alice.invite(
      'sip:bob@192.0.2.20',
      { body: SDP_A },
      {
        onProgress: (r) => events.push(`alice:${r.status} rseq=${r.headers.get('RSeq')}`),
        onAccept: () => events.push('alice:accept'),
      },
    );
    h.clock.advance(2000);
    expect(invite!.supportsReliable).toBe(true);
    const rseq = Number(h.net.packets({ label: '183' })[0]!.text.match(/RSeq: (\d+)/)![1]);
    expect(events).toEqual([
      `alice:183 rseq=${rseq}`,
      `bob:prack ${rseq} ${/CSeq: (\d+)/.exec(h.net.packets({ label: 'INVITE' })[0]!.text)![1]} INVITE`,
    ]);
    expect(h.net.packets({ label: '183' }).length).toBeGreaterThanOrEqual(2);
    expect(h.net.packets({ label: '183' })[0]!.text).toContain('Require: 100rel');
    invite!.accept({ body: SDP_B });
    h.clock.advance(100);
    expect(events.at(-1)).toBe('alice:accept');
  });

  it('sends provisional responses unreliably to a caller without 100rel', () => {
    const h = harness();
    const alice = h.ua('alice', '192.0.2.10', 5060, { reliableProvisional: 'none' });
    const bob = h.ua('bob', '192.0.2.20');
    bob.delegate.onInvite = (i) => i.progress(183, { reliable: true });
    alice.invite('sip:bob@192.0.2.20', { body: SDP_A });
    h.clock.advance(100);
    const ringing = h.net.packets({ label: '183' })[0]!.text;
    expect(ringing).not.toContain('RSeq');
    expect(h.net.packets({ label: 'PRACK' })).toHaveLength(0);
  });
});

describe('session timers (RFC 4028)', () => {
  const short = { sessionTimers: { interval: 90, minSE: 90 } };

  it('negotiates refresher=uac; the caller refreshes with UPDATE every half interval; the call lives on', () => {
    const s = established({ alice: short, bob: short });
    const ok = s.net.packets({ label: '200', cseqMethod: 'INVITE' })[0]!.text;
    expect(ok).toMatch(/Session-Expires: 90;refresher=uac/);
    expect(ok).toMatch(/Require: timer/);
    s.clock.advance(10 * 60_000);
    const updates = s.net.packets({ label: 'UPDATE' });
    expect(updates.length).toBeGreaterThanOrEqual(12);
    expect(updates.every((p) => p.from.host === '192.0.2.10')).toBe(true);
    expect(s.a.state).toBe('Confirmed');
    expect(s.b.state).toBe('Confirmed');
  });

  it('hangs up with BYE when refreshes stop (expiry at interval - min(32, interval/3))', () => {
    const s = established({ alice: short, bob: short });
    s.net.addRule({ match: (p) => p.label === 'UPDATE', action: 'drop' });
    s.clock.advance(61_000);
    expect(s.ends).toContain('bob:session-expired');
    expect(s.net.packets({ label: 'BYE' })[0]!.from.host).toBe('192.0.2.20');
  });

  it('retries an INVITE rejected with 422 with the Min-SE it asked for', () => {
    const h = harness();
    const alice = h.ua('alice', '192.0.2.10', 5060, { sessionTimers: { interval: 60, minSE: 60 } });
    const bob = h.ua('bob', '192.0.2.20', 5060, { sessionTimers: { interval: 1800, minSE: 120 } });
    bob.delegate.onInvite = (i) => void i.accept({ body: SDP_B });
    let accepted = false;
    alice.invite('sip:bob@192.0.2.20', { body: SDP_A }, { onAccept: () => (accepted = true) });
    h.clock.advance(200);
    expect(accepted).toBe(true);
    expect(h.net.log.map((p) => p.label)).toEqual(['INVITE', '422', 'ACK', 'INVITE', '200', 'ACK']);
    expect(h.net.packets({ label: '422' })[0]!.text).toContain('Min-SE: 120');
    expect(h.net.packets({ label: 'INVITE' })[1]!.text).toMatch(/Session-Expires: 120\r\n[^]*Min-SE: 120/);
  });
});
