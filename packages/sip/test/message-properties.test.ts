// Property tests (fast-check): generated messages survive serialize → parse; random and
// mutated bytes never make the parser throw. Run counts are bounded so the suite stays fast.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Contact,
  NameAddr,
  SipRequest,
  SipResponse,
  SipUri,
  StreamDecoder,
  Via,
  parseMessage,
  parseUri,
  uriEquals,
} from '@switchboard/sip';

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const TOKEN = ALNUM + "-.!%*_+`'~";

const fromChars = (chars: string, min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...chars), minLength: min, maxLength: max });

const token = fromChars(TOKEN, 1, 12);
const label = fromChars(ALNUM, 1, 10);
const hostname = fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => l.join('.'));
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((o) => o.join('.'));
const ipv6 = fc.ipV6().map((a) => `[${a}]`);
const host = fc.oneof(hostname, ipv4, ipv6);
const port = fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined });
// Any Unicode text for user parts and display names: they are escaped / quoted on output.
const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((s) => !/[\r\n]/.test(s));
// Parameters are kept in escaped form, so a generated value must not contain a stray "%".
const paramToken = fromChars(ALNUM + "-.!*_+`'~", 1, 12);
const paramValue = fc.option(paramToken, { nil: null });

const sipUri = fc
  .record({
    scheme: fc.constantFrom('sip' as const, 'sips' as const),
    user: fc.option(text, { nil: undefined }),
    host,
    port,
    params: fc.dictionary(
      paramToken.map((t) => t.toLowerCase()),
      paramValue,
      { maxKeys: 3 },
    ),
    headers: fc.array(fc.tuple(token, text), { maxLength: 2 }),
  })
  .map((r) => new SipUri(r));

const nameAddr = fc
  .record({
    displayName: fc.option(text, { nil: undefined }),
    uri: sipUri,
    tag: fc.option(token, { nil: undefined }),
  })
  .map(({ displayName, uri, tag }) => {
    // Display names are trimmed by the grammar (LWS around them is not part of the value).
    const na = new NameAddr({ displayName: displayName?.trim() || undefined, uri });
    if (tag !== undefined) na.tag = tag;
    return na;
  });

const via = fc
  .record({
    transport: fc.constantFrom('UDP', 'TCP', 'TLS', 'WS', 'WSS', 'SCTP'),
    host,
    port,
    branch: token.map((t) => 'z9hG4bK' + t),
    rport: fc.option(fc.oneof(fc.constant(true as const), fc.integer({ min: 1, max: 65535 })), {
      nil: undefined,
    }),
  })
  .map((r) => {
    const v = new Via({ transport: r.transport, host: r.host, port: r.port, params: { branch: r.branch } });
    v.rport = r.rport;
    return v;
  });

const extraHeader = fc.tuple(
  token.filter(
    (t) =>
      !/^(via|v|to|t|from|f|call-id|i|cseq|content-length|l|max-forwards|contact|m|content-type|c)$/i.test(t),
  ),
  fc.string({ maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, ' ').trim()),
);

const message = fc.record({
  request: fc.boolean(),
  method: token,
  uri: sipUri,
  status: fc.integer({ min: 100, max: 699 }),
  reason: fc.string({ maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, ' ')),
  vias: fc.array(via, { minLength: 1, maxLength: 3 }),
  from: nameAddr,
  to: nameAddr,
  callId: fromChars(ALNUM + '-.!%*_+`\'~()<>:\\"/[]?{}@', 1, 30),
  seq: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  maxForwards: fc.integer({ min: 0, max: 255 }),
  contacts: fc.array(nameAddr, { maxLength: 2 }),
  extra: fc.array(extraHeader, { maxLength: 4 }),
  body: fc.uint8Array({ maxLength: 64 }),
});

type Generated = typeof message extends fc.Arbitrary<infer T> ? T : never;

function build(g: Generated): SipRequest | SipResponse {
  // RFC 3261 §19.1.1: no URI headers in a Request-URI (the parser rejects them).
  g.uri.headers = [];
  const m = g.request
    ? new SipRequest({ method: g.method, uri: g.uri })
    : new SipResponse({ status: g.status, reason: g.reason });
  m.setVias(g.vias);
  m.from = g.from;
  m.to = g.to;
  m.callId = g.callId;
  m.cseq = { seq: g.seq, method: g.request ? g.method : 'INVITE' };
  m.maxForwards = g.maxForwards;
  m.setContacts(
    g.contacts.map((c) => new Contact({ displayName: c.displayName, uri: c.uri, params: c.params })),
  );
  for (const [name, value] of g.extra) m.headers.append(name, value);
  m.body = g.body;
  return m;
}

