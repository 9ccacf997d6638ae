// Overload protection in the UA core (RFC 3261 §21.5.4): an OverloadGuard fed by the layer's
// count of requests the TU has not answered yet. Two real UAs on the fake network.
import { type IncomingInvite, type IncomingRequest, OverloadGuard, type Session } from '@switchboard/sip';
import { describe, expect, it } from 'vitest';
import { SDP_A, SDP_B, harness } from './ua-harness.ts';

describe('OverloadGuard in the UA core', () => {
  it('answers new requests 503 + Retry-After past the pending threshold, never in-dialog ones', async () => {
    const h = harness();
    const alice = h.ua('alice', '192.0.2.10');
    const bob = h.ua('bob', '192.0.2.20');
    const guard = new OverloadGuard(
      { pendingRequests: () => bob.layer.pendingServerRequests, lagMs: () => 0 },
      { maxPendingRequests: 2, maxLagMs: 0, retryAfterS: 9 },
    );
    bob.admission = guard;
    // Bob's TU holds MESSAGEs without answering (work queued above the transaction layer).
    const held: IncomingRequest[] = [];
    bob.delegate.onRequest = (r) => void held.push(r);
    const invites: IncomingInvite[] = [];
    let bobSession: Session | undefined;
    bob.delegate.onInvite = (invite) => {
      invites.push(invite);
      bobSession = invite.accept({ body: SDP_B });
    };

    // A call established before the overload.
    const call = alice.invite('sip:bob@192.0.2.20', { body: SDP_A });
    h.clock.advance(50);
    expect((await call.final).status).toBe(200);
    expect(bobSession).toBeDefined();
    expect(bob.layer.pendingServerRequests).toBe(0); // answered INVITEs are not pending

    const answers = [1, 2, 3, 4].map(
      (i) => alice.request('MESSAGE', 'sip:bob@192.0.2.20', { body: `m${i}` }).final,
    );
    h.clock.advance(50);
    expect(held).toHaveLength(2); // the third would have been the third pending one
    expect(bob.layer.pendingServerRequests).toBe(2);
    for (const answer of [answers[2]!, answers[3]!]) {
      const response = await answer;
      expect(response.status).toBe(503);
      expect(response.headers.get('Retry-After')).toBe('9');
    }
    // A new INVITE is refused too; the BYE of the established call is not.
    const refused = alice.invite('sip:bob@192.0.2.20', { body: SDP_A });
    h.clock.advance(50);
    expect((await refused.final).status).toBe(503);
    expect(invites).toHaveLength(1);
    const bye = bobSession!.bye();
    h.clock.advance(50);
    expect((await bye)?.status).toBe(200);
    expect(guard.refused).toBe(3);

    // Answering the held requests ends the overload.
    for (const r of held) r.respond(200);
    expect(bob.layer.pendingServerRequests).toBe(0);
    const later = alice.request('MESSAGE', 'sip:bob@192.0.2.20', { body: 'later' }).final;
    h.clock.advance(50);
    expect(held).toHaveLength(3);
    held[2]!.respond(200);
    h.clock.advance(50);
    expect((await later).status).toBe(200);
  });

  it('refuses on lag alone when a lag threshold is set; OPTIONS is never refused by default', async () => {
    const h = harness();
    const alice = h.ua('alice', '192.0.2.10');
    const bob = h.ua('bob', '192.0.2.20');
    let lag = 0;
    bob.admission = new OverloadGuard(
      { pendingRequests: () => 0, lagMs: () => lag },
      { maxPendingRequests: 0, maxLagMs: 100, retryAfterS: 3 },
    );
    bob.delegate.onRequest = (r) => void r.respond(200);
    const before = alice.request('REGISTER', 'sip:192.0.2.20', {}).final;
    h.clock.advance(50);
    expect((await before).status).toBe(200);
    lag = 250;
    const during = alice.request('REGISTER', 'sip:192.0.2.20', {}).final;
    const options = alice.request('OPTIONS', 'sip:192.0.2.20', {}).final;
    h.clock.advance(50);
    const refused = await during;
    expect(refused.status).toBe(503);
    expect(refused.headers.get('Retry-After')).toBe('3');
    expect((await options).status).toBe(200);
  });
});
