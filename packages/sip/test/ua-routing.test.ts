// Record-Route and the route set through a (recording) proxy, merged requests (§8.2.2.2), and
// an ACK that reuses the INVITE's branch (RFC 6026 §7.1).
import { type SipRequest, parseMessage } from '@switchboard/sip';
import { inviteText, optionsText } from '@switchboard/testkit';
import { describe, expect, it } from 'vitest';
import { SDP_B, harness } from './ua-harness.ts';

const FROM_PROXY = {
  protocol: 'UDP',
  remote: { host: '192.0.2.50', port: 5060 },
  local: { host: '192.0.2.20', port: 5060 },
} as const;

function request(text: string): SipRequest {
  const r = parseMessage(text);
  if (r.kind !== 'message') throw new Error('fixture');
  return r.message as SipRequest;
}

describe('routing through a record-routing proxy', () => {
  it('copies Record-Route into the 2xx and sends BYE through the route set (§12.1.1, §12.2.1.1)', () => {
    const h = harness();
    const bob = h.ua('bob', '192.0.2.20');
    const proxy = h.net.endpoint('192.0.2.50', 5060);
    const atProxy: string[] = [];
    proxy.onMessage = (m) => atProxy.push('method' in m ? (m as SipRequest).method : String(m.status));
    let session;
    bob.delegate.onInvite = (invite) => (session = invite.accept({ body: SDP_B }));
    const invite = inviteText().replace(
      'Max-Forwards: 70\r\n',
      'Max-Forwards: 69\r\nRecord-Route: <sip:192.0.2.50;lr>\r\n',
    );
    bob.receive(request(invite), FROM_PROXY);
    h.clock.advance(50);
    const ok = h.net.packets({ label: '200' })[0]!;
    expect(ok.text).toContain('Record-Route: <sip:192.0.2.50;lr>');
    expect(ok.to).toEqual({ host: '192.0.2.50', port: 5060 });
    const tag = /To: [^\r\n]*tag=([^;\r\n]+)/.exec(ok.text)![1]!;
    const ack = inviteText({ toTag: tag, branch: 'z9hG4bKack1' })
      .replace('INVITE sip:', 'ACK sip:')
      .replace('314159 INVITE', '314159 ACK')
      .replace(/Content-Type[^]*$/, 'Content-Length: 0\r\n\r\n');
    bob.receive(request(ack), FROM_PROXY);
    void session!.bye();
    h.clock.advance(50);
    const bye = h.net.packets({ label: 'BYE' })[0]!;
    expect(bye.to).toEqual({ host: '192.0.2.50', port: 5060 });
    expect(bye.text).toMatch(/^BYE sip:alice@192\.0\.2\.10:5060 SIP\/2\.0/);
    expect(bye.text).toContain('Route: <sip:192.0.2.50;lr>');
    expect(atProxy).toEqual(['200', 'BYE']);
  });
});

