import { describe, expect, it } from 'vitest';
import { SipUri } from '../uri/sip-uri.ts';
import { Contact, parseContacts } from './contact.ts';
import { NameAddr, parseNameAddr } from './name-addr.ts';
import { SipHeaderError } from './parsed.ts';

function na(text: string): NameAddr {
  const r = parseNameAddr(text);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

describe('name-addr / addr-spec (RFC 3261 §20.10, §25.1)', () => {
  it('reads quoted and token display names, URI and header parameters', () => {
    const a = na('"Alice \\"Al\\" Liddell" <sip:alice@atlanta.example.com;transport=tcp>;tag=1928301774;x');
    expect(a.displayName).toBe('Alice "Al" Liddell');
    expect(a.tag).toBe('1928301774');
    expect(a.params.get('x')).toBeNull();
    expect((a.uri as SipUri).params.get('transport')).toBe('tcp');
    const b = na('Bob Smith <sip:bob@biloxi.example.com>');
    expect(b.displayName).toBe('Bob Smith');
    expect(b.tag).toBeUndefined();
  });

  it('gives addr-spec parameters to the header, not the URI (RFC 3261 §20.10)', () => {
    const a = na('sip:alice@atlanta.example.com;tag=88sja8x');
    expect(a.tag).toBe('88sja8x');
    expect((a.uri as SipUri).params.size).toBe(0);
  });

  it('parses the URI lazily and reports a bad one without throwing via checkUri', () => {
    const a = na('<sip:alice@bad host>;tag=1');
    expect(a.tag).toBe('1');
    expect(a.checkUri()).toMatch(/invalid character/);
    expect(() => a.uri).toThrow(SipHeaderError);
    expect(a.uriText).toBe('sip:alice@bad host');
  });

  it('writes the <URI> form, quoting display names and escaping control characters', () => {
    const a = na('caller<sip:caller@example.com>;tag=323');
    expect(a.toString()).toBe('"caller" <sip:caller@example.com>;tag=323');
    a.tag = 'new';
    a.displayName = 'Bell\u0007 "x"';
    expect(a.toString()).toBe('"Bell\\\u0007 \\"x\\"" <sip:caller@example.com>;tag=new');
    const built = new NameAddr({
      uri: new SipUri({ user: 'bob', host: 'b.example' }),
      params: { Tag: 'T1' },
    });
    expect(built.toString()).toBe('<sip:bob@b.example>;tag=T1');
  });

  it('rejects malformed values with a reason', () => {
    const bad: Array<[string, RegExp]> = [
      ['"Mr. J. User <sip:j.user@example.com>', /unterminated quoted display name/],
      ['Bell, Alexander <sip:a@b>', /invalid display name/],
      ['< sip:t.watson@example.org >', /whitespace inside "<URI>"/],
      ['<sip:alice@example.com', /missing ">"/],
      ['"Joe" <sip:joe@example.org>;;;;', /empty parameter name/],
      ['sip:user@example.com?Route=%3Csip:x%3E', /must be enclosed in "<>"/],
      ['<nocolon>', /is not a URI/],
      ['', /empty value/],
    ];
    for (const [text, why] of bad) {
      const r = parseNameAddr(text);
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(why);
    }
  });
});

describe('Contact (RFC 3261 §20.10)', () => {
  it('splits a list and reads expires and q', () => {
    const r = parseContacts('<sip:a@h1>;expires=60;q=0.7, "B" <sip:b@h2;lr>;q=1 , sip:c@h3;expires=0');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.map((c) => [c.uriText, c.expires, c.q])).toEqual([
      ['sip:a@h1', 60, 0.7],
      ['sip:b@h2;lr', undefined, 1],
      ['sip:c@h3', 0, undefined],
    ]);
  });

  it('handles "*" alone and refuses it mixed with addresses', () => {
    const star = parseContacts(' * ');
    expect(star.ok && star.value[0]?.isWildcard).toBe(true);
    expect(star.ok && star.value[0]?.toString()).toBe('*');
    expect(Contact.wildcard().toString()).toBe('*');
    const mixed = parseContacts('*, <sip:a@b>');
    expect(mixed.ok).toBe(false);
  });

  it('treats out-of-range expires and q as absent, clamps huge expires (RFC 3261 §20.19)', () => {
    const r = parseContacts('<sip:a@h>;expires=280297596632815;q=1.5');
    expect(r.ok && r.value[0]?.expires).toBe(2 ** 32 - 1);
    expect(r.ok && r.value[0]?.q).toBeUndefined();
  });
});
