// RFC 5118 "SIP Torture Test Messages for IPv6", every message of §4, built from the RFC text
// (test/fixtures/rfc5118/*.txt, RFC 4475 §2 notation).
//
// NOTE: three messages print a Content-Length that does not match the body printed under it
// (with CRLF line ends): ipv6-in-sdp says 268 for 251 octets, mult-ip-in-sdp 181 for 189,
// ipv4-mapped-ipv6 236 for 245. Over UDP that is RFC 3261 §18.3 framing: a longer declared
// length is a malformed datagram, a shorter one truncates the body. The tests check that
// behaviour on the literal text and check the message itself with the length corrected.
import { describe, expect, it } from 'vitest';
import type { SipRequest } from '@switchboard/sip';
import { type SipMessageAny, SipUri, parseMessage, parseUri, uriEquals } from '@switchboard/sip';
import { expectStructuralRoundTrip, expectWireRoundTrip } from './message-equivalence.ts';
import { fixture } from './rfc-text.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function withRealLength(bytes: Uint8Array): Uint8Array {
  const text = decoder.decode(bytes);
  const split = text.indexOf('\r\n\r\n') + 4;
  const body = text.slice(split);
  return encoder.encode(
    text.slice(0, split).replace(/Content-Length: \d+/, `Content-Length: ${encoder.encode(body).length}`) +
      body,
  );
}

function parse(name: string, fix = false): SipMessageAny {
  const bytes = fixture('rfc5118', name);
  const r = parseMessage(fix ? withRealLength(bytes) : bytes);
  if (r.kind !== 'message') throw new Error(`${name}: ${r.kind === 'malformed' ? r.reason : r.kind}`);
  return r.message;
}

function sip(u: unknown): SipUri {
  expect(u).toBeInstanceOf(SipUri);
  return u as SipUri;
}

const valid: Array<{ name: string; section: string; fix?: boolean; check: (m: SipMessageAny) => void }> = [
  {
    name: 'ipv6-good',
    section: '4.1',
    check: (m) => {
      expect(sip((m as SipRequest).uri).host).toBe('[2001:db8::10]');
      expect(m.topVia()?.host).toBe('[2001:db8::9:1]');
      expect(sip(m.contacts()[0]?.uri).host).toBe('[2001:db8::1]');
    },
  },
  {
    name: 'port-ambiguous',
    section: '4.3',
    check: (m) => {
      // The whole bracketed text is the address; there is no port.
      const u = sip((m as SipRequest).uri);
      expect(u.host).toBe('[2001:db8::10:5070]');
      expect(u.port).toBeUndefined();
    },
  },
  {
    name: 'port-unambiguous',
    section: '4.4',
    check: (m) => {
      const u = sip((m as SipRequest).uri);
      expect([u.host, u.port]).toEqual(['[2001:db8::10]', 5070]);
    },
  },
  {
    name: 'via-received-param-with-delim',
    section: '4.5',
    check: (m) => expect(m.topVia()?.received).toBe('[2001:db8::9:255]'),
  },
  {
    name: 'via-received-param-no-delim',
    section: '4.5',
    check: (m) => expect(m.topVia()?.received).toBe('2001:db8::9:255'),
  },
  {
    name: 'ipv6-in-sdp',
    section: '4.6',
    fix: true,
    check: (m) => expect(decoder.decode(m.body)).toContain('c=IN IP6 2001:db8::20\r\n'),
  },
  {
    name: 'mult-ip-in-header',
    section: '4.7',
    check: (m) =>
      expect(m.vias().map((v) => [v.transport, v.host, v.port, v.received])).toEqual([
        ['UDP', '[2001:db8::9:1]', 6050, undefined],
        ['UDP', '192.0.2.1', undefined, undefined],
        ['TCP', '[2001:db8::9:255]', undefined, '192.0.2.200'],
      ]),
  },
  {
    name: 'mult-ip-in-sdp',
    section: '4.8',
    fix: true,
    check: (m) => expect(decoder.decode(m.body)).toContain('c=IN IP6 2001:db8::1\r\n'),
  },
  {
    name: 'ipv4-mapped-ipv6',
    section: '4.9',
    fix: true,
    check: (m) => {
      expect(m.vias().map((v) => [v.host, v.port])).toEqual([
        ['[::ffff:192.0.2.10]', 19823],
        ['[::ffff:192.0.2.2]', undefined],
      ]);
      expect(sip(m.contacts()[0]?.uri).host).toBe('[::ffff:192.0.2.2]');
    },
  },
  {
    name: 'ipv6-bug-abnf-3-colons',
    section: '4.10',
    check: (m) => {
      // Tolerated (RFC 5118 §4.10): read as 2001:db8::192.0.2.1, forwarded as received.
      const correct = parseUri('sip:user@[2001:db8::192.0.2.1]');
      expect(correct.ok && uriEquals((m as SipRequest).uri, correct.value)).toBe(true);
      expect((m as SipRequest).uri.toString()).toBe('sip:user@[2001:db8:::192.0.2.1]');
    },
  },
  {
    name: 'ipv6-correct-abnf-2-colons',
    section: '4.10',
    check: (m) => expect(sip(m.to.uri).host).toBe('[2001:db8::192.0.2.1]'),
  },
];

