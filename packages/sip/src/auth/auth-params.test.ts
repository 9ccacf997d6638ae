import { describe, expect, it } from 'vitest';
import type { AuthItem } from './auth-params.ts';
import { parseAuthHeaderRows, parseAuthItems, parseAuthParamList, serializeAuthItem } from './auth-params.ts';

function ok<T>(r: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!r.ok) throw new Error(`expected success, got: ${r.error}`);
  return r.value;
}

function err(r: { ok: boolean; error?: string }): string {
  expect(r.ok).toBe(false);
  return r.error ?? '';
}

describe('parseAuthItems', () => {
  it('reads the RFC 2617 §3.5 challenge, folded over lines as in the RFC', () => {
    const value =
      'Digest\r\n         realm="testrealm@host.com",\r\n         qop="auth,auth-int",\r\n' +
      '         nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093",\r\n         opaque="5ccc069c403ebaf9f0171e9517f40e41"';
    const [item, ...rest] = ok(parseAuthItems(value));
    expect(rest).toEqual([]);
    expect(item?.scheme).toBe('Digest');
    expect(item?.params).toEqual([
      { name: 'realm', value: 'testrealm@host.com', quoted: true },
      { name: 'qop', value: 'auth,auth-int', quoted: true },
      { name: 'nonce', value: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', quoted: true },
      { name: 'opaque', value: '5ccc069c403ebaf9f0171e9517f40e41', quoted: true },
    ]);
  });

  it('unescapes quoted-pairs and keeps commas and "=" inside quotes', () => {
    const [item] = ok(parseAuthItems('Digest username="\\\\user\\"", realm="a, b=c", nc=00000001'));
    expect(item?.params).toEqual([
      { name: 'username', value: '\\user"', quoted: true },
      { name: 'realm', value: 'a, b=c', quoted: true },
      { name: 'nc', value: '00000001', quoted: false },
    ]);
  });

  it('lower-cases param names and allows whitespace around "="', () => {
    const [item] = ok(parseAuthItems('DIGEST Realm = "x" ,NONCE=y'));
    expect(item?.scheme).toBe('DIGEST');
    expect(item?.params.map((p) => [p.name, p.value])).toEqual([
      ['realm', 'x'],
      ['nonce', 'y'],
    ]);
  });

  it('splits several challenges in one header value (RFC 7235 §4.1)', () => {
    const items = ok(
      parseAuthItems(
        'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple", Bearer abc-DEF._~+/==',
      ),
    );
    expect(items.map((i) => i.scheme)).toEqual(['Newauth', 'Basic', 'Bearer']);
    expect(items[0]?.params.find((p) => p.name === 'title')?.value).toBe('Login to "apps"');
    expect(items[2]?.token68).toBe('abc-DEF._~+/==');
    expect(items[2]?.params).toEqual([]);
  });

  it('tolerates empty list elements', () => {
    const items = ok(parseAuthItems(' , Digest realm="r",, nonce="n" ,'));
    expect(items[0]?.params.map((p) => p.name)).toEqual(['realm', 'nonce']);
  });

  it('accepts a scheme without params', () => {
    expect(ok(parseAuthItems('Negotiate'))).toEqual([{ scheme: 'Negotiate', params: [] }]);
  });

  it('accepts UTF-8 in quoted strings', () => {
    const [item] = ok(parseAuthItems('Digest realm="Jäsøn Doe"'));
    expect(item?.params[0]?.value).toBe('Jäsøn Doe');
  });

  it.each([
    ['', 'empty header value'],
    ['realm="x"', 'auth-param before any scheme'],
    ['Digest realm="x', 'unterminated quoted-string'],
    ['Digest realm="x\\', 'bad quoted-pair'],
    ['Digest realm="a", realm="b"', 'duplicate parameter realm'],
    ['Digest realm="x", nonce=', 'missing value for nonce'],
    ['Digest realm="x" nonce="y"', 'expected ","'],
    ['Digest realm="a\u0001b"', 'control character'],
    ['Digest realm="a"\r\nnonce="b"', 'line break'],
    ['Digest;realm="a"', 'unexpected character'],
    ['Bearer abc=, x=y', 'auth-param after token68'],
    ['Digest "quoted"', 'unexpected character'],
  ])('rejects %j (%s)', (value, reason) => {
    expect(err(parseAuthItems(value))).toContain(reason);
  });

  it('bounds the number of params and the value length', () => {
    const many = Array.from({ length: 65 }, (_, i) => `p${i}=1`).join(', ');
    expect(err(parseAuthItems(`Digest ${many}`))).toContain('too many parameters');
    expect(err(parseAuthItems(`Digest realm="${'a'.repeat(20_000)}"`))).toContain('too long');
  });
});

describe('parseAuthHeaderRows', () => {
  it('joins challenges from several header rows in order', () => {
    const items = ok(parseAuthHeaderRows(['Digest realm="a", nonce="1"', 'Digest realm="b", nonce="2"']));
    expect(items.map((i) => i.params[0]?.value)).toEqual(['a', 'b']);
  });
});

describe('parseAuthParamList (Authentication-Info)', () => {
  it('reads a bare list', () => {
    expect(ok(parseAuthParamList('nextnonce="abc", qop=auth, nc=00000001'))).toEqual([
      { name: 'nextnonce', value: 'abc', quoted: true },
      { name: 'qop', value: 'auth', quoted: false },
      { name: 'nc', value: '00000001', quoted: false },
    ]);
    expect(ok(parseAuthParamList(''))).toEqual([]);
  });

  it('rejects something that is not a list of params', () => {
    expect(parseAuthParamList('abc').ok).toBe(false);
    expect(parseAuthParamList('a=1, Basic b=2').ok).toBe(false);
  });
});

describe('serializeAuthItem', () => {
  it('round-trips, quoting what needs quotes and escaping', () => {
    const item: AuthItem = {
      scheme: 'Digest',
      params: [
        { name: 'username', value: 'a "quoted" \\ name', quoted: true },
        { name: 'algorithm', value: 'SHA-256', quoted: false },
        { name: 'realm', value: 'has space', quoted: false },
      ],
    };
    const text = serializeAuthItem(item);
    expect(text).toBe('Digest username="a \\"quoted\\" \\\\ name", algorithm=SHA-256, realm="has space"');
    const [back] = ok(parseAuthItems(text));
    expect(back?.params.map((p) => p.value)).toEqual(item.params.map((p) => p.value));
  });

  it('writes token68 after the scheme', () => {
    expect(serializeAuthItem({ scheme: 'Bearer', params: [], token68: 'abc==' })).toBe('Bearer abc==');
  });
});
