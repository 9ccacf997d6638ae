import { describe, expect, it } from 'vitest';
import { StreamDecoder, type StreamEvent, parseStream } from './stream-decoder.ts';

const encoder = new TextEncoder();

function msg(callId: string, body = ''): string {
  return [
    'OPTIONS sip:bob@biloxi.example.com SIP/2.0',
    'Via: SIP/2.0/TCP client.atlanta.example.com;branch=z9hG4bK' + callId,
    'Max-Forwards: 70',
    'To: <sip:bob@biloxi.example.com>',
    'From: <sip:alice@atlanta.example.com>;tag=1',
    `Call-ID: ${callId}`,
    'CSeq: 1 OPTIONS',
    `Content-Length: ${encoder.encode(body).length}`,
    '',
    body,
  ].join('\r\n');
}

function summary(events: StreamEvent[]): string[] {
  return events.map((e) =>
    e.kind === 'message'
      ? `msg:${e.message.callId}:${e.message.bodyText}`
      : e.kind === 'keepalive'
        ? e.ping
          ? 'ping'
          : 'pong'
        : e.kind === 'malformed'
          ? `bad:${e.reason}`
          : 'incomplete',
  );
}

describe('StreamDecoder (RFC 3261 §18.3 framing, RFC 5626 §3.5.1 keep-alives)', () => {
  it('yields several messages from one chunk and keeps the leftover', () => {
    const d = new StreamDecoder();
    const tail = msg('c3').slice(0, 20);
    const events = d.push(encoder.encode(msg('c1', 'one') + msg('c2', 'two') + tail));
    expect(summary(events)).toEqual(['msg:c1:one', 'msg:c2:two']);
    expect(d.pending).toBe(20);
    expect(new TextDecoder().decode(d.leftover())).toBe(tail);
  });

  it('reassembles a message fed one byte at a time', () => {
    const d = new StreamDecoder();
    const bytes = encoder.encode(msg('slow', 'body!'));
    const events: StreamEvent[] = [];
    for (const b of bytes) events.push(...d.push(new Uint8Array([b])));
    expect(summary(events)).toEqual(['msg:slow:body!']);
    expect(d.pending).toBe(0);
  });

  it('gives messages their own bytes: reusing the chunk does not change them', () => {
    const d = new StreamDecoder();
    const chunk = encoder.encode(msg('own', 'body') + msg('next', 'x').slice(0, 10));
    const [ev] = d.push(chunk);
    chunk.fill(0x41);
    expect(ev?.kind).toBe('message');
    if (ev?.kind !== 'message') return;
    expect(ev.message.bodyText).toBe('body');
    expect(new TextDecoder().decode(ev.message.toBytes())).toBe(msg('own', 'body'));
    expect(new TextDecoder().decode(d.leftover())).toBe(msg('next', 'x').slice(0, 10));
  });

  it('reports CRLFCRLF pings and CRLF pongs between messages', () => {
    const d = new StreamDecoder();
    expect(summary(d.push(encoder.encode('\r\n\r\n')))).toEqual(['ping']);
    expect(summary(d.push(encoder.encode('\r\n' + msg('after'))))).toEqual(['pong', 'msg:after:']);
    expect(summary(d.push(encoder.encode('\r')))).toEqual([]);
    expect(summary(d.push(encoder.encode('\n\r')))).toEqual([]);
    expect(summary(d.push(encoder.encode('\n')))).toEqual(['ping']);
  });

  it('stops after a malformed message (framing is lost)', () => {
    const d = new StreamDecoder();
    const events = d.push(encoder.encode('GARBAGE\r\n\r\n' + msg('x')));
    expect(summary(events)).toEqual(['bad:invalid request line "GARBAGE"']);
    expect(d.push(encoder.encode(msg('y')))).toEqual([]);
  });

  it('rejects an oversized header section before it is complete', () => {
    const d = new StreamDecoder({ maxHeaderBytes: 100 });
    const events = d.push(encoder.encode('OPTIONS sip:a@b SIP/2.0\r\nX: ' + 'y'.repeat(200)));
    expect(summary(events)).toEqual(['bad:header section larger than 100 bytes']);
  });

  it('parseStream reports incomplete on a lone CR', () => {
    expect(parseStream(encoder.encode('\r')).kind).toBe('incomplete');
    expect(parseStream(new Uint8Array()).kind).toBe('incomplete');
  });
});
