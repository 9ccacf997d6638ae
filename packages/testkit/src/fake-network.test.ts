import { type SipRequest, parseMessage } from '@switchboard/sip';
import { describe, expect, it } from 'vitest';
import { FakeClock } from './fake-clock.ts';
import { FakeNetwork } from './fake-network.ts';
import { optionsText } from './fixtures.ts';

function options(): SipRequest {
  const r = parseMessage(optionsText());
  if (r.kind !== 'message') throw new Error('fixture');
  return r.message as SipRequest;
}

const TO_B = { protocol: 'UDP', host: '192.0.2.20', port: 5060 } as const;

describe('FakeClock', () => {
  it('fires timers in due order, ties in scheduling order, including timers set while firing', () => {
    const clock = new FakeClock();
    const order: string[] = [];
    clock.setTimer(20, () => order.push('b'));
    clock.setTimer(10, () => {
      order.push('a');
      clock.setTimer(5, () => order.push('a+5'));
    });
    clock.setTimer(20, () => order.push('c'));
    const cancelled = clock.setTimer(1, () => order.push('never'));
    cancelled.cancel();
    clock.advance(19);
    expect(order).toEqual(['a', 'a+5']);
    clock.advance(1);
    expect(order).toEqual(['a', 'a+5', 'b', 'c']);
    expect(clock.now()).toBe(20);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe('FakeNetwork', () => {
  function pair(opts: Partial<ConstructorParameters<typeof FakeNetwork>[0]> = {}) {
    const clock = new FakeClock();
    const net = new FakeNetwork({ clock, ...opts });
    const a = net.endpoint('192.0.2.10', 5060);
    const b = net.endpoint('192.0.2.20', 5060);
    const got: string[] = [];
    b.onMessage = (m, source) =>
      got.push(`${(m as SipRequest).method} from ${source.remote.host}:${source.remote.port}`);
    return { clock, net, a, b, got };
  }

  it('delivers parsed messages after the latency, with the sender as source', () => {
    const p = pair({ latencyMs: 7 });
    p.a.send(options(), TO_B);
    p.clock.advance(6);
    expect(p.got).toEqual([]);
    p.clock.advance(1);
    expect(p.got).toEqual(['OPTIONS from 192.0.2.10:5060']);
  });

  it('drops and duplicates by rule, only as many times as asked', () => {
    const p = pair();
    p.net.addRule({ match: (x) => x.label === 'OPTIONS', action: 'drop', times: 1 });
    p.net.addRule({ match: (x) => x.label === 'OPTIONS', action: 'duplicate', times: 1 });
    for (let i = 0; i < 3; i++) p.a.send(options(), TO_B);
    p.clock.advance(100);
    expect(p.got).toHaveLength(3);
    expect(p.net.log.map((x) => x.fate)).toEqual(['dropped', 'duplicated', 'delivered']);
  });

  it('reorders packets with jitter and keeps the same seed reproducible', () => {
    const run = () => {
      const p = pair({ reorderJitterMs: 50, seed: 42 });
      const seen: number[] = [];
      p.b.onMessage = (m) => seen.push((m as SipRequest).cseq.seq);
      for (let i = 1; i <= 10; i++) {
        const m = options();
        m.cseq = { seq: i, method: 'OPTIONS' };
        p.a.send(m, TO_B);
      }
      p.clock.advance(200);
      return seen;
    };
    const first = run();
    expect(first).toHaveLength(10);
    expect(first).not.toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(run()).toEqual(first);
  });

  it('refuses TCP to an address nobody listens on, and loses UDP silently', () => {
    const p = pair();
    expect(() => p.a.send(options(), { protocol: 'TCP', host: '192.0.2.99', port: 5060 })).toThrow(/refused/);
    p.a.send(options(), { ...TO_B, host: '192.0.2.99' });
    expect(p.net.log.map((x) => x.fate)).toEqual(['unreachable', 'unreachable']);
  });

  it('hides an endpoint behind a NAT: it is seen from, and reachable at, its public address only', () => {
    const clock = new FakeClock();
    const net = new FakeNetwork({ clock });
    const phone = net.endpoint('10.0.0.5', 5060, { host: '203.0.113.5', port: 40000 });
    const server = net.endpoint('198.51.100.1', 5060);
    const seen: string[] = [];
    server.onMessage = (_m, s) => seen.push(`${s.remote.host}:${s.remote.port}`);
    phone.onMessage = () => seen.push('phone got it');
    phone.send(options(), { protocol: 'UDP', host: '198.51.100.1', port: 5060 });
    server.send(options(), { protocol: 'UDP', host: '10.0.0.5', port: 5060 });
    server.send(options(), { protocol: 'UDP', host: '203.0.113.5', port: 40000 });
    clock.advance(100);
    expect(seen).toEqual(['203.0.113.5:40000', 'phone got it']);
  });
});
