import { describe, expect, it } from 'vitest';
import { Via, parseTopVia, parseVia, parseVias } from './via.ts';

function via(text: string): Via {
  const r = parseVia(text);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

describe('Via (RFC 3261 §20.42, RFC 3581)', () => {
  it('reads transport, sent-by and the well-known parameters', () => {
    const v = via(
      'SIP/2.0/UDP 192.0.2.1:5060;received=198.51.100.7;rport=5062;branch=z9hG4bKnashds8;maddr=224.2.0.1;ttl=16',
    );
    expect([v.protocol, v.transport, v.host, v.port]).toEqual(['SIP/2.0', 'UDP', '192.0.2.1', 5060]);
    expect([v.branch, v.received, v.rport, v.maddr, v.ttl]).toEqual([
      'z9hG4bKnashds8',
      '198.51.100.7',
      5062,
      '224.2.0.1',
      16,
    ]);
  });

  it('distinguishes rport without a value (RFC 3581 request) from absent', () => {
    expect(via('SIP/2.0/TCP h;rport;branch=z9hG4bK1').rport).toBe(true);
    expect(via('SIP/2.0/TCP h;branch=z9hG4bK1').rport).toBeUndefined();
  });

  it('accepts LWS around separators, lower-case transports, IPv6 sent-by', () => {
    const v = via('SIP  /   2.0 /udp   [2001:db8::9:1] : 6050 ; branch = z9hG4bKas3');
    expect([v.transport, v.host, v.port, v.branch]).toEqual(['UDP', '[2001:db8::9:1]', 6050, 'z9hG4bKas3']);
  });

  it('writes the canonical form and round-trips', () => {
    const v = new Via({
      transport: 'wss',
      host: 'df7jal23ls0d.invalid',
      params: { branch: 'z9hG4bK56sdasks' },
    });
    v.rport = true;
    expect(v.toString()).toBe('SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK56sdasks;rport');
    v.received = '192.0.2.9';
    v.rport = 41234;
    const again = via(v.toString());
    expect([again.received, again.rport, again.branch]).toEqual(['192.0.2.9', 41234, 'z9hG4bK56sdasks']);
  });

  it('parses lists and the top value alone', () => {
    const r = parseVias('SIP/2.0/UDP a.example;branch=z9hG4bK1, SIP/2.0/TCP b.example;branch=z9hG4bK2');
    expect(r.ok && r.value.map((v) => v.host)).toEqual(['a.example', 'b.example']);
    const top = parseTopVia('SIP/2.0/UDP a.example;branch=z9hG4bK1, garbage');
    expect(top.ok && top.value.host).toBe('a.example');
  });

  it('rejects malformed values with a reason', () => {
    const bad: Array<[string, RegExp]> = [
      ['SIP/2.0/UDP 192.0.2.15;;,;,,', /empty parameter name/],
      ['SIP/2.0 192.0.2.15', /expected "\/"/],
      ['SIP/2.0/UDP', /empty host/],
      ['SIP/2.0/UDP host:70000', /invalid sent-by port/],
      ['SIP/2.0/UDP host;ttl=300', /invalid ttl/],
      ['SIP/2.0/UDP host;rport=x', /invalid rport/],
      ['SIP/2.0/UDP host;received=not_an_ip!', /invalid received/],
      ['SIP/2.0/UDP ho st', /unexpected "s"/],
    ];
    for (const [text, why] of bad) {
      const r = parseVia(text);
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(why);
    }
  });
});
