// Counters of what the transports saw, kept per transport protocol so the server can export
// them to Prometheus (e.g. `sip_transport_events_total{event="parse_error",transport="udp"}`).
import type { TransportProtocol } from '@switchboard/sip';

export type TransportCounterName =
  | 'messages_received'
  | 'messages_sent'
  | 'parse_errors'
  | 'bad_requests_answered'
  | 'framing_errors'
  | 'oversized'
  | 'keepalive_pings_answered'
  | 'keepalive_pongs_received'
  | 'keepalive_datagrams'
  | 'connections_opened'
  | 'connections_closed'
  | 'connections_rejected'
  | 'connections_evicted'
  | 'header_timeouts'
  | 'idle_timeouts'
  | 'keepalive_timeouts'
  | 'send_errors'
  | 'receiver_errors';

/** `counts[name][protocol]`, only for counters that moved. */
export type TransportCounterSnapshot = Partial<
  Record<TransportCounterName, Partial<Record<TransportProtocol, number>>>
>;

export class TransportCounters {
  private readonly counts = new Map<TransportCounterName, Map<TransportProtocol, number>>();

  increment(name: TransportCounterName, protocol: TransportProtocol, by = 1): void {
    let perProtocol = this.counts.get(name);
    if (perProtocol === undefined) {
      perProtocol = new Map();
      this.counts.set(name, perProtocol);
    }
    perProtocol.set(protocol, (perProtocol.get(protocol) ?? 0) + by);
  }

  get(name: TransportCounterName, protocol?: TransportProtocol): number {
    const perProtocol = this.counts.get(name);
    if (perProtocol === undefined) return 0;
    if (protocol !== undefined) return perProtocol.get(protocol) ?? 0;
    let total = 0;
    for (const n of perProtocol.values()) total += n;
    return total;
  }

  snapshot(): TransportCounterSnapshot {
    const out: TransportCounterSnapshot = {};
    for (const [name, perProtocol] of this.counts) out[name] = Object.fromEntries(perProtocol);
    return out;
  }
}
