// RFC 4475 "SIP Torture Test Messages", every message of §3, built from the RFC's own text
// (test/fixtures/rfc4475/*.txt, in the §2 notation expanded by rfc-text.ts).
//
// Verdicts:
//  - valid: parses (default `core` validation), round-trips on the wire and structurally.
//  - tolerated: the RFC lets an element reject it OR accept it; we accept, and say why.
//  - invalid: parseMessage answers `malformed` with the reason given here.
import { describe, expect, it } from 'vitest';
import type { SipResponse } from '@switchboard/sip';
import {
  AbsoluteUri,
  type SipMessageAny,
  SipHeaderError,
  SipRequest,
  SipUri,
  StreamDecoder,
  parseMessage,
  parseMultipart,
} from '@switchboard/sip';
import { expectStructuralRoundTrip, expectWireRoundTrip } from './message-equivalence.ts';
import { fixture } from './rfc-text.ts';

const decoder = new TextDecoder();

function parse(name: string): SipMessageAny {
  const r = parseMessage(fixture('rfc4475', name));
  if (r.kind !== 'message') throw new Error(`${name}: ${r.kind === 'malformed' ? r.reason : r.kind}`);
  return r.message;
}

function sip(uri: unknown): SipUri {
  expect(uri).toBeInstanceOf(SipUri);
  return uri as SipUri;
}

interface AcceptedCase {
  name: string;
  section: string;
  /** Why a tolerant element accepts it, when the RFC also allows rejecting it. */
  tolerated?: string;
  check?: (m: SipMessageAny) => void;
}

