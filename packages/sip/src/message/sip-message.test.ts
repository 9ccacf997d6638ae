import { describe, expect, it } from 'vitest';
import { Contact } from '../header/contact.ts';
import { NameAddr } from '../header/name-addr.ts';
import { SipHeaderError } from '../header/parsed.ts';
import { Via } from '../header/via.ts';
import { SipUri } from '../uri/sip-uri.ts';
import { parseMessage } from './parse-message.ts';
import { SipRequest } from './sip-request.ts';
import type { SipResponse } from './sip-response.ts';

const decoder = new TextDecoder();

function build(): SipRequest {
  const req = new SipRequest({ method: 'REGISTER', uri: 'sip:registrar.biloxi.example.com' });
  req.pushVia(
    new Via({
      transport: 'UDP',
      host: 'bobspc.biloxi.example.com',
      port: 5060,
      params: { branch: 'z9hG4bKnashds7' },
    }),
  );
  req.maxForwards = 70;
  req.to = new NameAddr({ displayName: 'Bob', uri: new SipUri({ user: 'bob', host: 'biloxi.example.com' }) });
  req.from = new NameAddr({
    displayName: 'Bob',
    uri: 'sip:bob@biloxi.example.com',
    params: { tag: '456248' },
  });
  req.callId = '843817637684230@998sdasdh09';
  req.cseq = { seq: 1826, method: 'REGISTER' };
  req.setContacts([new Contact({ uri: 'sip:bob@192.0.2.4' }, false)]);
  req.expires = 7200;
  return req;
}

describe('SipMessage built in code', () => {
  it('serializes with a Content-Length and parses back to the same values', () => {
    const wire = build().toString();
    expect(wire).toBe(
      [
        'REGISTER sip:registrar.biloxi.example.com SIP/2.0',
        'Via: SIP/2.0/UDP bobspc.biloxi.example.com:5060;branch=z9hG4bKnashds7',
        'Max-Forwards: 70',
        'To: "Bob" <sip:bob@biloxi.example.com>',
        'From: "Bob" <sip:bob@biloxi.example.com>;tag=456248',
        'Call-ID: 843817637684230@998sdasdh09',
        'CSeq: 1826 REGISTER',
        'Contact: <sip:bob@192.0.2.4>',
        'Expires: 7200',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    const r = parseMessage(wire);
    expect(r.kind).toBe('message');
    if (r.kind !== 'message') return;
    expect(r.message.validate('all')).toBeUndefined();
    expect(r.message.expires).toBe(7200);
  });

  it('updates Content-Length from the body and refuses missing essentials loudly', () => {
    const req = build();
    req.body = 'hello';
    req.contentType = 'text/plain';
    expect(req.toString()).toContain('Content-Length: 5\r\n\r\nhello');
    const empty = new SipRequest({ method: 'OPTIONS', uri: 'sip:x@y' });
    expect(() => empty.callId).toThrow(SipHeaderError);
    expect(empty.validate()).toBe('Call-ID: missing');
    expect(() => new SipRequest({ method: 'OPTIONS', uri: 'not a uri' })).toThrow(SipHeaderError);
  });
});

describe('SipMessage parsed from the network', () => {
  const wire = [
    'INVITE sip:bob@biloxi.example.com SIP/2.0',
    'Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bK1, SIP/2.0/UDP p2.example.com;branch=z9hG4bK2',
    'Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK3;rport',
    'Max-Forwards: 70',
    'To: <sip:bob@biloxi.example.com>',
    'From: <sip:alice@atlanta.example.com>;tag=1',
    'Call-ID: c1',
    'CSeq: 1 INVITE',
    'X-Odd:   kept  as   is',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

  function parsed(): SipRequest {
    const r = parseMessage(wire);
    if (r.kind !== 'message') throw new Error('parse');
    return r.message as SipRequest;
  }

  it('returns the received bytes while unchanged, rebuilds after a change', () => {
    const m = parsed();
    const raw = m.toBytes();
    expect(decoder.decode(raw)).toBe(wire);
    expect(m.toBytes()).toBe(raw);
    m.maxForwards = 69;
    const out = decoder.decode(m.toBytes());
    expect(out).toContain('Max-Forwards: 69\r\n');
    expect(out).toContain('X-Odd: kept  as   is\r\n');
    expect(out.split('\r\n')[0]).toBe('INVITE sip:bob@biloxi.example.com SIP/2.0');
  });

  it('rewrites the start line only when method, URI or version change', () => {
    const m = parsed();
    m.uri = new SipUri({ user: 'bob', host: '192.0.2.4', port: 5060 });
    expect(m.toString().split('\r\n')[0]).toBe('INVITE sip:bob@192.0.2.4:5060 SIP/2.0');
    const resp = parseMessage(
      'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nTo: <sip:a@b>\r\nFrom: <sip:a@b>;tag=1\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n\r\n',
    );
    expect(resp.kind).toBe('message');
    if (resp.kind !== 'message') return;
    (resp.message as SipResponse).reason = 'Okay';
    expect(resp.message.toString().split('\r\n')[0]).toBe('SIP/2.0 200 Okay');
  });

  it('pops, pushes and replaces Vias like a proxy (RFC 3261 §16.6, §16.7; RFC 3581)', () => {
    const m = parsed();
    expect(m.topVia()?.branch).toBe('z9hG4bK1');
    const top = m.topVia() as Via;
    const updated = top.clone();
    updated.received = '198.51.100.1';
    updated.rport = 5070;
    m.setTopVia(updated);
    expect(m.vias().map((v) => [v.branch, v.received])).toEqual([
      ['z9hG4bK1', '198.51.100.1'],
      ['z9hG4bK2', undefined],
      ['z9hG4bK3', undefined],
    ]);
    expect(m.popVia()?.branch).toBe('z9hG4bK1');
    expect(m.topVia()?.branch).toBe('z9hG4bK2');
    expect(m.popVia()?.branch).toBe('z9hG4bK2');
    expect(m.headers.getFieldValues('Via')).toEqual(['SIP/2.0/UDP pc33.example.com;branch=z9hG4bK3;rport']);
    m.pushVia(new Via({ transport: 'TCP', host: 'proxy', params: { branch: 'z9hG4bKnew' } }));
    expect(m.vias().map((v) => v.branch)).toEqual(['z9hG4bKnew', 'z9hG4bK3']);
    expect(m.popVia()?.branch).toBe('z9hG4bKnew');
    expect(m.popVia()?.branch).toBe('z9hG4bK3');
    expect(m.popVia()).toBeUndefined();
    expect(m.headers.has('Via')).toBe(false);
  });

  it('clones deeply enough to change the copy alone', () => {
    const m = parsed();
    const c = m.clone();
    c.maxForwards = 1;
    c.headers.append('X-New', '1');
    expect(m.maxForwards).toBe(70);
    expect(m.headers.has('X-New')).toBe(false);
    expect(c.callId).toBe('c1');
    expect(decoder.decode(m.toBytes())).toBe(wire);
  });
});
