import { describe, expect, it } from 'vitest';
import { AbsoluteUri } from './absolute-uri.ts';
import { parseUri } from './parse-uri.ts';
import { SipUri } from './sip-uri.ts';
import { TelUri } from './tel-uri.ts';

function sip(text: string): SipUri {
  const r = parseUri(text);
  if (!r.ok) throw new Error(r.reason);
  expect(r.value).toBeInstanceOf(SipUri);
  return r.value as SipUri;
}

function reason(text: string): string {
  const r = parseUri(text);
  expect(r.ok).toBe(false);
  return r.ok ? '' : r.reason;
}

describe('parseUri: sip and sips (RFC 3261 §19.1)', () => {
  it('reads every part of a full SIP URI', () => {
    const u = sip(
      'sips:alice:secret@[2001:db8::1]:5061;transport=tls;lr;maddr=239.255.255.1?subject=hi%20there&priority=urgent',
    );
    expect(u.scheme).toBe('sips');
    expect(u.secure).toBe(true);
    expect(u.user).toBe('alice');
    expect(u.password).toBe('secret');
    expect(u.host).toBe('[2001:db8::1]');
    expect(u.port).toBe(5061);
    expect(u.transport).toBe('tls');
    expect(u.lr).toBe(true);
    expect(u.maddr).toBe('239.255.255.1');
    expect(u.headers).toEqual([
      ['subject', 'hi there'],
      ['priority', 'urgent'],
    ]);
  });

  it('lower-cases the scheme and parameter names, keeps host case', () => {
    const u = sip('SIP:Bob@Biloxi.Example.COM;Transport=UDP');
    expect(u.scheme).toBe('sip');
    expect(u.user).toBe('Bob');
    expect(u.host).toBe('Biloxi.Example.COM');
    expect(u.params.get('transport')).toBe('UDP');
    expect(u.transport).toBe('udp');
  });

  it('unescapes user and password, and escapes them again on output', () => {
    const u = sip('sip:I%20have%20spaces@example.net');
    expect(u.user).toBe('I have spaces');
    expect(u.toString()).toBe('sip:I%20have%20spaces@example.net');
    expect(sip('sip:%61lice@example.com').toString()).toBe('sip:alice@example.com');
  });

  it('keeps a telephone-subscriber user with its ";" parameters (RFC 3261 §19.1.6)', () => {
    const u = sip('sip:+1-212-555-1212;phone-context=example.com@gw.example.com;user=phone');
    expect(u.user).toBe('+1-212-555-1212;phone-context=example.com');
    expect(u.params.get('user')).toBe('phone');
  });

  it('round-trips through toString', () => {
    for (const text of [
      'sip:alice@atlanta.example.com',
      'sip:atlanta.example.com:5070;lr',
      'sips:[2001:db8::10]:5061;transport=tcp',
      'sip:bob@192.0.2.4;maddr=192.0.2.1;ttl=16',
      'sip:alice@a.example.com?to=sip:bob%40b.example.com',
    ]) {
      expect(sip(text).toString()).toBe(text);
      expect(sip(sip(text).toString()).toString()).toBe(text);
    }
  });

  it('rejects malformed SIP URIs with a reason', () => {
    expect(reason('sip:')).toBe('empty host');
    expect(reason('sip:@example.com')).toBe('empty user part before "@"');
    expect(reason('sip:alice@example.com:99999')).toBe('invalid port "99999"');
    expect(reason('sip:alice@exa mple.com')).toMatch(/invalid character/);
    expect(reason('sip:alice@[2001:db8::1')).toBe('unterminated IPv6 reference');
    expect(reason('sip:alice@[2001:db8::g]')).toBe('invalid IPv6 address "[2001:db8::g]"');
    expect(reason('sip:2001:db8::10')).toMatch(/must be enclosed in "\[\]"/);
    expect(reason('sip:al%zzice@example.com')).toMatch(/invalid character in user part/);
    expect(reason('sip:alice@example.com;=x')).toMatch(/invalid URI parameter/);
    expect(reason('sip:alice@example.com?noequals')).toMatch(/invalid URI header/);
    expect(reason('no-scheme')).toMatch(/no scheme/);
    expect(reason('1sip:x')).toMatch(/invalid URI scheme/);
  });
});

describe('parseUri: tel (RFC 3966) and other schemes', () => {
  it('parses global and local numbers', () => {
    const g = parseUri('tel:+1-201-555-0123;ext=1234');
    expect(g.ok && g.value).toBeInstanceOf(TelUri);
    const t = (g.ok ? g.value : undefined) as TelUri;
    expect(t.isGlobal).toBe(true);
    expect(t.digits).toBe('+12015550123');
    expect(t.params.get('ext')).toBe('1234');
    expect(t.toString()).toBe('tel:+1-201-555-0123;ext=1234');
    const l = parseUri('tel:7042;phone-context=example.com');
    expect(l.ok && (l.value as TelUri).phoneContext).toBe('example.com');
  });

  it('requires phone-context on local numbers and digits in numbers', () => {
    expect(reason('tel:7042')).toBe('local telephone number without phone-context');
    expect(reason('tel:+')).toBe('empty telephone number');
    expect(reason('tel:+1-x')).toMatch(/invalid character "x"/);
  });

  it('keeps any other scheme as an AbsoluteUri', () => {
    const r = parseUri('urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6');
    expect(r.ok && r.value).toBeInstanceOf(AbsoluteUri);
    expect(r.ok && r.value.toString()).toBe('urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6');
  });

  it('never throws on arbitrary text', () => {
    for (const text of ['', ':', 'sip:@', 'sip:[', 'sip:a@b:', 'tel:;', '%%%', 'sip:a@b;a=%', '\u0000']) {
      expect(() => parseUri(text)).not.toThrow();
    }
  });
});
