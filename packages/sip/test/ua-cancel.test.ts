// CANCEL (RFC 3261 §9) between two UAs on fake time, including the race with a 200 OK.
import {
  type IncomingInvite,
  type ServerTransaction,
  type Session,
  type SipResponse,
  parseMessage,
} from '@switchboard/sip';
import { inviteText } from '@switchboard/testkit';
import { describe, expect, it } from 'vitest';
import { SDP_A, SDP_B, harness } from './ua-harness.ts';

function setup() {
  const h = harness();
  const alice = h.ua('alice', '192.0.2.10');
  const bob = h.ua('bob', '192.0.2.20');
  const log: string[] = [];
  let incoming: IncomingInvite | undefined;
  bob.delegate.onInvite = (invite) => {
    incoming = invite;
    invite.delegate = {
      onCancel: () => log.push('bob:cancelled'),
      onEnded: (r) => log.push(`bob:ended ${r?.status}`),
    };
  };
  const calls = {
    start: () =>
      alice.invite(
        'sip:bob@192.0.2.20',
        { body: SDP_A },
        {
          onProgress: (r) => log.push(`alice:progress ${r.status}`),
          onAccept: () => log.push('alice:accept'),
          onReject: (r: SipResponse) => log.push(`alice:reject ${r.status}`),
          onCancel: (r: SipResponse) => log.push(`alice:cancelled ${r.status}`),
        },
      ),
  };
  return { ...h, alice, bob, log, calls, invite: () => incoming! };
}

