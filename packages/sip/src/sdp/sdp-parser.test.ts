import { describe, expect, it } from 'vitest';
import type { SdpErrorCode } from './sdp-model.ts';
import { parseSdp } from './sdp-parser.ts';
import { serializeSdp } from './sdp-serializer.ts';

const HEAD = ['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 't=0 0'];
const body = (...lines: string[]): string => [...HEAD, ...lines].map((l) => `${l}\r\n`).join('');

function rejects(text: string | Uint8Array, code: SdpErrorCode, line?: number, reason?: RegExp): void {
  const r = parseSdp(text);
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.code).toBe(code);
  if (line !== undefined) expect(r.line).toBe(line);
  if (reason) expect(r.reason).toMatch(reason);
}

describe('parseSdp: structure', () => {
  it('accepts the minimal session and writes it back', () => {
    const r = parseSdp(body());
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.sdp.media).toEqual([]);
      expect(serializeSdp(r.sdp)).toBe(body());
    }
  });

  it('rejects empty input and input not starting with v=', () => {
    rejects('', 'missing-line', undefined, /no v=/);
    rejects('o=- 1 1 IN IP4 192.0.2.1\r\nv=0\r\n', 'missing-line', 1, /start with v=/);
  });

  it('rejects v= other than 0', () => rejects('v=1\r\n', 'bad-version', 1));

  it('requires o= and s=', () => {
    rejects('v=0\r\ns=-\r\nt=0 0\r\n', 'missing-line', undefined, /o=/);
    rejects('v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\nt=0 0\r\n', 'missing-line', undefined, /s=/);
  });

  it('rejects duplicate session-level singletons and a second v=', () => {
    rejects(body('s=again'), 'duplicate-line', 5);
    rejects(body('c=IN IP4 192.0.2.1', 'c=IN IP4 192.0.2.2'), 'duplicate-line', 6);
    rejects(body('v=0'), 'misplaced-line', 5);
  });

  it('rejects session-only lines inside a media section', () => {
    rejects(body('m=audio 1 RTP/AVP 0', 't=0 0'), 'misplaced-line', 6, /session-level/);
    rejects(body('m=audio 1 RTP/AVP 0', 'o=- 1 1 IN IP4 192.0.2.1'), 'misplaced-line', 6);
    rejects(body('m=audio 1 RTP/AVP 0', 'i=a', 'i=b'), 'duplicate-line', 7);
  });

  it('rejects r= before any t= and accepts it after', () => {
    rejects('v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nr=7d 1h 0\r\n', 'misplaced-line', 4);
    expect(parseSdp(body('r=7d 1h 0 25h')).ok).toBe(true);
  });

  it('rejects unknown type letters (RFC 4566 §5) and malformed lines', () => {
    rejects(body('x=1'), 'unknown-line-type', 5);
    rejects(body('A=1'), 'bad-line', 5);
    rejects(body('a 1'), 'bad-line', 5);
    rejects(body('=x'), 'bad-line', 5);
  });

  it('tolerates LF endings, a missing final newline, blank lines, missing t= and empty s=', () => {
    expect(parseSdp('v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nt=0 0').ok).toBe(true);
    expect(parseSdp('v=0\r\n\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=\r\n\r\n').ok).toBe(true);
    const r = parseSdp('v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=\r\n');
    expect(r.ok && r.sdp.timings.length === 0 && r.sdp.sessionName === '').toBe(true);
  });

  it('accepts session lines out of RFC order and writes them in RFC order', () => {
    const r = parseSdp('v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\na=x\r\nt=0 0\r\nc=IN IP4 192.0.2.1\r\n');
    expect(r.ok).toBe(true);
    if (r.ok)
      expect(serializeSdp(r.sdp)).toBe(
        'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\na=x\r\n',
      );
  });

  it('rejects bare CR, NUL and invalid UTF-8', () => {
    rejects(body('a=x\ry'), 'bad-line', 5, /bare CR/);
    rejects(body('a=x\0'), 'bad-encoding', 5);
    rejects(new Uint8Array([0x76, 0x3d, 0x30, 0x0d, 0x0a, 0x73, 0x3d, 0xff, 0x0d, 0x0a]), 'bad-encoding');
  });

  it('keeps UTF-8 text in s= and i=', () => {
    const text = body().replace('s=-', 's=Réunion — 会议');
    const r = parseSdp(new TextEncoder().encode(text));
    expect(r.ok && r.sdp.sessionName).toBe('Réunion — 会议');
  });
});

