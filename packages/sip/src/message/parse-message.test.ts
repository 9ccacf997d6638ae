import { describe, expect, it } from 'vitest';
import { SipHeaderError } from '../header/parsed.ts';
import { parseMessage } from './parse-message.ts';
import { SipRequest } from './sip-request.ts';
import { SipResponse } from './sip-response.ts';

const encoder = new TextEncoder();

const HEAD = [
  'Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds',
  'Max-Forwards: 70',
  'To: Bob <sip:bob@biloxi.example.com>',
  'From: Alice <sip:alice@atlanta.example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710@pc33.atlanta.example.com',
  'CSeq: 314159 INVITE',
];

function invite(extra: string[] = [], body = '', eol = '\r\n'): string {
  return ['INVITE sip:bob@biloxi.example.com SIP/2.0', ...HEAD, ...extra, '', body].join(eol);
}

function ok(
  input: string | Uint8Array,
  ...rest: Parameters<typeof parseMessage> extends [unknown, ...infer R] ? R : never
) {
  const r = parseMessage(input, ...rest);
  if (r.kind !== 'message') throw new Error(r.kind === 'malformed' ? r.reason : 'incomplete');
  return r;
}

function bad(
  input: string | Uint8Array,
  ...rest: Parameters<typeof parseMessage> extends [unknown, ...infer R] ? R : never
): string {
  const r = parseMessage(input, ...rest);
  expect(r.kind).toBe('malformed');
  return r.kind === 'malformed' ? r.reason : '';
}

describe('parseMessage: framing', () => {
  it('parses a request and a response', () => {
    const r = ok(invite(['Content-Length: 4'], 'v=0\n'));
    expect(r.message).toBeInstanceOf(SipRequest);
    expect(r.consumed).toBe(encoder.encode(invite(['Content-Length: 4'], 'v=0\n')).length);
    const resp = ok(['SIP/2.0 180 Ringing', ...HEAD, 'Content-Length: 0', '', ''].join('\r\n')).message;
    expect(resp).toBeInstanceOf(SipResponse);
    expect([(resp as SipResponse).status, (resp as SipResponse).reason]).toEqual([180, 'Ringing']);
  });

  it('takes the rest of a datagram as the body when Content-Length is absent (RFC 3261 §18.3)', () => {
    expect(ok(invite([], 'abc')).message.bodyText).toBe('abc');
  });

  it('drops datagram octets past Content-Length, rejects a short datagram', () => {
    expect(ok(invite(['Content-Length: 2'], 'abcdef')).message.bodyText).toBe('ab');
    expect(bad(invite(['Content-Length: 10'], 'abc'))).toBe(
      'Content-Length 10 exceeds the 3 body bytes received',
    );
  });

  it('on a stream: needs Content-Length, says incomplete until the body is there', () => {
    const text = invite(['Content-Length: 5'], 'hello');
    for (let cut = 1; cut < text.length; cut += 13) {
      expect(parseMessage(text.slice(0, cut), undefined, { mode: 'stream' }).kind).toBe('incomplete');
    }
    const full = parseMessage(text + 'NEXT', undefined, { mode: 'stream' });
    expect(full.kind === 'message' && full.consumed).toBe(encoder.encode(text).length);
    expect(bad(invite([], 'x'), undefined, { mode: 'stream' })).toBe(
      'Content-Length is required on a stream transport',
    );
  });

  it('on a stream, every proper prefix of a valid message is incomplete, never malformed', () => {
    const text = invite(['Subject: fold', ' ed', 'Content-Length: 5'], 'hello');
    const bytes = encoder.encode(text);
    for (let i = 0; i < bytes.length; i++) {
      expect(parseMessage(bytes.subarray(0, i), undefined, { mode: 'stream' }).kind, `prefix ${i}`).toBe(
        'incomplete',
      );
    }
    expect(parseMessage(bytes, undefined, { mode: 'stream' }).kind).toBe('message');
  });

  it('finds the empty line with mixed line ends and after a non-ASCII start line', () => {
    const mixed =
      invite(['Content-Length: 2'], '', '\n').replace(/\n\n$/, '\n\r\n') + 'ok\r\n\r\nnot headers';
    const m = ok(mixed).message;
    expect(m.bodyText).toBe('ok');
    const utf8 = ok(['SIP/2.0 200 Très bien ☎', ...HEAD, 'Content-Length: 2', '', 'ok'].join('\r\n')).message;
    expect((utf8 as SipResponse).reason).toBe('Très bien ☎');
    expect(utf8.callId).toBe('a84b4c76e66710@pc33.atlanta.example.com');
    expect(utf8.bodyText).toBe('ok');
  });

  it('unfolds continuation lines and tolerates LF-only line ends and leading CRLFs', () => {
    const folded = invite(["Subject: I know you're there,", '   pick up the phone', '\tand talk to me!']);
    expect(ok(folded).message.headers.get('Subject')).toBe(
      "I know you're there, pick up the phone and talk to me!",
    );
    const lf = ok('\r\n\r\n' + invite(['Content-Length: 0'], '', '\n'));
    expect((lf.message as SipRequest).method).toBe('INVITE');
    expect(lf.message.callId).toBe('a84b4c76e66710@pc33.atlanta.example.com');
  });

  it('keeps header values with non-ASCII UTF-8 and a binary body', () => {
    const head = encoder.encode(invite(['Subject: café ☎', 'Content-Length: 3'], ''));
    const bytes = new Uint8Array([...head, 0, 0xff, 0x80]);
    const m = ok(bytes).message;
    expect(m.headers.get('Subject')).toBe('café ☎');
    expect(Array.from(m.body)).toEqual([0, 0xff, 0x80]);
  });

  it('rejects broken framing with precise reasons', () => {
    expect(bad('')).toBe('empty message');
    expect(bad('INVITE sip:a@b SIP/2.0')).toBe('no line end after the start line');
    expect(bad(invite().slice(0, -4))).toBe('header section not terminated by an empty line');
    expect(bad(invite(['No colon here']))).toMatch(/^header line without colon: "No colon here"$/);
    expect(bad(invite(['Bad Name: x']))).toMatch(/^header line without colon|invalid header name/);
    expect(bad(invite(['Bad@Name: x']))).toBe('invalid header name "Bad@Name"');
    expect(bad(['INVITE sip:a@b SIP/2.0', ' folded first', '', ''].join('\r\n'))).toBe(
      'header section starts with a continuation line',
    );
    expect(
      bad(new Uint8Array([...encoder.encode('INVITE sip:a@b SIP/2.0\r\nTo: '), 0xff, 13, 10, 13, 10])),
    ).toBe('start line or header section is not valid UTF-8');
    expect(bad('HELLO\r\n\r\n')).toBe('invalid request line "HELLO"');
    expect(bad(['SIP/2.0 99 Low', ...HEAD, '', ''].join('\r\n'))).toBe('invalid status code "99"');
    expect(bad(['SIP/3 200 OK', ...HEAD, '', ''].join('\r\n'))).toBe('invalid SIP version "SIP/3"');
    expect(bad(invite(['Content-Length: 1', 'Content-Length: 2'], 'xx'))).toBe(
      'Content-Length: conflicting Content-Length headers',
    );
  });

  it('enforces the limits', () => {
    expect(bad(invite(), { maxStartLine: 10 })).toBe('start line longer than 10 bytes');
    expect(bad('INVITE ' + 'a'.repeat(100), { maxStartLine: 50 })).toBe('start line longer than 50 bytes');
    expect(bad(invite(['X-Pad: ' + 'p'.repeat(500)]), { maxHeaderBytes: 300 })).toBe(
      'header section larger than 300 bytes',
    );
    expect(
      parseMessage(
        invite(['X-Pad: ' + 'p'.repeat(500)]).slice(0, 400),
        { maxHeaderBytes: 300 },
        { mode: 'stream' },
      ).kind,
    ).toBe('malformed');
    expect(bad(invite(['A: 1', 'B: 2']), { maxHeaderCount: 7 })).toBe('more than 7 header fields');
    expect(bad(invite(['Content-Length: 11'], 'x'.repeat(11)), { maxBodyBytes: 10 })).toBe(
      'body larger than 10 bytes',
    );
    expect(bad(invite(['Content-Length: 2000000'], ''), undefined, { mode: 'stream' })).toBe(
      'body larger than 1048576 bytes',
    );
  });
});

