import { describe, expect, it } from 'vitest';
import { createResponse } from './create-response.ts';
import { parseMessage } from './parse-message.ts';
import type { SipRequest } from './sip-request.ts';

const INVITE = [
  'INVITE sip:bob@biloxi.example.com SIP/2.0',
  'v: SIP/2.0/UDP proxy.example.com;branch=z9hG4bK1, SIP/2.0/UDP pc33.example.com;branch=z9hG4bK2',
  'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK3;received=198.51.100.1',
  'Record-Route: <sip:proxy.example.com;lr>',
  'Max-Forwards: 69',
  'To: Bob <sip:bob@biloxi.example.com>',
  'f: Alice <sip:alice@atlanta.example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710',
  'CSeq: 314159 INVITE',
  'Contact: <sip:alice@pc33.example.com>',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

function request(): SipRequest {
  const r = parseMessage(INVITE);
  if (r.kind !== 'message') throw new Error('parse');
  return r.message as SipRequest;
}

describe('createResponse (RFC 3261 §8.2.6.2)', () => {
  it('copies Via (in order), From, To, Call-ID and CSeq as received and adds a To tag', () => {
    const resp = createResponse(request(), 180, undefined, { toTag: 'a6c85cf' });
    expect(resp.status).toBe(180);
    expect(resp.reason).toBe('Ringing');
    expect(resp.headers.fields().map((f) => f.name)).toEqual(['v', 'Via', 'To', 'f', 'Call-ID', 'CSeq']);
    expect(resp.vias().map((v) => v.branch)).toEqual(['z9hG4bK1', 'z9hG4bK2', 'z9hG4bK3']);
    expect(resp.to.tag).toBe('a6c85cf');
    expect(resp.from.tag).toBe('1928301774');
    expect(resp.cseq).toEqual({ seq: 314159, method: 'INVITE' });
    expect(resp.headers.has('Record-Route')).toBe(false);
    expect(resp.headers.has('Contact')).toBe(false);
  });

  it('keeps an existing To tag, copies Record-Route on request, adds headers and body', () => {
    const req = request();
    const to = req.to.clone();
    to.tag = 'existing';
    req.to = to;
    const resp = createResponse(req, 200, 'Fine', {
      toTag: 'ignored',
      copyRecordRoute: true,
      headers: { Contact: '<sip:bob@192.0.2.4>', 'Content-Type': 'application/sdp' },
      body: 'v=0\r\n',
    });
    expect(resp.reason).toBe('Fine');
    expect(resp.to.tag).toBe('existing');
    expect(resp.recordRoutes().map((r) => r.uriText)).toEqual(['sip:proxy.example.com;lr']);
    expect(resp.contacts()[0]?.uriText).toBe('sip:bob@192.0.2.4');
    const wire = resp.toString();
    expect(wire).toMatch(/^SIP\/2\.0 200 Fine\r\n/);
    expect(wire).toContain('Content-Length: 5\r\n\r\nv=0\r\n');
    const again = parseMessage(wire);
    expect(again.kind).toBe('message');
  });
});
