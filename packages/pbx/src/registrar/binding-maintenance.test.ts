// Keep-alive OPTIONS spread over the interval (each binding on its own phase), on fake time: a
// real PBX UserAgent and a phone UserAgent (which answers OPTIONS by itself) on the fake network.
import { UserAgent, seededRandom } from '@switchboard/sip';
import { FakeClock, FakeNetwork } from '@switchboard/testkit';
import { describe, expect, it } from 'vitest';
import { PbxEventBus } from '../events/pbx-events.ts';
import type { Binding } from './binding.ts';
import { BindingMaintenance } from './binding-maintenance.ts';
import { MemoryLocationStore } from './location-store.ts';

const BINDINGS = 300;

async function setup() {
  const clock = new FakeClock();
  const net = new FakeNetwork({ clock, latencyMs: 1 });
  const pbxEndpoint = net.endpoint('192.0.2.1', 5060);
  const ua = new UserAgent({ clock, transport: pbxEndpoint, random: seededRandom(1) });
  pbxEndpoint.onMessage = (m, s) => ua.receive(m, s);
  const phoneEndpoint = net.endpoint('192.0.2.50', 5060);
  const phone = new UserAgent({ clock, transport: phoneEndpoint, random: seededRandom(2) });
  phoneEndpoint.onMessage = (m, s) => phone.receive(m, s);
  const locations = new MemoryLocationStore();
  const now = () => 1_700_000_000_000 + clock.now();
  for (let i = 0; i < BINDINGS; i++) {
    const binding: Binding = {
      tenantId: 't1',
      username: String(1000 + i),
      contact: `sip:${1000 + i}@192.0.2.50:5060`,
      source: { transport: 'udp', host: '192.0.2.50', port: 5060 },
      connectionId: undefined,
      callId: `reg-${i}`,
      cseq: 1,
      expiresAt: now() + 3_600_000,
      q: undefined,
      userAgent: undefined,
      instanceId: undefined,
    };
    await locations.replace('t1', binding.username, [binding]);
  }
  const maintenance = new BindingMaintenance({ ua, locations, events: new PbxEventBus(), now });
  return { clock, net, maintenance };
}

/** OPTIONS requests per second of fake time, by the Request-URI user. */
function optionsSent(net: FakeNetwork): { at: number; user: string }[] {
  return net
    .packets({ label: 'OPTIONS' })
    .map((p) => ({ at: p.at, user: /^OPTIONS sip:(\d+)@/.exec(p.text)![1]! }));
}

describe('BindingMaintenance keep-alive schedule', () => {
  it('pings every UDP binding once per interval, spread evenly instead of in one burst', async () => {
    const { clock, net, maintenance } = await setup();
    maintenance.startKeepAlive(clock, { intervalMs: 30_000, tickMs: 100 });
    for (let t = 0; t < 30_000; t += 100) await clock.advanceAsync(100);
    const first = optionsSent(net);
    // Once each in the first interval.
    expect(first).toHaveLength(BINDINGS);
    expect(new Set(first.map((o) => o.user)).size).toBe(BINDINGS);
    // Spread: every 3-second window of the interval sees some, none sees a burst. An even
    // spread puts 30 in each (300 over 30 s); the hash of 300 bindings stays within 2x of it.
    const perWindow = Array.from({ length: 10 }, (_, w) =>
      first.filter((o) => o.at >= w * 3000 + 100 && o.at < (w + 1) * 3000 + 100),
    ).map((list) => list.length);
    expect(Math.max(...perWindow)).toBeLessThanOrEqual(60);
    expect(Math.min(...perWindow)).toBeGreaterThan(0);
    // Each binding keeps its phase: one interval later it is pinged ~30 s after its first ping.
    for (let t = 0; t < 30_000; t += 100) await clock.advanceAsync(100);
    const both = optionsSent(net);
    expect(both).toHaveLength(2 * BINDINGS);
    const firstAt = new Map(first.map((o) => [o.user, o.at]));
    for (const o of both.slice(BINDINGS)) {
      const gap = o.at - firstAt.get(o.user)!;
      expect(gap).toBeGreaterThanOrEqual(29_900);
      expect(gap).toBeLessThanOrEqual(30_200);
    }
    maintenance.stopKeepAlive();
    await clock.advanceAsync(60_000);
    expect(optionsSent(net)).toHaveLength(2 * BINDINGS);
  });
});
