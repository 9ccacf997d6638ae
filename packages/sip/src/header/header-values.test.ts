import { describe, expect, it } from 'vitest';
import { parseCSeq } from './cseq.ts';
import { canonicalHeaderName, headerKey, isListHeader } from './header-names.ts';
import { parseMediaType } from './media-type.ts';
import { parseDeltaSeconds, parseUnsigned } from './numeric.ts';
import { formatParams, parseParams } from './params.ts';
import { firstListItem, quote, splitList, trimLws, unquote } from './scan.ts';

describe('header names (RFC 3261 §7.3.3, IANA compact forms)', () => {
  it('maps compact forms and any case to one key', () => {
    const pairs: Array<[string, string]> = [
      ['v', 'via'],
      ['V', 'via'],
      ['VIA', 'via'],
      ['i', 'call-id'],
      ['m', 'contact'],
      ['l', 'content-length'],
      ['c', 'content-type'],
      ['e', 'content-encoding'],
      ['f', 'from'],
      ['t', 'to'],
      ['s', 'subject'],
      ['k', 'supported'],
      ['o', 'event'],
      ['u', 'allow-events'],
      ['r', 'refer-to'],
      ['b', 'referred-by'],
      ['x', 'session-expires'],
      ['y', 'identity'],
      ['n', 'identity-info'],
      ['a', 'accept-contact'],
      ['j', 'reject-contact'],
      ['d', 'request-disposition'],
      ['X-Custom', 'x-custom'],
    ];
    for (const [name, key] of pairs) expect(headerKey(name), name).toBe(key);
    expect(canonicalHeaderName('call-id')).toBe('Call-ID');
    expect(canonicalHeaderName('i')).toBe('Call-ID');
    expect(canonicalHeaderName('www-authenticate')).toBe('WWW-Authenticate');
    expect(isListHeader('v')).toBe(true);
    expect(isListHeader('Authorization')).toBe(false);
    expect(isListHeader('Date')).toBe(false);
  });
});

describe('scanners', () => {
  it('split lists at commas outside quotes and <>', () => {
    expect(splitList('"a, b" <sip:x;p=1,2>;q=1 , <sip:y> ,, z')).toEqual([
      '"a, b" <sip:x;p=1,2>;q=1',
      '<sip:y>',
      'z',
    ]);
    expect(splitList('  ')).toEqual([]);
    expect(firstListItem(' , a, b')).toBe('a');
  });

  it('quote/unquote are inverse; trimLws keeps a BOM', () => {
    for (const s of ['plain', 'with "quotes"', 'back\\slash', '']) expect(unquote(quote(s))).toBe(s);
    expect(trimLws(' \t\ufeffx \r\n')).toBe('\ufeffx');
  });
});

describe('generic parameters', () => {
  it('parse with LWS, flags, quoted values and lower-cased names', () => {
    const r = parseParams(' ; Tag = abc ;lr; +sip.instance="<urn:uuid:1;2>" ', 0);
    expect(r.ok && [...r.value]).toEqual([
      ['tag', 'abc'],
      ['lr', null],
      ['+sip.instance', '"<urn:uuid:1;2>"'],
    ]);
    expect(r.ok && formatParams(r.value)).toBe(';tag=abc;lr;+sip.instance="<urn:uuid:1;2>"');
  });

  it('reject empty names, empty values and unterminated quotes', () => {
    expect(parseParams(';;', 0).ok).toBe(false);
    expect(parseParams(';a=', 0).ok).toBe(false);
    expect(parseParams(';a="x', 0).ok).toBe(false);
    expect(parseParams('x', 0).ok).toBe(false);
  });
});

describe('CSeq, numbers, media types', () => {
  it('CSeq: number and method, below 2**31 (RFC 3261 §8.1.1.5)', () => {
    expect(parseCSeq('0009  INVITE')).toEqual({ ok: true, value: { seq: 9, method: 'INVITE' } });
    expect(parseCSeq('2147483647 ACK').ok).toBe(true);
    expect(parseCSeq('2147483648 ACK').ok).toBe(false);
    expect(parseCSeq('INVITE').ok).toBe(false);
    expect(parseCSeq('12').ok).toBe(false);
    expect(parseCSeq('1 IN VITE').ok).toBe(false);
  });

  it('unsigned values and delta-seconds', () => {
    expect(parseUnsigned('0068', 255)).toEqual({ ok: true, value: 68 });
    expect(parseUnsigned('300', 255).ok).toBe(false);
    expect(parseUnsigned('-1', 255).ok).toBe(false);
    expect(parseUnsigned('five', 255).ok).toBe(false);
    expect(parseDeltaSeconds('1' + '0'.repeat(100))).toEqual({ ok: true, value: 2 ** 32 - 1 });
  });

  it('media types with parameters', () => {
    const r = parseMediaType('Multipart/Mixed ; boundary="unique-boundary-1"');
    expect(r.ok && r.value.essence).toBe('multipart/mixed');
    expect(r.ok && r.value.param('BOUNDARY')).toBe('unique-boundary-1');
    expect(parseMediaType('text').ok).toBe(false);
  });
});
