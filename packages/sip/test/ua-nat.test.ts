// A phone behind NAT calls and is called back: rport/received (RFC 3581), responses to the
// source, and requests inside the dialog sent to the NAT binding rather than the private Contact.
import type { Session, SessionEndReason } from '@switchboard/sip';
import { describe, expect, it } from 'vitest';
import { SDP_A, SDP_B, harness } from './ua-harness.ts';

const NAT_PUBLIC = { host: '203.0.113.5', port: 40000 };

function natCall() {
  const h = harness();
  const alice = h.ua('alice', '10.0.0.5', 5060, {}, NAT_PUBLIC);
  const server = h.ua('pbx', '198.51.100.1');
  const ends: string[] = [];
  let serverSession: Session | undefined;
  let aliceSession: Session | undefined;
  server.delegate.onInvite = (invite) => {
    serverSession = invite.accept({ body: SDP_B });
    serverSession!.delegate = { onTerminated: (r: SessionEndReason) => ends.push(`pbx:${r}`) };
  };
  alice.invite(
    'sip:pbx@198.51.100.1',
    { body: SDP_A },
    {
      onAccept: (s) => {
        aliceSession = s;
        s.delegate = { onTerminated: (r) => ends.push(`alice:${r}`) };
      },
    },
  );
  h.clock.advance(200);
  return { ...h, alice, server, ends, aliceSession: () => aliceSession, serverSession: () => serverSession };
}

describe('NAT traversal', () => {
  it('stamps received/rport and answers to the public source address (RFC 3581 §4)', () => {
    const c = natCall();
    const invite = c.net.packets({ label: 'INVITE' })[0]!;
    expect(invite.text).toMatch(/Via: SIP\/2.0\/UDP 10\.0\.0\.5:5060;branch=z9hG4bK[^;]+;rport\r\n/);
    const ok = c.net.packets({ label: '200' })[0]!;
    expect(ok.to).toEqual(NAT_PUBLIC);
    expect(ok.text).toMatch(
      /Via: SIP\/2.0\/UDP 10\.0\.0\.5:5060;branch=z9hG4bK[^;]+;rport=40000;received=203\.0\.113\.5/,
    );
    expect(c.aliceSession()?.state).toBe('Confirmed');
  });

  it('sends BYE to the NAT binding although the Contact names a private address', () => {
    const c = natCall();
    expect(c.serverSession()!.dialog.remoteTarget.toString()).toBe('sip:alice@10.0.0.5:5060');
    void c.serverSession()!.bye();
    c.clock.advance(200);
    expect(c.net.packets({ label: 'BYE' })[0]!.to).toEqual(NAT_PUBLIC);
    expect(c.ends).toEqual(['pbx:local-bye', 'alice:remote-bye']);
  });

  it('a server calling a phone behind NAT (destination = its registered source) reaches it with BYE too', () => {
    const h = harness();
    const phone = h.ua('alice', '10.0.0.5', 5060, {}, NAT_PUBLIC);
    const pbx = h.ua('pbx', '198.51.100.1');
    const ends: string[] = [];
    phone.delegate.onInvite = (invite) => {
      const s = invite.accept({ body: SDP_A })!;
      s.delegate = { onTerminated: (r) => ends.push(`phone:${r}`) };
    };
    let pbxSession: Session | undefined;
    pbx.invite(
      'sip:alice@10.0.0.5:5060',
      { body: SDP_B, destination: { protocol: 'UDP', ...NAT_PUBLIC } },
      { onAccept: (s) => (pbxSession = s) },
    );
    h.clock.advance(200);
    expect(pbxSession?.dialog.remoteTarget.toString()).toBe('sip:alice@10.0.0.5:5060');
    void pbxSession!.bye();
    h.clock.advance(200);
    expect(h.net.packets({ label: 'ACK' })[0]!.to).toEqual(NAT_PUBLIC);
    expect(h.net.packets({ label: 'BYE' })[0]!.to).toEqual(NAT_PUBLIC);
    expect(ends).toEqual(['phone:remote-bye']);
  });
});
