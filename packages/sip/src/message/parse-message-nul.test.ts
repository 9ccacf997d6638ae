import { describe, expect, it } from 'vitest';
import { parseMessage } from './parse-message.ts';

const request = (extra: string): string =>
  'OPTIONS sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n' +
  'From: <sip:b@example.com>;tag=1\r\nTo: <sip:a@example.com>\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\n' +
  `${extra}Content-Length: 0\r\n\r\n`;

describe('NUL bytes in header values', () => {
  it('rejects a raw NUL but keeps the readable request so a 400 can be sent', () => {
    const result = parseMessage(request('X-Evil: a\0b\r\n'));
    expect(result.kind).toBe('malformed');
    if (result.kind !== 'malformed') return;
    expect(result.reason).toContain('NUL byte');
    expect(result.partial?.callId).toBe('c1');
  });

  it('accepts a NUL escaped as a quoted-pair inside a quoted string (RFC 4475 intmeth)', () => {
    const result = parseMessage(request('Subject: "x \\\0 y"\r\n'));
    expect(result.kind).toBe('message');
  });
});
