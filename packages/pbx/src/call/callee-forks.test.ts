import { UserAgent, seededRandom, type SessionDescription } from '@switchboard/sip';
import { FakeClock, FakeNetwork } from '@switchboard/testkit';
import { describe, expect, it } from 'vitest';
import type { Binding } from '../registrar/binding.ts';
import type { AdmittedCall } from './call-admission.ts';
import { CalleeForks } from './callee-forks.ts';
import { parseBody } from './sdp-bridge.ts';

const OFFER =
  'v=0\r\no=pbx 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';

function device(contact: string, host: string): Binding {
  return {
    tenantId: 't',
    username: '1002',
    contact,
    source: { transport: 'udp', host, port: 5060 },
    connectionId: undefined,
    callId: `reg-${host}`,
    cseq: 1,
    expiresAt: Date.now() + 60_000,
    q: undefined,
    userAgent: undefined,
    instanceId: undefined,
  };
}

function offer(): SessionDescription {
  const parsed = parseBody(OFFER);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
}

const CALL: AdmittedCall = {
  tenant: { id: 't', name: 'T', domain: 'acme.test', isDefault: true },
  caller: { tenantId: 't', username: '1001', displayName: undefined, enabled: true },
  callee: { tenantId: 't', username: '1002', displayName: undefined, enabled: true },
  maxForwards: 69,
};

/** The PBX's UA on a fake network, and forks that record each "all failed" report. */
function setup() {
  const clock = new FakeClock();
  const net = new FakeNetwork({ clock, latencyMs: 1 });
  const ua = new UserAgent({ clock, transport: net.endpoint('192.0.2.1', 5060), random: seededRandom(1) });
  const allFailed: number[] = [];
  const forks = new CalleeForks({ ua, log: () => {} }, CALL, 'call-1', {
    onProgress: () => {},
    onAccept: () => {},
    onAllFailed: (status) => allFailed.push(status),
  });
  return { clock, net, forks, allFailed };
}

describe('CalleeForks', () => {
  it('a device that cannot be rung at all does not end the call while others are still to be rung', () => {
    const { clock, net, forks, allFailed } = setup();
    const phone = net.endpoint('192.0.2.31', 5060);
    const reached: string[] = [];
    phone.onMessage = (message) =>
      reached.push('method' in message ? message.method : String(message.status));
    forks.fanOut(() => {
      // The first device's stored contact is not a URI: its INVITE cannot even be built.
      expect(forks.ring(device('not a uri', '192.0.2.30'), offer())).toBeUndefined();
      expect(forks.ring(device('sip:1002@192.0.2.31', '192.0.2.31'), offer())).toBeDefined();
    });
    clock.advance(10);
    expect(allFailed).toEqual([]);
    expect(reached).toEqual(['INVITE']);
  });

  it('reports once, after the fan-out, when every device failed: the lowest class wins (488 over 503)', () => {
    const { forks, allFailed } = setup();
    forks.fanOut(() => {
      forks.ring(device('not a uri', '192.0.2.30'), offer()); // 503: could not be sent
      forks.refuse(device('sip:1002@192.0.2.32', '192.0.2.32'), offer(), 488);
    });
    expect(allFailed).toEqual([488]);
  });
});