describe('parseSdp: limits', () => {
  it('maxBytes counts UTF-8 bytes, for text and for bytes', () => {
    const text = body('a=x:' + 'é'.repeat(100));
    const bytes = new TextEncoder().encode(text).length;
    expect(parseSdp(text, { maxBytes: bytes }).ok).toBe(true);
    const r1 = parseSdp(text, { maxBytes: bytes - 1 });
    const r2 = parseSdp(new TextEncoder().encode(text), { maxBytes: bytes - 1 });
    expect(!r1.ok && r1.code).toBe('too-large');
    expect(!r2.ok && r2.code).toBe('too-large');
  });

  it('maxLines, maxLineLength, maxMediaSections, maxFormats', () => {
    const many = body(...Array.from({ length: 20 }, (_, i) => `a=x${i}`));
    const r = parseSdp(many, { maxLines: 10 });
    expect(!r.ok && r.code).toBe('too-many-lines');
    const long = parseSdp(body('a=x:' + 'y'.repeat(200)), { maxLineLength: 100 });
    expect(!long.ok && long.code).toBe('line-too-long');
    expect(!long.ok && long.line).toBe(5);
    const media = parseSdp(body('m=audio 1 RTP/AVP 0', 'm=audio 2 RTP/AVP 0', 'm=audio 3 RTP/AVP 0'), {
      maxMediaSections: 2,
    });
    expect(!media.ok && media.code).toBe('too-many-media');
    const fmts = parseSdp(body(`m=audio 1 RTP/AVP ${Array.from({ length: 10 }, (_, i) => i).join(' ')}`), {
      maxFormats: 5,
    });
    expect(!fmts.ok && fmts.code).toBe('too-many-formats');
  });

  it('the default limits take a realistic large WebRTC SDP', () => {
    const candidates = Array.from(
      { length: 200 },
      (_, i) => `a=candidate:${i} 1 udp 2122260223 192.0.2.${i % 250} ${10000 + i} typ host generation 0`,
    );
    expect(parseSdp(body('m=audio 9 UDP/TLS/RTP/SAVPF 111', ...candidates)).ok).toBe(true);
  });
});

