// Interop on real loopback sockets: SIPp (Debian sip-tester) sends OPTIONS, REGISTER and a
// full INVITE/ACK/BYE dialog over UDP and over TCP to the test UAS, which is this stack —
// NodeTransport under the sip TransactionLayer. Each run is bounded in calls and time.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestUas, runSipp, type SippResult } from '@switchboard/testkit';

const scenario = (name: string): string => fileURLToPath(new URL(`./scenarios/${name}.xml`, import.meta.url));

let uas: TestUas;
beforeAll(async () => {
  uas = await TestUas.start({ protocols: ['UDP', 'TCP'] });
});
afterAll(async () => {
  await uas?.close();
});

function explain(result: SippResult): string {
  return `${result.command}\nexit ${result.exitCode}\n${result.errors}\n${result.output.slice(-3000)}`;
}

describe.each(['UDP', 'TCP'] as const)('SIPp over %s against the test UAS', (transport) => {
  const calls = 5;

  it('OPTIONS: every ping gets 200 with Allow', async () => {
    const before = uas.count('OPTIONS');
    const result = await runSipp({
      scenario: scenario('options'),
      target: { host: '127.0.0.1', port: uas.port },
      transport,
      calls,
    });
    expect(result.exitCode, explain(result)).toBe(0);
    expect(result).toMatchObject({ created: calls, successful: calls, failed: 0 });
    expect(uas.count('OPTIONS') - before).toBe(calls);
  });

  it('REGISTER: a binding is added with its expiry, echoed, then removed', async () => {
    const before = uas.count('REGISTER');
    const result = await runSipp({
      scenario: scenario('register'),
      target: { host: '127.0.0.1', port: uas.port },
      transport,
      calls,
      service: `alice-${transport.toLowerCase()}`,
    });
    expect(result.exitCode, explain(result)).toBe(0);
    expect(result).toMatchObject({ created: calls, successful: calls, failed: 0 });
    expect(uas.count('REGISTER') - before).toBe(2 * calls);
    expect(uas.bindings.has(`sip:alice-${transport.toLowerCase()}@127.0.0.1`)).toBe(false);
  });

  it('INVITE/ACK/BYE: every call is set up, acknowledged and torn down', async () => {
    const before = { invite: uas.count('INVITE'), ack: uas.count('ACK'), bye: uas.count('BYE') };
    const result = await runSipp({
      scenario: scenario('invite'),
      target: { host: '127.0.0.1', port: uas.port },
      transport,
      calls,
      limit: calls,
    });
    expect(result.exitCode, explain(result)).toBe(0);
    expect(result).toMatchObject({ created: calls, successful: calls, failed: 0 });
    expect(uas.count('INVITE') - before.invite).toBe(calls);
    expect(uas.count('ACK') - before.ack).toBe(calls);
    expect(uas.count('BYE') - before.bye).toBe(calls);
    const states = [...uas.calls.values()].slice(-calls);
    expect(states).toEqual(Array(calls).fill('ended'));
  });
});
