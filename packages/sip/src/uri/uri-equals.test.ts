import { describe, expect, it } from 'vitest';
import { parseUri } from './parse-uri.ts';
import { uriEquals } from './uri-equals.ts';

function eq(a: string, b: string): boolean {
  const x = parseUri(a);
  const y = parseUri(b);
  if (!x.ok || !y.ok) throw new Error(`${a} / ${b}`);
  return uriEquals(x.value, y.value) && uriEquals(y.value, x.value);
}

describe('uriEquals (RFC 3261 §19.1.4 examples)', () => {
  it('treats these as equivalent', () => {
    expect(eq('sip:%61lice@atlanta.com;transport=TCP', 'sip:alice@AtLanTa.CoM;Transport=tcp')).toBe(true);
    expect(eq('sip:carol@chicago.com', 'sip:carol@chicago.com;newparam=5')).toBe(true);
    expect(eq('sip:carol@chicago.com', 'sip:carol@chicago.com;security=on')).toBe(true);
    expect(eq('sip:carol@chicago.com;newparam=5', 'sip:carol@chicago.com;security=on')).toBe(true);
    expect(
      eq(
        'sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com',
        'sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com',
      ),
    ).toBe(true);
    expect(
      eq(
        'sip:alice@atlanta.com?subject=project%20x&priority=urgent',
        'sip:alice@atlanta.com?priority=urgent&subject=project%20x',
      ),
    ).toBe(true);
  });

  it('treats these as different', () => {
    expect(eq('SIP:ALICE@AtLanTa.CoM;Transport=udp', 'sip:alice@AtLanTa.CoM;Transport=UDP')).toBe(false);
    expect(eq('sip:bob@biloxi.com', 'sip:bob@biloxi.com:5060')).toBe(false);
    expect(eq('sip:bob@biloxi.com', 'sip:bob@biloxi.com;transport=udp')).toBe(false);
    expect(eq('sip:bob@biloxi.com', 'sip:bob@biloxi.com:6000;transport=tcp')).toBe(false);
    expect(eq('sip:carol@chicago.com', 'sip:carol@chicago.com?Subject=next%20meeting')).toBe(false);
    expect(eq('sip:bob@phone21.boxesbybob.com', 'sip:bob@192.0.2.4')).toBe(false);
    expect(eq('sip:carol@chicago.com;security=on', 'sip:carol@chicago.com;security=off')).toBe(false);
    expect(eq('sip:alice@atlanta.com', 'sips:alice@atlanta.com')).toBe(false);
  });

  it('compares tel URIs without visual separators, and schemes never mix', () => {
    expect(eq('tel:+1-201-555-0123', 'tel:+1(201)5550123')).toBe(true);
    expect(eq('tel:+12015550123', 'tel:+12015550124')).toBe(false);
    expect(eq('tel:+12015550123', 'sip:+12015550123@example.com')).toBe(false);
    expect(eq('urn:x:1', 'urn:x:1')).toBe(true);
  });

  it('compares repeated URI headers as a multiset (found by the round-trip property test)', () => {
    expect(eq('sip:[::0:0:0.0.0.0]?K=%20&K=!', 'sip:[::]?K=!&K=%20')).toBe(true);
    expect(eq('sip:a@example.com?K=1&K=2', 'sip:a@example.com?K=2&K=2')).toBe(false);
  });
});