describe('parseSdp: line values', () => {
  it('o=: six fields, digits for id and version, 64-bit ids kept exactly', () => {
    rejects('v=0\r\no=- 1 1 IN IP4\r\n', 'bad-origin', 2, /6 fields/);
    rejects('v=0\r\no=- abc 1 IN IP4 192.0.2.1\r\n', 'bad-origin', 2, /sess-id/);
    rejects('v=0\r\no=- 1 1.5 IN IP4 192.0.2.1\r\n', 'bad-origin', 2, /sess-version/);
    const r = parseSdp(body().replace('o=- 1 1', 'o=- 18446744073709551615 18446744073709551615'));
    expect(r.ok && r.sdp.origin.sessionId).toBe('18446744073709551615');
  });

  it('c=: unicast, IP4 multicast with ttl and count, IP6 multicast with count; errors', () => {
    const c = (line: string) => {
      const r = parseSdp(body(line));
      return r.ok ? r.sdp.connection : r.code;
    };
    expect(c('c=IN IP4 224.2.1.1/127/3')).toEqual({
      netType: 'IN',
      addrType: 'IP4',
      address: '224.2.1.1',
      ttl: 127,
      addressCount: 3,
    });
    expect(c('c=IN IP6 ff15::101/3')).toEqual({
      netType: 'IN',
      addrType: 'IP6',
      address: 'ff15::101',
      addressCount: 3,
    });
    expect(c('c=IN IP4 host.example.com')).toEqual({
      netType: 'IN',
      addrType: 'IP4',
      address: 'host.example.com',
    });
    expect(c('c=IN IP4')).toBe('bad-connection');
    expect(c('c=IN IP4 224.2.1.1/256')).toBe('bad-connection');
    expect(c('c=IN IP4 224.2.1.1/1/0')).toBe('bad-connection');
    expect(c('c=IN IP4 224.2.1.1/1/2/3')).toBe('bad-connection');
    expect(c('c=IN IP6 ff15::1/1/2')).toBe('bad-connection');
    expect(c('c=IN IP4 224.2.1.1/x')).toBe('bad-connection');
  });

  it('b=, t=, r=, z= errors', () => {
    rejects(body('b=AS'), 'bad-bandwidth', 5);
    rejects(body('b=AS:fast'), 'bad-bandwidth', 5);
    rejects(body('b=:64'), 'bad-bandwidth', 5);
    rejects(body('t=0'), 'bad-timing', 5);
    rejects(body('t=now 0'), 'bad-timing', 5);
    rejects(body('r=7d 1h'), 'bad-repeat', 5);
    rejects(body('r=7x 1h 0'), 'bad-repeat', 5);
    rejects(body('z=2882844526'), 'bad-time-zone', 5);
    rejects(body('z=abc -1h'), 'bad-time-zone', 5);
  });

  it('m=: port range, port count, proto, formats; tolerates extra blanks', () => {
    rejects(body('m=audio 65536 RTP/AVP 0'), 'bad-media', 5, /0\.\.65535/);
    rejects(body('m=audio x RTP/AVP 0'), 'bad-media', 5);
    rejects(body('m=audio 1/0 RTP/AVP 0'), 'bad-media', 5);
    rejects(body('m=audio 1/2/3 RTP/AVP 0'), 'bad-media', 5);
    rejects(body('m=audio 1 RTP//AVP 0'), 'bad-media', 5);
    rejects(body('m=audio 1'), 'bad-media', 5);
    const r = parseSdp(body('m=audio  49170   RTP/AVP 0 8  '));
    expect(r.ok && r.sdp.media[0]).toMatchObject({ port: 49170, formats: ['0', '8'] });
    const bare = parseSdp(body('m=audio 0 RTP/AVP'));
    expect(bare.ok && bare.sdp.media[0]?.formats).toEqual([]);
  });

  it('a=: property and value attributes, value kept verbatim, bad names rejected', () => {
    const r = parseSdp(body('a=recvonly ', 'a=x-note:  two  spaces : and colons ', 'a=empty:'));
    expect(r.ok && r.sdp.attributes).toEqual([
      { name: 'recvonly' },
      { name: 'x-note', value: '  two  spaces : and colons ' },
      { name: 'empty', value: '' },
    ]);
    rejects(body('a='), 'bad-attribute', 5);
    rejects(body('a=bad name:1'), 'bad-attribute', 5);
    rejects(body('a=:value'), 'bad-attribute', 5);
  });

  it('media-level i, c (several), b, k, a are kept per section', () => {
    const r = parseSdp(
      body(
        'm=audio 1 RTP/AVP 0',
        'i=voice',
        'c=IN IP4 224.2.1.1/127',
        'c=IN IP4 224.2.1.2/127',
        'b=AS:64',
        'k=prompt',
        'a=x',
      ),
    );
    expect(r.ok && r.sdp.media[0]).toEqual({
      type: 'audio',
      port: 1,
      protocol: 'RTP/AVP',
      formats: ['0'],
      information: 'voice',
      connections: [
        { netType: 'IN', addrType: 'IP4', address: '224.2.1.1', ttl: 127 },
        { netType: 'IN', addrType: 'IP4', address: '224.2.1.2', ttl: 127 },
      ],
      bandwidths: [{ type: 'AS', value: 64 }],
      key: 'prompt',
      attributes: [{ name: 'x' }],
    });
  });
});

describe('serializeSdp', () => {
  it('refuses values that would inject lines', () => {
    const r = parseSdp(body());
    if (!r.ok) throw new Error(r.reason);
    expect(() => serializeSdp({ ...r.sdp, sessionName: 'x\r\na=evil' })).toThrow(RangeError);
    expect(() => serializeSdp({ ...r.sdp, attributes: [{ name: 'x', value: 'a\nb' }] })).toThrow(RangeError);
  });
});
