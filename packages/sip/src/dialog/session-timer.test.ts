import { FakeClock } from '@switchboard/testkit';
import { describe, expect, it } from 'vitest';
import { createResponse } from '../message/create-response.ts';
import { parseMessage } from '../message/parse-message.ts';
import { SipRequest } from '../message/sip-request.ts';
import {
  SessionTimer,
  applySessionIntervalTooSmall,
  expiryDelaySeconds,
  negotiateAsUas,
  parseSessionExpires,
  uacParamsFromResponse,
} from './session-timer.ts';

const options = { enabled: true, interval: 1800, minSE: 90 };

function invite(headers: string): SipRequest {
  const r = parseMessage(
    'INVITE sip:bob@b.example SIP/2.0\r\nVia: SIP/2.0/UDP a.example;branch=z9hG4bK1\r\nMax-Forwards: 70\r\n' +
      'To: <sip:bob@b.example>\r\nFrom: <sip:alice@a.example>;tag=f\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n' +
      `${headers}Content-Length: 0\r\n\r\n`,
  );
  if (r.kind !== 'message' || !(r.message instanceof SipRequest)) throw new Error('fixture');
  return r.message;
}

describe('RFC 4028 negotiation', () => {
  it('parses Session-Expires in full and compact form', () => {
    expect(parseSessionExpires(invite('Session-Expires: 1800;refresher=uas\r\n'))).toEqual({
      interval: 1800,
      refresher: 'uas',
    });
    expect(parseSessionExpires(invite('x: 600\r\n'))).toEqual({ interval: 600, refresher: undefined });
  });

  it('UAS: 422 below its Min-SE; refresher=uac and Require: timer when the UAC supports timers', () => {
    expect(negotiateAsUas(invite('Session-Expires: 60\r\n'), options)).toEqual({ kind: 'reject', minSE: 90 });
    const ok = negotiateAsUas(invite('Supported: timer\r\nSession-Expires: 900\r\n'), options);
    expect(ok).toEqual({
      kind: 'accept',
      params: { interval: 900, refresher: 'uac' },
      headers: [
        ['Session-Expires', '900;refresher=uac'],
        ['Require', 'timer'],
      ],
    });
  });

  it('UAS: refreshes itself (refresher=uas) for a UAC without timer support', () => {
    const ok = negotiateAsUas(invite(''), options);
    expect(ok).toEqual({
      kind: 'accept',
      params: { interval: 1800, refresher: 'uas' },
      headers: [['Session-Expires', '1800;refresher=uas']],
    });
  });

  it('UAC: retries a 422 with the Min-SE it asked for, once', () => {
    const req = invite('Session-Expires: 60\r\nMin-SE: 60\r\n');
    const tooSmall = createResponse(req, 422);
    tooSmall.headers.append('Min-SE', '120');
    const next = req.clone();
    expect(applySessionIntervalTooSmall(tooSmall, next)).toBe(true);
    expect(next.headers.get('Session-Expires')).toBe('120');
    expect(next.headers.get('Min-SE')).toBe('120');
    expect(applySessionIntervalTooSmall(tooSmall, next)).toBe(false);
  });

  it('UAC: no Session-Expires in the 2xx means no session timer (§7.2)', () => {
    const req = invite('Session-Expires: 1800\r\n');
    expect(uacParamsFromResponse(createResponse(req, 200))).toBeUndefined();
    const ok = createResponse(req, 200);
    ok.headers.append('Session-Expires', '1800;refresher=uas');
    expect(uacParamsFromResponse(ok)).toEqual({ interval: 1800, refresher: 'uas' });
  });
});

describe('SessionTimer', () => {
  it('refreshes at half the interval when refresher, expires at interval - min(32, interval/3)', () => {
    const clock = new FakeClock();
    const events: string[] = [];
    const timer = new SessionTimer(
      clock,
      () => events.push(`refresh@${clock.now()}`),
      () => events.push(`expire@${clock.now()}`),
    );
    timer.start({ interval: 90, refresher: 'uac' }, 'uac');
    clock.advance(100_000);
    expect(events).toEqual(['refresh@45000', 'expire@60000']);
    expect(expiryDelaySeconds(1800)).toBe(1768);

    events.length = 0;
    timer.start({ interval: 90, refresher: 'uac' }, 'uas');
    clock.advance(100_000);
    expect(events).toEqual([`expire@${100_000 + 60_000}`]);
  });
});
