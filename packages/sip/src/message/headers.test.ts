import { describe, expect, it } from 'vitest';
import { Headers } from './headers.ts';

describe('Headers', () => {
  it('looks names up case-insensitively with compact forms equivalent', () => {
    const h = new Headers([
      { name: 'v', value: 'SIP/2.0/UDP a;branch=z9hG4bK1' },
      { name: 'VIA', value: 'SIP/2.0/UDP b;branch=z9hG4bK2, SIP/2.0/UDP c;branch=z9hG4bK3' },
      { name: 'i', value: 'abc@host' },
    ]);
    expect(h.get('Via')).toBe('SIP/2.0/UDP a;branch=z9hG4bK1');
    expect(h.get('call-id')).toBe('abc@host');
    expect(h.get('CALL-ID')).toBe('abc@host');
    expect(h.getAll('via')).toEqual([
      'SIP/2.0/UDP a;branch=z9hG4bK1',
      'SIP/2.0/UDP b;branch=z9hG4bK2',
      'SIP/2.0/UDP c;branch=z9hG4bK3',
    ]);
    expect(h.getFieldValues('via')).toHaveLength(2);
    expect(h.has('v')).toBe(true);
    expect(h.has('Contact')).toBe(false);
    expect(h.get('Contact')).toBeUndefined();
  });

  it('does not split headers whose values contain commas (auth, Date, unknown)', () => {
    const auth = 'Digest username="bob", realm="b.example", nonce="x"';
    const h = new Headers({
      Authorization: auth,
      Date: 'Sat, 13 Nov 2010 23:29:00 GMT',
      'X-Unknown': 'a, b',
      Allow: 'INVITE, ACK,BYE',
    });
    expect(h.getAll('authorization')).toEqual([auth]);
    expect(h.getAll('date')).toEqual(['Sat, 13 Nov 2010 23:29:00 GMT']);
    expect(h.getAll('x-unknown')).toEqual(['a, b']);
    expect(h.getAll('allow')).toEqual(['INVITE', 'ACK', 'BYE']);
  });

  it('set replaces every field of a header in place; append/prepend/remove', () => {
    const h = new Headers([
      { name: 'To', value: 'a' },
      { name: 'Route', value: 'r1' },
      { name: 'From', value: 'b' },
      { name: 'Route', value: 'r2' },
    ]);
    h.set('route', ['x', 'y']);
    expect(h.fields().map((f) => `${f.name}:${f.value}`)).toEqual(['To:a', 'route:x', 'route:y', 'From:b']);
    h.prepend('Route', 'first');
    h.append('Route', 'last');
    expect(h.getAll('Route')).toEqual(['first', 'x', 'y', 'last']);
    expect(h.remove('ROUTE')).toBe(4);
    expect(h.remove('Route')).toBe(0);
    h.prepend('Via', 'top');
    expect(h.fields()[0]).toEqual({ name: 'Via', value: 'top' });
    expect(h.size).toBe(3);
  });

  it('keeps unknown names as written', () => {
    const h = new Headers([{ name: 'X-MixedCase-Thing', value: ' raw  value ' }]);
    expect(h.fields()).toEqual([{ name: 'X-MixedCase-Thing', value: ' raw  value ' }]);
  });

  it('refuses header injection from code', () => {
    const h = new Headers();
    expect(() => h.append('X-A', 'v\r\nVia: evil')).toThrow(TypeError);
    expect(() => h.set('Bad Name', 'v')).toThrow(TypeError);
    expect(() => h.append('', 'v')).toThrow(TypeError);
  });

  it('caches parsed values until that header changes, and counts versions', () => {
    const h = new Headers({ 'Max-Forwards': '70', To: 't' });
    let calls = 0;
    const parse = (values: string[]): number => {
      calls++;
      return Number(values[0]);
    };
    expect(h.cached('max-forwards', parse)).toBe(70);
    expect(h.cached('max-forwards', parse)).toBe(70);
    expect(calls).toBe(1);
    const v = h.version;
    h.set('To', 'other');
    expect(h.cached('max-forwards', parse)).toBe(70);
    expect(calls).toBe(1);
    h.set('Max-Forwards', '69');
    expect(h.version).toBeGreaterThan(v);
    expect(h.cached('max-forwards', parse)).toBe(69);
    expect(calls).toBe(2);
  });

  it('clones independently', () => {
    const a = new Headers({ To: 'x' });
    const b = a.clone();
    b.set('To', 'y');
    expect(a.get('To')).toBe('x');
  });
});