describe('CANCEL', () => {
  it('cancels a ringing call: 200 to CANCEL, 487 to INVITE, ACK for the 487 (§9.1, §9.2)', () => {
    const s = setup();
    const out = s.calls.start();
    s.clock.advance(10);
    s.invite().progress(180);
    s.clock.advance(10);
    out.cancel();
    s.clock.advance(100);
    expect(s.log).toEqual(['alice:progress 180', 'bob:ended 487', 'bob:cancelled', 'alice:cancelled 487']);
    expect(s.net.log.map((p) => `${p.label}/${p.cseqMethod}`)).toEqual([
      'INVITE/INVITE',
      '180/INVITE',
      'CANCEL/CANCEL',
      '200/CANCEL',
      '487/INVITE',
      'ACK/ACK',
    ]);
    const cancel = s.net.packets({ label: 'CANCEL' })[0]!.text;
    const invite = s.net.packets({ label: 'INVITE' })[0]!.text;
    const branch = (t: string) => /branch=([^;\r\n]+)/.exec(t)![1];
    expect(branch(cancel)).toBe(branch(invite));
    expect(out.state).toBe('cancelled');
  });

  it('holds the CANCEL until a provisional response arrives (§9.1)', () => {
    const s = setup();
    s.net.addRule({ match: (p) => p.label === '100', action: { delayMs: 200 } });
    const out = s.calls.start();
    out.cancel();
    s.clock.advance(150);
    expect(s.net.packets({ label: 'CANCEL' })).toHaveLength(0);
    // Bob's server transaction sends 100 Trying after 200 ms of silence; then the CANCEL goes.
    s.clock.advance(1000);
    expect(s.net.log.map((p) => p.label)).toEqual(['INVITE', '100', 'CANCEL', '200', '487', 'ACK']);
    expect(s.log).toContain('alice:cancelled 487');
  });

  it('ACKs and hangs up a 200 that crossed the CANCEL; the CANCEL has no effect at the UAS (§9.2)', () => {
    const s = setup();
    const out = s.calls.start();
    s.clock.advance(10);
    s.invite().progress(180);
    s.clock.advance(10);
    const session = s.invite().accept({ body: SDP_B })!;
    const bobEnds: string[] = [];
    session.delegate = { onTerminated: (r) => bobEnds.push(r) };
    // Alice cancels while the 200 is on the wire (latency 5 ms).
    s.clock.advance(1);
    out.cancel();
    s.clock.advance(200);
    expect(s.log).toEqual(['alice:progress 180', 'alice:cancelled 200']);
    expect(s.net.log.map((p) => `${p.label}/${p.cseqMethod}`)).toEqual([
      'INVITE/INVITE',
      '180/INVITE',
      '200/INVITE',
      'CANCEL/CANCEL',
      'ACK/ACK',
      'BYE/BYE',
      '200/CANCEL',
      '200/BYE',
    ]);
    expect(bobEnds).toEqual(['remote-bye']);
    expect(s.alice.sessions()).toEqual([]);
  });

  it('answers a CANCEL that matches no INVITE with 481 (§9.2)', () => {
    const s = setup();
    const cancel = inviteText()
      .replace('INVITE sip:', 'CANCEL sip:')
      .replace('314159 INVITE', '314159 CANCEL')
      .replace(/Content-Type[^]*$/, 'Content-Length: 0\r\n\r\n');
    const parsed = parseMessage(cancel);
    if (parsed.kind !== 'message') throw new Error('fixture');
    s.bob.receive(parsed.message, {
      protocol: 'UDP',
      remote: { host: '192.0.2.10', port: 5060 },
      local: { host: '192.0.2.20', port: 5060 },
    });
    expect(s.net.log.map((p) => `${p.label}/${p.cseqMethod}`)).toEqual(['481/CANCEL']);
  });

  it('does nothing when cancel() comes after the final response', () => {
    const s = setup();
    const out = s.calls.start();
    s.clock.advance(10);
    s.invite().reject(486);
    s.clock.advance(50);
    out.cancel();
    s.clock.advance(1000);
    expect(s.log).toEqual(['bob:ended 486', 'alice:reject 486']);
    expect(s.net.packets({ label: 'CANCEL' })).toHaveLength(0);
  });

  it('cancels a ringing call by itself after noAnswerTimeoutMs', () => {
    const h = harness();
    const alice = h.ua('alice', '192.0.2.10');
    const bob = h.ua('bob', '192.0.2.20');
    bob.delegate.onInvite = (invite) => invite.progress(180);
    const log: string[] = [];
    alice.invite(
      'sip:bob@192.0.2.20',
      { body: SDP_A, noAnswerTimeoutMs: 30_000 },
      {
        onCancel: (r) => log.push(`cancelled ${r.status} at ${h.clock.now()}`),
      },
    );
    h.clock.advance(60_000);
    expect(log).toEqual(['cancelled 487 at 30010']);
  });

  it('cancels a re-INVITE (a CANCEL with a To tag) with 487; the session goes on', async () => {
    const h = harness();
    const alice = h.ua('alice', '192.0.2.10');
    const bob = h.ua('bob', '192.0.2.20');
    let bobSession: Session | undefined;
    bob.delegate.onInvite = (invite) => (bobSession = invite.accept({ body: SDP_B }));
    let aliceSession: Session | undefined;
    alice.invite('sip:bob@192.0.2.20', { body: SDP_A }, { onAccept: (s) => (aliceSession = s) });
    h.clock.advance(100);
    let reinviteTx: ServerTransaction | undefined;
    bobSession!.delegate = {
      onReinvite: (r) => {
        r.respond(180);
        reinviteTx = r.transaction;
      },
    };
    const final = aliceSession!.reinvite({ body: SDP_A });
    h.clock.advance(50);
    // Build the CANCEL for the re-INVITE in flight from what went on the wire.
    const reinvite = h.net.packets({ label: 'INVITE' })[1]!.text;
    const cancel = parseMessage(
      reinvite
        .replace(/^INVITE /, 'CANCEL ')
        .replace(/CSeq: (\d+) INVITE/, 'CSeq: $1 CANCEL')
        .replace(/Content-Type[^]*$/, 'Content-Length: 0\r\n\r\n'),
    );
    if (cancel.kind !== 'message') throw new Error('cancel');
    bob.receive(cancel.message, {
      protocol: 'UDP',
      remote: { host: '192.0.2.10', port: 5060 },
      local: { host: '192.0.2.20', port: 5060 },
    });
    h.clock.advance(100);
    expect(reinviteTx!.final?.status).toBe(487);
    expect((await final).status).toBe(487);
    expect(aliceSession!.state).toBe('Confirmed');
  });
});
