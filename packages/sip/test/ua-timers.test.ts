// Transaction timeouts seen from the UA, on fake time: timer B (INVITE), F (non-INVITE),
// H (no ACK for a non-2xx), and transport failures on a reliable transport.
import type { IncomingInvite, SipResponse } from '@switchboard/sip';
import { describe, expect, it } from 'vitest';
import { SDP_A, harness } from './ua-harness.ts';

describe('timeouts between UAs', () => {
  it('timer B: an INVITE nobody answers fails with a local 408 after 64*T1, after 7 transmissions', () => {
    const h = harness();
    const alice = h.ua('alice', '192.0.2.10');
    let rejected: SipResponse | undefined;
    alice.invite('sip:nobody@192.0.2.99', { body: SDP_A }, { onReject: (r) => (rejected = r) });
    h.clock.advance(31_999);
    expect(rejected).toBeUndefined();
    h.clock.advance(1);
    expect(rejected?.status).toBe(408);
    expect(h.net.packets({ label: 'INVITE' }).map((p) => p.at)).toEqual([
      0, 500, 1500, 3500, 7500, 15500, 31500,
    ]);
    expect(h.net.packets({ label: 'INVITE' }).every((p) => p.fate === 'unreachable')).toBe(true);
  });

  it('timer F: an OPTIONS nobody answers resolves with a local 408 after 64*T1', async () => {
    const h = harness();
    const alice = h.ua('alice', '192.0.2.10');
    const out = alice.request('OPTIONS', 'sip:nobody@192.0.2.99');
    h.clock.advance(31_999);
    let status: number | undefined;
    void out.final.then((r) => (status = r.status));
    await Promise.resolve();
    expect(status).toBeUndefined();
    h.clock.advance(1);
    expect((await out.final).status).toBe(408);
    expect(h.net.packets({ label: 'OPTIONS' })).toHaveLength(11);
  });

  it('timer H: a UAS whose 486 is never ACKed retransmits it (timer G) and gives up after 64*T1', () => {
    const h = harness();
    const alice = h.ua('alice', '192.0.2.10');
    const bob = h.ua('bob', '192.0.2.20');
    let invite: IncomingInvite | undefined;
    bob.delegate.onInvite = (i) => {
      invite = i;
      i.reject(486);
    };
    h.net.addRule({ match: (p) => p.label === 'ACK', action: 'drop' });
    alice.invite('sip:bob@192.0.2.20', { body: SDP_A });
    h.clock.advance(5 + 31_999);
    expect(invite!.transaction.state).toBe('Completed');
    h.clock.advance(1);
    expect(invite!.transaction.state).toBe('Terminated');
    const busy = h.net.packets({ label: '486' }).map((p) => p.at - 5);
    // Timer G: T1, then doubling up to T2 (4 s).
    expect(busy.slice(0, 7)).toEqual([0, 500, 1500, 3500, 7500, 11500, 15500]);
    // Each retransmitted 486 was ACKed again by the client transaction (all dropped here).
    expect(h.net.packets({ label: 'ACK' }).length).toBe(busy.length);
    expect(bob.layer.size.servers).toBe(0);
  });

  it('a transport failure on TCP fails the INVITE at once with a local 503', () => {
    const h = harness();
    const alice = h.ua('alice', '192.0.2.10');
    let rejected: SipResponse | undefined;
    alice.invite('sip:nobody@192.0.2.99;transport=tcp', { body: SDP_A }, { onReject: (r) => (rejected = r) });
    expect(rejected?.status).toBe(503);
    expect(alice.layer.size.clients).toBe(0);
  });

  it('a UAS answers 100 Trying itself when the application is silent for 200 ms', () => {
    const h = harness();
    const alice = h.ua('alice', '192.0.2.10');
    const bob = h.ua('bob', '192.0.2.20');
    bob.delegate.onInvite = () => {};
    alice.invite('sip:bob@192.0.2.20', { body: SDP_A });
    h.clock.advance(300);
    expect(h.net.log.map((p) => p.label)).toEqual(['INVITE', '100']);
    h.clock.advance(400);
    // The INVITE retransmission (timer A) is absorbed at the UAS: answered with the last 1xx.
    expect(h.net.log.map((p) => p.label)).toEqual(['INVITE', '100']);
  });
});
