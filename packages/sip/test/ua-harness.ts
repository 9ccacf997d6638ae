// Two (or more) UserAgents on a FakeNetwork, on fake time: the in-process test bed for calls.
import { type HostPort, type UserAgentOptions, UserAgent, seededRandom } from '@switchboard/sip';
import { FakeClock, FakeNetwork, type FakeNetworkOptions } from '@switchboard/testkit';

export interface Harness {
  readonly clock: FakeClock;
  readonly net: FakeNetwork;
  /** Adds a UA listening at host:port (behind `nat` when given). */
  ua(
    name: string,
    host: string,
    port?: number,
    options?: Partial<UserAgentOptions>,
    nat?: HostPort,
  ): UserAgent;
}

export function harness(network: Omit<FakeNetworkOptions, 'clock'> = {}): Harness {
  const clock = new FakeClock();
  const net = new FakeNetwork({ clock, ...network });
  let seed = 100;
  return {
    clock,
    net,
    ua(name, host, port = 5060, options = {}, nat) {
      const endpoint = net.endpoint(host, port, nat);
      const ua = new UserAgent({
        clock,
        transport: endpoint,
        aor: `sip:${name}@example.com`,
        random: seededRandom(seed++),
        ...options,
      });
      endpoint.onMessage = (message, source) => ua.receive(message, source);
      return ua;
    },
  };
}

export const SDP_A =
  'v=0\r\no=alice 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';
export const SDP_B =
  'v=0\r\no=bob 1 1 IN IP4 192.0.2.20\r\ns=-\r\nc=IN IP4 192.0.2.20\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n';