const accepted: AcceptedCase[] = [
  {
    name: 'wsinv',
    section: '3.1.1.1',
    check: (m) => {
      const r = m as SipRequest;
      expect(sip(r.uri).params.has('unknownparam')).toBe(true);
      expect(r.to.tag).toBe('1918181833n');
      expect(r.from.displayName).toBe('J Rosenberg \\"');
      expect(r.from.tag).toBe('98asjd8');
      expect(r.maxForwards).toBe(68);
      expect(r.cseq).toEqual({ seq: 9, method: 'INVITE' });
      expect(r.vias().map((v) => [v.transport, v.host, v.branch])).toEqual([
        ['UDP', '192.0.2.2', '390skdjuw'],
        ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
        ['UDP', '192.168.255.111', 'z9hG4bK30239'],
      ]);
      expect(r.headers.get('Subject')).toBe('');
      expect(r.headers.get('NewFangledHeader')).toBe('newfangled value continued newfangled value');
      // Unknown header: not split, kept as written.
      expect(r.headers.getAll('UnknownHeaderWithUnusualValue')).toEqual([';;,,;;,;']);
      const c = r.contacts()[0];
      expect(c?.displayName).toBe('Quoted string ""');
      expect(c?.params.get('newparam')).toBe('newvalue');
      expect(c?.params.get('secondparam')).toBeNull();
      expect(c?.q).toBe(0.33);
      const route = r.routes()[0];
      expect(sip(route?.uri).lr).toBe(true);
      expect(sip(route?.uri).params.get('unknown-no-value')).toBeNull();
      expect(r.body.length).toBe(150);
    },
  },
  {
    name: 'intmeth',
    section: '3.1.1.2',
    check: (m) => {
      const r = m as SipRequest;
      expect(r.method).toBe("!interesting-Method0123456789_*+`.%indeed'~");
      const u = sip(r.uri);
      expect(u.user).toBe("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
      expect(u.password).toBe("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
      expect(r.to.displayName).toBe('BEL:\x07 NUL:\x00 DEL:\x7f');
      expect(r.from.displayName).toBe("token1~` token2'+_ token3*%!.-");
      expect(r.from.params.get("fromparam''~+*_!.-%")).toBe('"работающий"');
      expect(r.from.tag).toBe("_token~1'+`*%!-.");
      expect(r.callId).toBe('intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{');
      expect(r.topVia()?.branch).toBe("z9hG4bK-.!%66*_+`'~");
      // The BOM at the start of the value is part of the value.
      expect(r.headers.get("extensionHeader-!.%*+_`'~")).toBe('\ufeff大停電');
    },
  },
  {
    name: 'esc01',
    section: '3.1.1.3',
    check: (m) => {
      const r = m as SipRequest;
      expect(sip(r.uri).user).toBe('sips:user@example.com');
      expect(sip(r.to.uri).user).toBe('user');
      expect(sip(r.from.uri).user).toBe('I have spaces');
      const cu = sip(r.contacts()[0]?.uri);
      expect(cu.user).toBe('caller');
      // "value%41" is NOT "valueA": unescaping is not recursive.
      expect(cu.params.get('n%61me')).toBe('v%61lue%25%34%31');
    },
  },
  {
    name: 'escnull',
    section: '3.1.1.4',
    check: (m) => {
      expect(sip(m.to.uri).user).toBe('null-\u0000-null');
      expect(m.contacts().map((c) => sip(c.uri).user)).toEqual(['\u0000', '\u0000\u0000']);
    },
  },
  {
    name: 'esc02',
    section: '3.1.1.5',
    check: (m) => {
      const r = m as SipRequest;
      expect(r.method).toBe('RE%47IST%45R');
      expect(r.to.displayName).toBe('%Z%45');
      // C%6Fntact is an unknown header, not Contact.
      expect(r.contacts().map((c) => sip(c.uri).user)).toEqual(['alias1', 'alias3']);
      expect(r.headers.get('C%6Fntact')).toBe('<sip:alias2@host2.example.com>');
    },
  },
  {
    name: 'lwsdisp',
    section: '3.1.1.6',
    tolerated: 'RFC 4475 asks elements to accept a display name glued to "<".',
    check: (m) => expect(m.from.displayName).toBe('caller'),
  },
  {
    name: 'longreq',
    section: '3.1.1.7',
    check: (m) => {
      expect(m.to.displayName).toBe(`I have a user name of ${'extreme'.repeat(10)} proportion`);
      expect(sip(m.to.uri).port).toBe(6000);
      expect(m.from.tag).toBe(`12${'982'.repeat(50)}424`);
      expect(m.callId).toBe(`longreq.one${'really'.repeat(20)}longcallid`);
      const vias = m.vias();
      expect(vias.length).toBe(34);
      expect(vias[0]?.host).toBe('sip33.example.com');
      expect(vias[33]?.branch).toBe(`very${'long'.repeat(50)}branchvalue`);
      expect(sip(m.contacts()[0]?.uri).user).toBe('amazinglylongcallername'.repeat(5));
    },
  },
  {
    name: 'dblreq',
    section: '3.1.1.8',
    check: (m) => {
      // Over UDP the octets after Content-Length are noise (RFC 3261 §18.3) and are dropped.
      expect((m as SipRequest).method).toBe('REGISTER');
      expect(m.body.length).toBe(0);
      expect(decoder.decode(m.toBytes())).not.toContain('INVITE');
    },
  },
  {
    name: 'semiuri',
    section: '3.1.1.9',
    check: (m) => {
      expect(sip((m as SipRequest).uri).user).toBe('user;par=u@example.net');
      expect(m.headers.getAll('Accept')).toEqual([
        'application/sdp',
        'application/pkcs7-mime',
        'multipart/mixed',
        'multipart/signed',
        'message/sip',
        'message/sipfrag',
      ]);
    },
  },
  {
    name: 'transports',
    section: '3.1.1.10',
    check: (m) => expect(m.vias().map((v) => v.transport)).toEqual(['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP']),
  },
  {
    name: 'mpart01',
    section: '3.1.1.11',
    check: (m) => {
      expect(m.body.length).toBe(553);
      const parts = parseMultipart(m.body, m.contentType ?? '');
      if (!parts.ok) throw new Error(parts.reason);
      expect(parts.value.map((p) => p.headers.get('Content-Type'))).toEqual([
        'text/plain',
        'application/octet-stream',
      ]);
      expect(decoder.decode(parts.value[0]?.body)).toBe('Hello');
      const der = parts.value[1]?.body ?? new Uint8Array();
      expect(der.length).toBe(342);
      expect(der.includes(0)).toBe(true); // binary, with NUL octets
      expect(m.topVia()?.rport).toBe(true);
    },
  },
  {
    name: 'unreason',
    section: '3.1.1.12',
    check: (m) => {
      expect((m as SipResponse).status).toBe(200);
      expect((m as SipResponse).reason).toBe('= 2**3 * 5**2 но сто девяносто девять - простое');
    },
  },
  {
    name: 'noreason',
    section: '3.1.1.13',
    check: (m) => {
      expect((m as SipResponse).status).toBe(100);
      expect((m as SipResponse).reason).toBe('');
    },
  },
  {
    name: 'baddate',
    section: '3.1.2.11',
    tolerated: 'Date is not used by this stack, so (as the RFC allows) its non-GMT zone is ignored.',
    check: (m) => expect(m.headers.get('Date')).toBe('Fri, 01 Jan 2010 16:00:00 EST'),
  },
  {
    name: 'badvers',
    section: '3.1.2.16',
    tolerated:
      'The message is framed and parsed so the UA can answer 505 Version Not Supported; the version is exposed.',
    check: (m) => {
      expect(m.version).toBe('SIP/7.0');
      expect(m.topVia()?.protocol).toBe('SIP/7.0');
    },
  },
  {
    name: 'badbranch',
    section: '3.2.1',
    tolerated:
      'Syntactically valid; the transaction layer decides between 400 and RFC 2543 matching (the branch is just the magic cookie).',
    check: (m) => expect(m.topVia()?.branch).toBe('z9hG4bK'),
  },
  {
    name: 'unkscm',
    section: '3.3.2',
    check: (m) => {
      const u = (m as SipRequest).uri;
      expect(u).toBeInstanceOf(AbsoluteUri);
      expect((u as AbsoluteUri).scheme).toBe('nobodyknowsthisscheme'); // UA answers 416
    },
  },
  {
    name: 'novelsc',
    section: '3.3.3',
    check: (m) => expect((m as SipRequest).uri.toString()).toBe('soap.beep://192.0.2.103:3002'),
  },
  {
    name: 'unksm2',
    section: '3.3.4',
    check: (m) => {
      expect(m.to.uri.toString()).toBe('isbn:2983792873');
      expect(m.from.uri.toString()).toBe('http://www.example.com');
      expect(m.contacts()[0]?.uri.toString()).toBe('name:John_Smith');
    },
  },
  {
    name: 'bext01',
    section: '3.3.5',
    check: (m) =>
      expect(m.headers.getAll('Proxy-Require')).toEqual([
        'noProxiesSupportThis',
        'norDoAnyProxiesSupportThis',
      ]),
  },
  {
    name: 'invut',
    section: '3.3.6',
    check: (m) => expect(m.contentType?.essence).toBe('application/unknownformat'),
  },
  {
    name: 'regaut01',
    section: '3.3.7',
    check: (m) =>
      expect(m.headers.getAll('Authorization')).toEqual(['NoOneKnowsThisScheme opaque-data=here']),
  },
  {
    name: 'bcast',
    section: '3.3.10',
    check: (m) => expect(m.vias()[1]?.host).toBe('255.255.255.255'),
  },
  { name: 'zeromf', section: '3.3.11', check: (m) => expect(m.maxForwards).toBe(0) },
  {
    name: 'cparam01',
    section: '3.3.12',
    check: (m) => {
      // addr-spec form: ";unknownparam" is a Contact parameter, not a URI parameter.
      const c = m.contacts()[0];
      expect(c?.params.has('unknownparam')).toBe(true);
      expect(sip(c?.uri).params.size).toBe(0);
    },
  },
  {
    name: 'cparam02',
    section: '3.3.13',
    check: (m) => {
      const c = m.contacts()[0];
      expect(c?.params.size).toBe(0);
      expect(sip(c?.uri).params.has('unknownparam')).toBe(true);
    },
  },
  {
    name: 'regescrt',
    section: '3.3.14',
    check: (m) => expect(sip(m.contacts()[0]?.uri).headers).toEqual([['Route', '<sip:sip.example.com>']]),
  },
  {
    name: 'sdp01',
    section: '3.3.15',
    check: (m) => expect(m.headers.get('Accept')).toBe('text/nobodyKnowsThis'),
  },
  {
    name: 'inv2543',
    section: '3.4.1',
    tolerated: 'RFC 2543 syntax kept for backward compatibility: no branch, no From tag, no Max-Forwards.',
    check: (m) => {
      expect(m.topVia()?.branch).toBeUndefined();
      expect(m.from.tag).toBeUndefined();
      expect(m.maxForwards).toBeUndefined();
      // No Content-Length over UDP: the body is the rest of the datagram.
      expect(m.contentLength).toBeUndefined();
      expect(decoder.decode(m.body)).toMatch(/^v=0\r\n[\s\S]*m=audio 49217 RTP\/AVP 0\r\n$/);
    },
  },
];

interface RejectedCase {
  name: string;
  section: string;
  reason: RegExp;
  /** Parsed with `validate: 'all'` (the defect is in a header the core check leaves lazy). */
  all?: boolean;
}

const rejected: RejectedCase[] = [
  { name: 'badinv01', section: '3.1.2.1', reason: /^Via: empty parameter name$/ },
  { name: 'clerr', section: '3.1.2.2', reason: /^Content-Length 9999 exceeds the 154 body bytes received$/ },
  { name: 'ncl', section: '3.1.2.3', reason: /^Content-Length: "-999" is not a non-negative integer$/ },
  {
    name: 'scalar02',
    section: '3.1.2.4',
    reason: /^CSeq: sequence number 36893488147419103232 is not below 2\*\*31/,
  },
  {
    name: 'scalarlg',
    section: '3.1.2.5',
    reason: /^CSeq: sequence number 9292394834772304023312 is not below/,
  },
  { name: 'quotbal', section: '3.1.2.6', reason: /^To: unterminated quoted display name$/ },
  { name: 'ltgtruri', section: '3.1.2.7', reason: /^Request-URI enclosed in "<>"/ },
  { name: 'lwsruri', section: '3.1.2.8', reason: /^whitespace inside the Request-URI/ },
  { name: 'lwsstart', section: '3.1.2.9', reason: /^more than one SP between request line elements/ },
  { name: 'trws', section: '3.1.2.10', reason: /^whitespace after the SIP version in the request line/ },
  { name: 'escruri', section: '3.1.2.11', reason: /^Request-URI contains URI headers/ },
  {
    name: 'regbadct',
    section: '3.1.2.13',
    reason:
      /^Contact: URI "sip:user@example.com\?Route=%3Csip:sip.example.com%3E" contains "\?" or "," and must be enclosed in "<>"$/,
    all: true,
  },
  { name: 'badaspec', section: '3.1.2.14', reason: /^To: whitespace inside "<URI>"$/ },
  { name: 'baddn', section: '3.1.2.15', reason: /^From: invalid display name "Bell, Alexander"$/ },
  {
    name: 'mismatch01',
    section: '3.1.2.17',
    reason: /^CSeq method INVITE does not match request method OPTIONS$/,
  },
  // The RFC prefers 501 here (400 is acceptable); `partial` lets the UA see the unknown method.
  {
    name: 'mismatch02',
    section: '3.1.2.18',
    reason: /^CSeq method INVITE does not match request method NEWMETHOD$/,
  },
  { name: 'bigcode', section: '3.1.2.19', reason: /^invalid status code "4294967301"$/ },
  { name: 'insuf', section: '3.3.1', reason: /^Call-ID: missing$/ },
  { name: 'multi01', section: '3.3.8', reason: /^Call-ID: more than one Call-ID header$/ },
  { name: 'mcl01', section: '3.3.9', reason: /^Content-Length: conflicting Content-Length headers$/ },
];

describe('RFC 4475 §3 torture messages', () => {
  it('covers all 49 messages of §3', () => {
    expect(accepted.length + rejected.length).toBe(49);
  });

  describe.each(accepted)('$section $name', ({ name, check, tolerated }) => {
    it(
      tolerated === undefined ? 'is accepted as well formed' : `is accepted (tolerated: ${tolerated})`,
      () => {
        const m = parse(name);
        check?.(m);
      },
    );

    it('declares exactly the octets that follow it (a check on the fixture itself)', () => {
      const bytes = fixture('rfc4475', name);
      const m = parse(name);
      // dblreq carries trailing noise on purpose (§3.1.1.8).
      if (m.contentLength === undefined || name === 'dblreq') return;
      expect(m.toBytes().length).toBe(bytes.length);
    });

    it('returns the received bytes untouched when forwarded unchanged', () => {
      const bytes = fixture('rfc4475', name);
      const m = parse(name);
      const out = m.toBytes();
      expect(Array.from(out)).toEqual(Array.from(bytes.subarray(0, out.length)));
    });

    it('round-trips: serialize → parse gives the same fields and body', () => {
      expectWireRoundTrip(parse(name));
    });

    it('round-trips structurally: typed headers rewritten by our serializers stay equivalent', () => {
      expectStructuralRoundTrip(parse(name));
    });

    it('frames the same way over a stream, fed in small chunks', () => {
      const bytes = fixture('rfc4475', name);
      const m = parse(name);
      if (m.contentLength === undefined) return; // stream framing needs Content-Length (inv2543)
      const dec = new StreamDecoder();
      const events = [];
      for (let i = 0; i < bytes.length; i += 7) events.push(...dec.push(bytes.subarray(i, i + 7)));
      const first = events[0];
      expect(first?.kind).toBe('message');
      if (first?.kind !== 'message') return;
      expect(first.message.callId).toBe(m.callId);
      expect(Array.from(first.message.body)).toEqual(Array.from(m.body));
    });
  });

  describe.each(rejected)('$section $name', ({ name, reason, all }) => {
    it(`is rejected: ${reason.source}`, () => {
      const r = parseMessage(fixture('rfc4475', name), undefined, all ? { validate: 'all' } : undefined);
      expect(r.kind).toBe('malformed');
      if (r.kind === 'malformed') expect(r.reason).toMatch(reason);
    });
  });

  it('regbadct passes core validation; its Contact fails on access with the precise reason', () => {
    const m = parse('regbadct');
    expect(() => m.contacts()).toThrow(SipHeaderError);
    expect(m.validate('all')).toMatch(/^Contact: URI .* must be enclosed in "<>"$/);
  });

  it('a rejected request with readable headers carries a partial message for a 400', () => {
    const r = parseMessage(fixture('rfc4475', 'mismatch02'));
    expect(r.kind).toBe('malformed');
    if (r.kind !== 'malformed') return;
    expect(r.partial).toBeInstanceOf(SipRequest);
    expect((r.partial as SipRequest).method).toBe('NEWMETHOD');
    expect(r.partial?.callId).toBe('mismatch02.dj0234sxdfl3');
  });

  it('clerr over a stream waits for the missing body instead of failing', () => {
    const r = parseMessage(fixture('rfc4475', 'clerr'), undefined, { mode: 'stream' });
    expect(r.kind).toBe('incomplete');
  });
});
