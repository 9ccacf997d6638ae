import { describe, expect, it } from 'vitest';
import { createResponse } from '../message/create-response.ts';
import { parseMessage } from '../message/parse-message.ts';
import { SipRequest } from '../message/sip-request.ts';
import { DialogState } from './dialog-state.ts';
import { Dialog } from './dialog.ts';

function invite(extra = ''): SipRequest {
  const r = parseMessage(
    'INVITE sip:bob@b.example SIP/2.0\r\nVia: SIP/2.0/UDP a.example;branch=z9hG4bK1\r\nMax-Forwards: 70\r\n' +
      'To: Bob <sip:bob@b.example>\r\nFrom: Alice <sip:alice@a.example>;tag=ft\r\nCall-ID: call-1\r\n' +
      `CSeq: 7 INVITE\r\nContact: <sip:alice@192.0.2.10>\r\n${extra}Content-Length: 0\r\n\r\n`,
  );
  if (r.kind !== 'message' || !(r.message instanceof SipRequest)) throw new Error('fixture');
  return r.message;
}

describe('Dialog (RFC 3261 §12)', () => {
  it('UAC: route set is the Record-Route of the response reversed; remote target its Contact (§12.1.2)', () => {
    const req = invite();
    const res = createResponse(req, 180, undefined, { toTag: 'tt' });
    res.headers.append('Record-Route', '<sip:p2.example;lr>, <sip:p1.example;lr>');
    res.headers.append('Contact', '<sip:bob@192.0.2.20>');
    const d = Dialog.asUac(req, res);
    expect(d.state).toBe(DialogState.Early);
    expect(d.routeSet.map((r) => r.uri.toString())).toEqual(['sip:p1.example;lr', 'sip:p2.example;lr']);
    expect(d.remoteTarget.toString()).toBe('sip:bob@192.0.2.20');
    expect([d.localSeq, d.remoteSeq]).toEqual([7, undefined]);
    expect([d.localTag, d.remoteTag]).toEqual(['ft', 'tt']);
  });

  it('UAS: route set is the Record-Route of the request in order; remote seq from its CSeq (§12.1.1)', () => {
    const d = Dialog.asUas(
      invite('Record-Route: <sip:p1.example;lr>, <sip:p2.example;lr>\r\n'),
      'ut',
      DialogState.Confirmed,
    );
    expect(d.routeSet.map((r) => r.uri.toString())).toEqual(['sip:p1.example;lr', 'sip:p2.example;lr']);
    expect(d.remoteTarget.toString()).toBe('sip:alice@192.0.2.10');
    expect([d.localSeq, d.remoteSeq]).toEqual([undefined, 7]);
    expect(d.localUri.toString()).toBe('"Bob" <sip:bob@b.example>;tag=ut');
  });

  it('builds in-dialog requests with loose routing: remote target as Request-URI, route set as Route', () => {
    const d = Dialog.asUas(invite('Record-Route: <sip:p1.example;lr>\r\n'), 'ut', DialogState.Confirmed);
    const bye = d.createRequest('BYE');
    expect(bye.uri.toString()).toBe('sip:alice@192.0.2.10');
    expect(bye.routes().map((r) => r.uri.toString())).toEqual(['sip:p1.example;lr']);
    expect(bye.from.tag).toBe('ut');
    expect(bye.to.tag).toBe('ft');
    expect(bye.cseq).toEqual({ seq: 1, method: 'BYE' });
    expect(d.createRequest('INFO').cseq.seq).toBe(2);
  });

  it('builds in-dialog requests with strict routing: first route as Request-URI, remote target last (§12.2.1.1)', () => {
    const d = Dialog.asUas(
      invite('Record-Route: <sip:strict.example>, <sip:p2.example;lr>\r\n'),
      'ut',
      DialogState.Confirmed,
    );
    const bye = d.createRequest('BYE');
    expect(bye.uri.toString()).toBe('sip:strict.example');
    expect(bye.routes().map((r) => r.uri.toString())).toEqual(['sip:p2.example;lr', 'sip:alice@192.0.2.10']);
  });

  it('rejects requests with a lower CSeq than the last one (§12.2.2); ACK is exempt', () => {
    const d = Dialog.asUas(invite(), 'ut', DialogState.Confirmed);
    const req = (seq: number, method = 'INFO') => {
      const r = invite();
      r.method = method;
      r.cseq = { seq, method };
      return r;
    };
    expect(d.acceptRemoteSeq(req(8))).toBe(true);
    expect(d.acceptRemoteSeq(req(6))).toBe(false);
    expect(d.acceptRemoteSeq(req(7, 'ACK'))).toBe(true);
    expect(d.remoteSeq).toBe(8);
  });

  it('forbids going back from Confirmed to Early', () => {
    const d = Dialog.asUas(invite(), 'ut', DialogState.Confirmed);
    d.terminate();
    expect(() => d.confirm()).toThrow(/illegal transition/);
  });
});
