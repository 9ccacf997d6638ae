import { describe, expect, it } from 'vitest';
import { Headers } from './headers.ts';
import { formatMultipart, parseMultipart } from './multipart.ts';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

describe('multipart bodies (RFC 2046 §5.1)', () => {
  it('round-trips parts with headers and binary content', () => {
    const parts = [
      { headers: new Headers({ 'Content-Type': 'application/sdp' }), body: encoder.encode('v=0\r\n') },
      {
        headers: new Headers({ 'Content-Type': 'application/isup' }),
        body: new Uint8Array([0, 1, 13, 10, 45, 45]),
      },
    ];
    const body = formatMultipart(parts, 'boundary42');
    const r = parseMultipart(body, 'multipart/mixed;boundary=boundary42');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.map((p) => p.headers.get('content-type'))).toEqual([
      'application/sdp',
      'application/isup',
    ]);
    expect(decoder.decode(r.value[0]?.body)).toBe('v=0\r\n');
    expect(Array.from(r.value[1]?.body ?? [])).toEqual([0, 1, 13, 10, 45, 45]);
  });

  it('skips a preamble, accepts quoted boundaries and parts without headers', () => {
    const body = encoder.encode(
      'preamble\r\n--b\r\n\r\nno headers\r\n--b\r\nX: 1\r\n\r\nx\r\n--b--\r\nepilogue',
    );
    const r = parseMultipart(body, 'multipart/related; boundary="b"');
    expect(r.ok && r.value.map((p) => decoder.decode(p.body))).toEqual(['no headers', 'x']);
  });

  it('rejects bodies it cannot frame', () => {
    expect(parseMultipart(encoder.encode('x'), 'application/sdp')).toEqual({
      ok: false,
      reason: 'application/sdp is not a multipart type',
    });
    expect(parseMultipart(encoder.encode('x'), 'multipart/mixed').ok).toBe(false);
    expect(
      parseMultipart(encoder.encode('--b\r\nX: 1\r\n\r\nunterminated'), 'multipart/mixed;boundary=b').ok,
    ).toBe(false);
  });
});