describe('property: serialize → parse round-trips', () => {
  it('generated SIP URIs parse back to an equivalent URI', () => {
    fc.assert(
      fc.property(sipUri, (u) => {
        const r = parseUri(u.toString());
        expect(r.ok, u.toString()).toBe(true);
        if (r.ok) expect(uriEquals(r.value, u), u.toString()).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('generated messages parse back with the same values (datagram and stream)', () => {
    fc.assert(
      fc.property(message, (g) => {
        const m = build(g);
        const bytes = m.toBytes();
        for (const mode of ['datagram', 'stream'] as const) {
          const r = parseMessage(bytes, undefined, { mode, validate: 'all' });
          if (r.kind !== 'message') throw new Error(`${mode}: ${r.kind === 'malformed' ? r.reason : r.kind}`);
          const p = r.message;
          expect(r.consumed).toBe(bytes.length);
          if (g.request) {
            expect((p as SipRequest).method).toBe(g.method);
            expect(uriEquals((p as SipRequest).uri, g.uri)).toBe(true);
          } else {
            expect((p as SipResponse).status).toBe(g.status);
            expect((p as SipResponse).reason).toBe(g.reason);
          }
          expect(p.vias().map((v) => [v.transport, v.host, v.port, v.branch, v.rport])).toEqual(
            g.vias.map((v) => [v.transport, v.host, v.port, v.branch, v.rport]),
          );
          for (const [a, b] of [
            [p.from, g.from],
            [p.to, g.to],
          ] as const) {
            expect(a.displayName).toBe(b.displayName);
            expect(a.tag).toBe(b.tag);
            expect(uriEquals(a.uri, b.uri)).toBe(true);
          }
          expect(p.callId).toBe(g.callId);
          expect(p.cseq.seq).toBe(g.seq);
          expect(p.maxForwards).toBe(g.maxForwards);
          expect(p.contacts().length).toBe(g.contacts.length);
          for (const [name, value] of g.extra) expect(p.headers.getFieldValues(name)).toContain(value);
          expect(Array.from(p.body)).toEqual(Array.from(g.body));
          // And serializing the parsed message again gives the same bytes.
          expect(Array.from(p.serialize())).toEqual(Array.from(bytes));
        }
      }),
      { numRuns: 300 },
    );
  });
});

const SAMPLE = new TextEncoder().encode(
  [
    'INVITE sip:bob@biloxi.example.com;transport=udp SIP/2.0',
    'Via: SIP/2.0/UDP proxy.example.com:5060;branch=z9hG4bK74bf9.1;rport, SIP/2.0/UDP [2001:db8::1];branch=z9hG4bK2',
    'Max-Forwards: 69',
    'From: "Alice" <sip:alice@atlanta.example.com>;tag=9fxced76sl',
    'To: Bob <sip:bob@biloxi.example.com>',
    'Call-ID: 3848276298220188511@atlanta.example.com',
    'CSeq: 2 INVITE',
    'Contact: <sip:alice@192.0.2.101:5060>;expires=60, *',
    'Route: <sip:p1.example.com;lr>',
    'Content-Type: multipart/mixed;boundary=b1',
    'Content-Length: 30',
    '',
    '--b1\r\n\r\nv=0\r\n--b1--\r\n12345',
  ].join('\r\n'),
);

/** Everything a caller might do with whatever the parser returned must not throw either. */
function exercise(bytes: Uint8Array): void {
  for (const mode of ['datagram', 'stream'] as const) {
    const r = parseMessage(bytes, { maxHeaderCount: 64 }, { mode });
    const m = r.kind === 'message' ? r.message : r.kind === 'malformed' ? r.partial : undefined;
    if (m !== undefined) {
      m.validate('all');
      m.toBytes();
      m.serialize();
    }
  }
  const d = new StreamDecoder();
  for (let i = 0; i < bytes.length; i += 17) d.push(bytes.subarray(i, i + 17));
}

describe('property: hostile bytes never make the parser throw', () => {
  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => exercise(bytes)),
      { numRuns: 1000 },
    );
  });

  it('random text drawn from SIP-ish characters', () => {
    const sipish = fc.string({
      unit: fc.constantFrom(...'INVITE SIP/2.0 sip:@;=<>"\\,:\r\n\t via from to tag 0123456789[]%'),
      maxLength: 400,
    });
    fc.assert(
      fc.property(sipish, (s) => exercise(new TextEncoder().encode(s))),
      { numRuns: 1000 },
    );
  });

  it('mutations of a valid message (flips, insertions, deletions, truncation)', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.nat(255) }),
      fc.record({
        kind: fc.constant('insert' as const),
        at: fc.nat(),
        byte: fc.constantFrom(0, 10, 13, 32, 34, 44, 58, 59, 60, 62, 0xff),
      }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), byte: fc.constant(0) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), byte: fc.constant(0) }),
    );
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 8 }), (mutations) => {
        let bytes = Array.from(SAMPLE);
        for (const m of mutations) {
          const at = bytes.length === 0 ? 0 : m.at % bytes.length;
          if (m.kind === 'set') bytes[at] = m.byte;
          else if (m.kind === 'insert') bytes.splice(at, 0, m.byte);
          else if (m.kind === 'delete') bytes.splice(at, 1);
          else bytes = bytes.slice(0, at);
        }
        exercise(new Uint8Array(bytes));
      }),
      { numRuns: 1500 },
    );
  });
});