describe('parseMessage: validation levels', () => {
  it('core: rejects missing or bad essentials and keeps a partial message for a 400', () => {
    const noCallId = invite().replace(/Call-ID: .*\r\n/, '');
    const r = parseMessage(noCallId);
    expect(r.kind === 'malformed' && r.reason).toBe('Call-ID: missing');
    expect(r.kind === 'malformed' && r.partial instanceof SipRequest).toBe(true);
    expect(bad(invite().replace(/Via: .*\r\n/, ''))).toBe('Via: missing');
    expect(bad(invite(['Max-Forwards: 256']).replace('Max-Forwards: 70\r\n', ''))).toBe(
      'Max-Forwards: 256 exceeds 255',
    );
    expect(bad(invite().replace('CSeq: 314159 INVITE', 'CSeq: 1 BYE'))).toBe(
      'CSeq method BYE does not match request method INVITE',
    );
    expect(bad(invite(['To: x <sip:y@z>']))).toBe('To: more than one To header');
  });

  it('core leaves other headers lazy; "all" checks them; "none" only frames', () => {
    const text = invite(['Contact: <sip:a@bad host>', 'Content-Type: nonsense']);
    const m = ok(text).message;
    expect(() => m.contacts()[0]?.uri).toThrow(SipHeaderError);
    expect(() => m.contentType).toThrow(SipHeaderError);
    expect(m.validate('all')).toBe('Content-Type: media type "nonsense" has no "/"');
    expect(bad(text, undefined, { validate: 'all' })).toBe('Content-Type: media type "nonsense" has no "/"');
    expect(
      ok(invite().replace(/Call-ID: .*\r\n/, ''), undefined, { validate: 'none' }).message.headers.has(
        'Call-ID',
      ),
    ).toBe(false);
  });

  it('core checks only the top Via; "all" checks every Via', () => {
    const text = invite(['Via: SIP/2.0/UDP broken host']);
    expect(ok(text).message.topVia()?.host).toBe('pc33.atlanta.example.com');
    expect(bad(text, undefined, { validate: 'all' })).toMatch(/^Via: /);
  });

  it('never throws on any truncation of a valid message', () => {
    const text = invite(['Content-Length: 4'], 'v=0\n');
    for (let i = 0; i <= text.length; i++) {
      expect(() => parseMessage(text.slice(0, i))).not.toThrow();
      expect(() => parseMessage(text.slice(0, i), undefined, { mode: 'stream' })).not.toThrow();
    }
  });
});