describe('UAS request checks', () => {
  it('answers a merged request (same From tag, Call-ID and CSeq, other branch) with 482 (§8.2.2.2)', () => {
    const h = harness();
    const bob = h.ua('bob', '192.0.2.20');
    const invites: string[] = [];
    bob.delegate.onInvite = (i) => invites.push(i.request.topVia()!.branch!);
    bob.receive(request(inviteText({ branch: 'z9hG4bKpath1' })), FROM_PROXY);
    bob.receive(request(inviteText({ branch: 'z9hG4bKpath2' })), FROM_PROXY);
    h.clock.advance(10);
    expect(invites).toEqual(['z9hG4bKpath1']);
    expect(h.net.packets({ label: '482' })).toHaveLength(1);
  });

  it('checks merged requests against live transactions only: same key after Timer J is a new request', () => {
    const h = harness();
    const bob = h.ua('bob', '192.0.2.20');
    bob.receive(request(optionsText({ branch: 'z9hG4bKfirst' })), FROM_PROXY);
    h.clock.advance(10);
    expect(h.net.packets({ label: '200' })).toHaveLength(1);
    expect(bob.ongoingRequestCount).toBe(1);
    // Same Call-ID, From tag and CSeq on another branch while the first one lives: merged.
    bob.receive(request(optionsText({ branch: 'z9hG4bKsecond' })), FROM_PROXY);
    h.clock.advance(10);
    expect(h.net.packets({ label: '482' })).toHaveLength(1);
    // Timer J (64*T1) ends the first transaction and its entry goes with it (§17.2.2)...
    h.clock.advance(64 * 500);
    expect(bob.layer.size.servers).toBe(0);
    expect(bob.ongoingRequestCount).toBe(0);
    // ...so the same key is no longer "an ongoing transaction".
    bob.receive(request(optionsText({ branch: 'z9hG4bKthird' })), FROM_PROXY);
    h.clock.advance(10);
    expect(h.net.packets({ label: '200' })).toHaveLength(2);
    expect(h.net.packets({ label: '482' })).toHaveLength(1);
  });

  it('keeps the merged-request index as small as the live server transactions', () => {
    const h = harness();
    const bob = h.ua('bob', '192.0.2.20');
    for (let i = 0; i < 3000; i++) {
      bob.receive(request(optionsText({ branch: `z9hG4bKn${i}`, cseq: i + 1 })), FROM_PROXY);
      h.clock.advance(10); // 3,000 requests over 30 s: those older than Timer J (32 s) are gone
      expect(bob.ongoingRequestCount).toBe(bob.layer.size.servers + bob.layer.size.retained);
    }
    expect(h.net.packets({ label: '200' })).toHaveLength(3000);
    expect(h.net.packets({ label: '482' })).toHaveLength(0);
    h.clock.advance(64 * 500);
    expect(bob.layer.size.servers).toBe(0);
    expect(bob.ongoingRequestCount).toBe(0);
  });

  it('answers 420 Bad Extension to a Require it does not support (§8.2.2.3)', () => {
    const h = harness();
    const bob = h.ua('bob', '192.0.2.20');
    bob.receive(
      request(inviteText().replace('Max-Forwards: 70', 'Max-Forwards: 70\r\nRequire: foo, timer')),
      FROM_PROXY,
    );
    h.clock.advance(10);
    const bad = h.net.packets({ label: '420' })[0]!;
    expect(bad.text).toContain('Unsupported: foo');
  });

  it('accepts an ACK for a 2xx that reuses the INVITE branch (RFC 6026 §7.1) and stops retransmitting', () => {
    const h = harness();
    const bob = h.ua('bob', '192.0.2.20');
    let acked = 0;
    bob.delegate.onInvite = (i) => {
      const s = i.accept({ body: SDP_B })!;
      s.delegate = { onAck: () => acked++ };
    };
    bob.receive(request(inviteText()), FROM_PROXY);
    h.clock.advance(10);
    const tag = /To: [^\r\n]*tag=([^;\r\n]+)/.exec(h.net.packets({ label: '200' })[0]!.text)![1]!;
    const ack = inviteText({ toTag: tag })
      .replace('INVITE sip:', 'ACK sip:')
      .replace('314159 INVITE', '314159 ACK')
      .replace(/Content-Type[^]*$/, 'Content-Length: 0\r\n\r\n');
    bob.receive(request(ack), FROM_PROXY);
    h.clock.advance(10_000);
    expect(acked).toBe(1);
    expect(h.net.packets({ label: '200' })).toHaveLength(1);
  });

  it('answers a request with a malformed Contact with 400 instead of throwing', () => {
    const h = harness();
    const bob = h.ua('bob', '192.0.2.20');
    bob.delegate.onInvite = (i) => void i.accept({ body: SDP_B });
    const bad = inviteText().replace('Contact: <sip:alice@192.0.2.10:5060>', 'Contact: <sip:alice@[bad>');
    expect(() => bob.receive(request(bad), FROM_PROXY)).not.toThrow();
    h.clock.advance(10);
    expect(h.net.log.map((p) => p.label)).toEqual(['400']);
  });
});
