import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { contentLength, StreamFramer, StreamFramerState, type StreamFramerEvent } from './stream-framer.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();

const options = (n: number, body = ''): string =>
  `OPTIONS sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK${n}\r\nCall-ID: c${n}\r\n` +
  `CSeq: ${n} OPTIONS\r\nl: ${enc.encode(body).length}\r\n\r\n${body}`;

const messages = (events: StreamFramerEvent[]): string[] =>
  events.flatMap((e) => (e.kind === 'message' ? [dec.decode(e.bytes)] : []));

describe('StreamFramer', () => {
  it('frames one message by Content-Length, compact form included', () => {
    const framer = new StreamFramer();
    const text = options(1, 'v=0\r\n');
    expect(messages(framer.push(enc.encode(text)))).toEqual([text]);
    expect(framer.state).toBe(StreamFramerState.Idle);
    expect(framer.buffered).toBe(0);
  });

  it('frames coalesced messages and keeps a partial tail for later', () => {
    const framer = new StreamFramer();
    const a = options(1, 'hello');
    const b = options(2);
    const c = options(3, 'x'.repeat(300));
    const all = enc.encode(a + b + c);
    const cut = all.length - 10;
    expect(messages(framer.push(all.subarray(0, cut)))).toEqual([a, b]);
    expect(framer.inMessage).toBe(true);
    expect(messages(framer.push(all.subarray(cut)))).toEqual([c]);
    expect(framer.inMessage).toBe(false);
  });

  it('yields the same messages however the stream is split (property)', () => {
    const texts = [
      options(1, 'body one'),
      options(2),
      'SIP/2.0 200 OK\r\nContent-Length: 3\r\n\r\nabc',
      options(4, 'ü€'),
    ];
    const whole = enc.encode(texts.join('\r\n\r\n'));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: whole.length }), { maxLength: 30 }), (cuts) => {
        const points = [...new Set([0, ...cuts, whole.length])].sort((x, y) => x - y);
        const framer = new StreamFramer();
        const events: StreamFramerEvent[] = [];
        for (let i = 0; i + 1 < points.length; i++)
          events.push(...framer.push(whole.subarray(points[i], points[i + 1])));
        expect(messages(events)).toEqual(texts);
        expect(events.filter((e) => e.kind === 'ping')).toHaveLength(texts.length - 1);
      }),
      { numRuns: 300 },
    );
  });

  it('reports CRLFCRLF as a ping and a single CRLF as a pong (RFC 5626 §3.5.1)', () => {
    const framer = new StreamFramer();
    expect(framer.push(enc.encode('\r\n\r\n')).map((e) => e.kind)).toEqual(['pong', 'ping']);
    expect(framer.push(enc.encode('\r\n')).map((e) => e.kind)).toEqual(['pong']);
    // A split ping still becomes a ping once its second half arrives.
    expect(framer.push(enc.encode('\r')).map((e) => e.kind)).toEqual([]);
    expect(framer.push(enc.encode('\n' + options(5))).map((e) => e.kind)).toEqual(['ping', 'message']);
  });

  it('fails on a start line that cannot be SIP, without waiting for more bytes', () => {
    const framer = new StreamFramer();
    const [event] = framer.push(enc.encode('GET / HTTP/1.1\r\nHost: x\r\n'));
    expect(event).toMatchObject({ kind: 'error', reason: expect.stringContaining('not a SIP start line') });
    expect(framer.state).toBe(StreamFramerState.Failed);
    expect(framer.push(enc.encode(options(1)))).toEqual([]);
  });

  it('fails when the start line, header section or body exceed the limits', () => {
    const limits = { maxStartLine: 100, maxHeaderBytes: 200, maxBodyBytes: 50 };
    expect(new StreamFramer(limits).push(enc.encode('OPTIONS sip:' + 'x'.repeat(101)))).toMatchObject([
      { kind: 'error', reason: 'start line longer than 100 bytes', oversized: true },
    ]);
    const longHeaders = `OPTIONS sip:a SIP/2.0\r\n${'X-Pad: yyyyyyyyyyyyyyyyyyyy\r\n'.repeat(20)}`;
    expect(new StreamFramer(limits).push(enc.encode(longHeaders))).toMatchObject([
      { kind: 'error', reason: 'header section larger than 200 bytes' },
    ]);
    expect(new StreamFramer(limits).push(enc.encode(options(1, 'z'.repeat(51))))).toMatchObject([
      { kind: 'error', reason: 'body of 51 bytes exceeds the limit of 50' },
    ]);
  });

  it('emits messages completed before a framing error, then the error', () => {
    const framer = new StreamFramer();
    const kinds = framer.push(enc.encode(options(1) + '\x00\x01garbage\r\n')).map((e) => e.kind);
    expect(kinds).toEqual(['message', 'error']);
  });
});

describe('contentLength', () => {
  it('reads full and compact names, case-insensitively, across folded lines', () => {
    expect(contentLength('INVITE sip:a SIP/2.0\r\nCONTENT-LENGTH:  12 ')).toBe(12);
    expect(contentLength('INVITE sip:a SIP/2.0\r\nl:\r\n 7')).toBe(7);
    expect(contentLength('INVITE sip:a SIP/2.0\r\nTo: b')).toBe(0);
  });

  it('rejects non-numeric and conflicting values', () => {
    expect(contentLength('INVITE sip:a SIP/2.0\r\nContent-Length: -1')).toMatch(/bad Content-Length/);
    expect(contentLength('INVITE sip:a SIP/2.0\r\nContent-Length: 99999999999')).toMatch(
      /bad Content-Length/,
    );
    expect(contentLength('INVITE sip:a SIP/2.0\r\nContent-Length: 1\r\nl: 2')).toBe(
      'conflicting Content-Length headers',
    );
    expect(contentLength('INVITE sip:a SIP/2.0\r\nContent-Length: 2\r\nl: 2')).toBe(2);
  });
});

describe('StreamFramer start-line screening', () => {
  it('refuses binary garbage at its first impossible byte', () => {
    const framer = new StreamFramer();
    const [event] = framer.push(new Uint8Array([0x49, 0x4e, 0x00, 0x01]));
    expect(event).toMatchObject({
      kind: 'error',
      reason: 'control byte 0x00 in the start line',
      oversized: false,
    });
  });

  it('refuses a first word that is not a token, or too long, before any line end', () => {
    expect(new StreamFramer().push(enc.encode('{"json": 1'))).toMatchObject([
      { kind: 'error', oversized: false },
    ]);
    expect(new StreamFramer().push(enc.encode('A'.repeat(40)))).toMatchObject([
      { kind: 'error', reason: 'not a SIP start line (first word too long)' },
    ]);
  });

  it('accepts a start line that arrives byte by byte', () => {
    const framer = new StreamFramer();
    const text = options(9);
    const events: StreamFramerEvent[] = [];
    for (const byte of enc.encode(text)) events.push(...framer.push(new Uint8Array([byte])));
    expect(messages(events)).toEqual([text]);
  });
});
