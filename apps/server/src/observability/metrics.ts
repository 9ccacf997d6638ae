// Prometheus metrics (GET /metrics). Gauges that mirror live state are read at scrape time from
// the components that own the state; counters are incremented by event listeners.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { PbxEvent } from '@switchboard/pbx';
import type { TransportCounters } from '@switchboard/sip-node';
import type { LookupCacheStats } from '../pbx/lookup-cache.ts';

export interface MetricSources {
  /** Extensions with at least one live registration. */
  registrations(): Promise<number>;
  /** Calls in progress (ringing or answered). */
  activeCalls(): number;
  /** RTP packet counters of the media engine. */
  rtp(): { readonly packetsIn: number; readonly packetsOut: number; readonly packetsLost: number };
  transportCounters(): TransportCounters;
  /** New SIP requests refused with 503 by overload protection so far. */
  overloadRefusals?(): number;
  /** The PBX lookup cache, per kind of lookup (pbx/pbx-lookups.ts); undefined when it is off. */
  lookupCache?(): Readonly<Record<string, LookupCacheStats>> | undefined;
  /** Browser (WebRTC) legs terminated on the PBX. */
  webrtc?(): {
    readonly activeEndpoints: number;
    readonly packetsIn: number;
    readonly packetsOut: number;
    readonly srtpErrors: number;
  };
}

export class Metrics {
  readonly registry = new Registry();
  private readonly calls = new Counter({
    name: 'switchboard_calls_total',
    help: 'Call attempts (rate() gives calls per second)',
    registers: [this.registry],
  });
  private readonly answered = new Counter({
    name: 'switchboard_calls_answered_total',
    help: 'Answered calls',
    registers: [this.registry],
  });
  private readonly authFailures = new Counter({
    name: 'switchboard_sip_auth_failures_total',
    help: 'Digest authentication failures (wrong password, unknown user)',
    registers: [this.registry],
  });
  private readonly registrationChanges = new Counter({
    name: 'switchboard_registration_changes_total',
    help: 'Registration bindings added, refreshed or removed',
    labelNames: ['kind'],
    registers: [this.registry],
  });

  private readonly trunkRegistrationChanges = new Counter({
    name: 'switchboard_trunk_registration_changes_total',
    help: 'SIP trunk registrations at providers entering a state (registered, failed, …)',
    labelNames: ['state'],
    registers: [this.registry],
  });
  /** Each registering trunk's current state (trunks/trunk-registration.ts events). */
  private readonly trunkStates = new Map<string, string>();

  constructor(sources: MetricSources) {
    collectDefaultMetrics({ register: this.registry, prefix: 'switchboard_process_' });
    const registry = this.registry;
    const trunkStates = this.trunkStates;
    new Gauge({
      name: 'switchboard_trunk_registrations',
      help: 'SIP trunks that register at their provider, by state',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        this.reset();
        for (const state of ['registering', 'registered', 'failed']) this.set({ state }, 0);
        for (const state of trunkStates.values()) this.inc({ state });
      },
    });
    new Gauge({
      name: 'switchboard_registrations',
      help: 'Extensions with at least one live registration',
      registers: [registry],
      async collect() {
        this.set(await sources.registrations());
      },
    });
    new Gauge({
      name: 'switchboard_active_calls',
      help: 'Calls ringing or in progress',
      registers: [registry],
      collect() {
        this.set(sources.activeCalls());
      },
    });
    const rtp = (key: 'packetsIn' | 'packetsOut' | 'packetsLost', name: string, help: string): void => {
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(sources.rtp()[key]);
        },
      });
    };
    rtp('packetsIn', 'switchboard_rtp_packets_in_total', 'RTP packets received');
    rtp('packetsOut', 'switchboard_rtp_packets_out_total', 'RTP packets sent');
    rtp('packetsLost', 'switchboard_rtp_packets_lost_total', 'RTP packets lost (sequence gaps)');
    const transport = (
      counter: 'parse_errors' | 'messages_received' | 'messages_sent',
      name: string,
      help: string,
    ): void => {
      new Gauge({
        name,
        help,
        labelNames: ['transport'],
        registers: [registry],
        collect() {
          const snapshot = sources.transportCounters().snapshot()[counter] ?? {};
          for (const [protocol, value] of Object.entries(snapshot))
            this.set({ transport: protocol.toLowerCase() }, value ?? 0);
        },
      });
    };
    const browser = (
      key: 'activeEndpoints' | 'packetsIn' | 'packetsOut' | 'srtpErrors',
      name: string,
      help: string,
    ): void => {
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(sources.webrtc?.()[key] ?? 0);
        },
      });
    };
    browser('activeEndpoints', 'switchboard_webrtc_legs', 'Browser (WebRTC) legs terminated on the PBX');
    browser('packetsIn', 'switchboard_webrtc_packets_in_total', 'SRTP packets received from browsers');
    browser('packetsOut', 'switchboard_webrtc_packets_out_total', 'SRTP packets sent to browsers');
    browser('srtpErrors', 'switchboard_webrtc_srtp_errors_total', 'SRTP packets that failed authentication');
    new Gauge({
      name: 'switchboard_sip_overload_refusals_total',
      help: 'New SIP requests answered 503 Service Unavailable by overload protection',
      registers: [registry],
      collect() {
        this.set(sources.overloadRefusals?.() ?? 0);
      },
    });
    const cache = (key: keyof LookupCacheStats, name: string, help: string): void => {
      new Gauge({
        name,
        help,
        labelNames: ['lookup'],
        registers: [registry],
        collect() {
          this.reset();
          for (const [lookup, stats] of Object.entries(sources.lookupCache?.() ?? {}))
            this.set({ lookup }, stats[key]);
        },
      });
    };
    cache('hits', 'switchboard_lookup_cache_hits_total', 'PBX lookups answered from memory');
    cache('loads', 'switchboard_lookup_cache_loads_total', 'PBX lookups that read the database');
    cache('entries', 'switchboard_lookup_cache_entries', 'Entries held (found)');
    cache('misses', 'switchboard_lookup_cache_not_found_entries', 'Not-found answers held');
    transport('parse_errors', 'switchboard_sip_parse_errors_total', 'SIP messages that failed to parse');
    transport('messages_received', 'switchboard_sip_messages_received_total', 'SIP messages received');
    transport('messages_sent', 'switchboard_sip_messages_sent_total', 'SIP messages sent');
  }

  /** Feeds PBX events into the counters. */
  readonly onPbxEvent = (event: PbxEvent): void => {
    switch (event.type) {
      case 'call-started':
        this.calls.inc();
        return;
      case 'call-answered':
        this.answered.inc();
        return;
      case 'auth-failure':
        this.authFailures.inc();
        return;
      case 'registration':
        this.registrationChanges.inc({ kind: event.change.kind });
        return;
      case 'trunk-registration':
        this.trunkRegistrationChanges.inc({ state: event.state });
        if (event.state === 'stopped') this.trunkStates.delete(event.trunkId);
        else this.trunkStates.set(event.trunkId, event.state);
        return;
      case 'call-ended':
        return;
    }
  };

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