describe('RFC 5118 §4 IPv6 torture messages', () => {
  describe.each(valid)('$section $name', ({ name, fix, check }) => {
    it('is accepted with the right IPv6 values', () => check(parse(name, fix)));
    it('round-trips on the wire', () => {
      expectWireRoundTrip(parse(name, fix));
    });
    it('round-trips structurally', () => expectStructuralRoundTrip(parse(name, fix)));
  });

  it('4.2 ipv6-bad: an IPv6 Request-URI without brackets is rejected', () => {
    const r = parseMessage(fixture('rfc5118', 'ipv6-bad'));
    expect(r.kind).toBe('malformed');
    if (r.kind === 'malformed')
      expect(r.reason).toBe(
        'invalid Request-URI: IPv6 address "2001:db8::10" must be enclosed in "[]" (RFC 5118 §4.2)',
      );
  });

  it('literal Content-Length errata: longer than the body is malformed, shorter truncates (RFC 3261 §18.3)', () => {
    for (const name of ['ipv6-in-sdp']) {
      const r = parseMessage(fixture('rfc5118', name));
      expect(r.kind).toBe('malformed');
      if (r.kind === 'malformed')
        expect(r.reason).toBe('Content-Length 268 exceeds the 251 body bytes received');
    }
    for (const [name, declared] of [
      ['mult-ip-in-sdp', 181],
      ['ipv4-mapped-ipv6', 236],
    ] as const) {
      const r = parseMessage(fixture('rfc5118', name));
      expect(r.kind).toBe('message');
      if (r.kind === 'message') expect(r.message.body.length).toBe(declared);
    }
  });

  it('IPv6 references compare by address (RFC 5118 §4.1, RFC 3261 §19.1.4)', () => {
    const pairs = [
      ['sip:bob@[::ffff:192.0.2.128]', 'sip:bob@[::ffff:c000:280]'],
      ['sip:bob@[2001:db8::9:1]', 'sip:bob@[2001:db8::9:01]'],
      ['sip:bob@[0:0:0:0:0:FFFF:129.144.52.38]', 'sip:bob@[::FFFF:129.144.52.38]'],
    ];
    for (const [a, b] of pairs) {
      const ua = parseUri(a as string);
      const ub = parseUri(b as string);
      expect(ua.ok && ub.ok && uriEquals(ua.value, ub.value), `${a} = ${b}`).toBe(true);
    }
    const x = parseUri('sip:bob@[2001:db8::9:1]');
    const y = parseUri('sip:bob@[2001:db8::9:2]');
    expect(x.ok && y.ok && uriEquals(x.value, y.value)).toBe(false);
  });
});
