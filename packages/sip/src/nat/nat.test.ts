import { describe, expect, it } from 'vitest';
import type { MessageSource } from '../core/transport.ts';
import { Via } from '../header/via.ts';
import { parseMessage } from '../message/parse-message.ts';
import { SipRequest } from '../message/sip-request.ts';
import { isPrivateAddress, looksNatted, rewriteContact, rewriteContacts } from './contact-rewrite.ts';
import { stampReceived } from './received.ts';
import { responseDestination } from './response-destination.ts';

const source = (protocol: MessageSource['protocol'] = 'UDP', connectionId?: string): MessageSource => ({
  protocol,
  remote: { host: '203.0.113.7', port: 40123 },
  local: { host: '198.51.100.1', port: 5060 },
  ...(connectionId ? { connectionId } : {}),
});

function request(via: string, contact = '<sip:alice@10.0.0.5:5060>;expires=60'): SipRequest {
  const r = parseMessage(
    `REGISTER sip:example.com SIP/2.0\r\nVia: ${via}\r\nMax-Forwards: 70\r\nTo: <sip:alice@example.com>\r\n` +
      `From: <sip:alice@example.com>;tag=1\r\nCall-ID: c1\r\nCSeq: 1 REGISTER\r\nContact: ${contact}\r\nContent-Length: 0\r\n\r\n`,
  );
  if (r.kind !== 'message' || !(r.message instanceof SipRequest)) throw new Error('fixture');
  return r.message;
}

describe('received / rport (RFC 3261 §18.2.1, RFC 3581 §4)', () => {
  it('adds received when the sent-by differs from the source, and fills an empty rport', () => {
    const r = request('SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKa;rport');
    expect(stampReceived(r, source())).toBe(true);
    expect(r.topVia()!.received).toBe('203.0.113.7');
    expect(r.topVia()!.rport).toBe(40123);
    expect(r.headers.get('Via')).toBe(
      'SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKa;rport=40123;received=203.0.113.7',
    );
  });

  it('adds received for a host name, and leaves a matching address alone', () => {
    const named = request('SIP/2.0/UDP phone.example.com;branch=z9hG4bKb');
    stampReceived(named, source());
    expect(named.topVia()!.received).toBe('203.0.113.7');
    const same = request('SIP/2.0/UDP 203.0.113.7:5060;branch=z9hG4bKc');
    expect(stampReceived(same, source())).toBe(false);
    expect(same.topVia()!.received).toBeUndefined();
  });

  it('writes an IPv6 source without brackets in received (RFC 5118)', () => {
    const r = request('SIP/2.0/UDP [2001:db8::5]:5060;branch=z9hG4bKd;rport');
    stampReceived(r, { ...source(), remote: { host: '2001:db8::9', port: 5070 } });
    expect(r.topVia()!.received).toBe('2001:db8::9');
    expect(r.topVia()!.rport).toBe(5070);
  });
});

describe('response destination (§18.2.2, RFC 3581)', () => {
  const via = (v: string) => {
    const r = request(v);
    stampReceived(r, source());
    return r.topVia()!;
  };

  it('answers to the source by default (symmetric), with or without rport', () => {
    expect(responseDestination(via('SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1'), source())).toEqual({
      protocol: 'UDP',
      host: '203.0.113.7',
      port: 40123,
    });
  });

  it('follows §18.2.2 to the letter when asked: received + sent-by port, or rport', () => {
    const strict = { symmetric: false };
    expect(responseDestination(via('SIP/2.0/UDP 10.0.0.5:5070;branch=z9hG4bK1'), source(), strict)).toEqual({
      protocol: 'UDP',
      host: '203.0.113.7',
      port: 5070,
    });
    expect(
      responseDestination(via('SIP/2.0/UDP 10.0.0.5:5070;branch=z9hG4bK1;rport'), source(), strict),
    ).toEqual({
      protocol: 'UDP',
      host: '203.0.113.7',
      port: 40123,
    });
    expect(responseDestination(new Via({ transport: 'UDP', host: '203.0.113.7' }), source(), strict)).toEqual(
      {
        protocol: 'UDP',
        host: '203.0.113.7',
        port: 5060,
      },
    );
  });

  it('answers over the connection a request came on (reliable transports)', () => {
    const d = responseDestination(via('SIP/2.0/TCP 10.0.0.5:5060;branch=z9hG4bK1'), source('TCP', 'conn-9'));
    expect(d).toEqual({ protocol: 'TCP', host: '203.0.113.7', port: 5060, connectionId: 'conn-9' });
  });
});

describe('Contact rewriting', () => {
  it('knows private, shared, link-local and loopback ranges', () => {
    for (const host of [
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '100.64.0.1',
      '169.254.1.1',
      '127.0.0.1',
      '[fd00::1]',
      'fe80::1',
    ])
      expect(isPrivateAddress(host), host).toBe(true);
    for (const host of ['172.32.0.1', '203.0.113.7', '8.8.8.8', '2001:db8::1', 'example.com'])
      expect(isPrivateAddress(host), host).toBe(false);
  });

  it('rewrites a private Contact to the source address and keeps its parameters', () => {
    const r = request('SIP/2.0/TCP 10.0.0.5:5060;branch=z9hG4bK1');
    expect(looksNatted(r, source('TCP'))).toBe(true);
    const rewritten = rewriteContact(r.contacts()[0]!, source('TCP'));
    expect(rewritten.toString()).toBe('<sip:alice@203.0.113.7:40123;transport=tcp>;expires=60');
    expect(rewriteContacts(r, source('UDP'))).toBe(true);
    expect(r.headers.get('Contact')).toBe('<sip:alice@203.0.113.7:40123>;expires=60');
  });

  it('leaves public Contacts alone unless told otherwise', () => {
    const r = request('SIP/2.0/UDP 203.0.113.7:5060;branch=z9hG4bK1', '<sip:alice@198.51.100.9:5060>');
    expect(looksNatted(r, source())).toBe(false);
    expect(rewriteContacts(r, source())).toBe(false);
    expect(rewriteContacts(r, source(), { onlyPrivate: false })).toBe(true);
    expect(r.contacts()[0]!.uri.toString()).toBe('sip:alice@203.0.113.7:40123');
  });
});
