// Keeping registrations honest between REGISTERs:
// - NAT keep-alive (RFC 3261 has none; common PBX "qualify"): an OPTIONS to every UDP binding
//   keeps the phone's NAT pinhole open, and a binding that stops answering is dropped;
// - a binding made over a connection (TCP, TLS, WebSocket) dies with that connection (RFC 5626
//   §5.2: the flow is gone; the phone registers again when it reconnects).
import type { Destination, TransportProtocol, UserAgent } from '@switchboard/sip';
import type { PbxEventBus } from '../events/pbx-events.ts';
import type { Binding } from './binding.ts';
import type { LocationStore } from './location-store.ts';

export interface BindingMaintenanceOptions {
  /** Consecutive unanswered keep-alives after which a binding is dropped. */
  readonly maxMissed: number;
}

export class BindingMaintenance {
  private readonly missed = new Map<string, number>();

  constructor(
    private readonly deps: {
      readonly ua: UserAgent;
      readonly locations: LocationStore;
      readonly events: PbxEventBus;
      readonly now: () => number;
      readonly options?: Partial<BindingMaintenanceOptions>;
    },
  ) {}

  /** Sends one round of keep-alive OPTIONS to every UDP binding. Call it on an interval. */
  async keepAlive(): Promise<void> {
    const bindings = (await this.deps.locations.all(this.deps.now())).filter(
      (b) => b.source.transport === 'udp',
    );
    await Promise.all(bindings.map((binding) => this.ping(binding)));
  }

  /** Drops every binding that was registered over the connection that just closed. */
  async connectionClosed(connectionId: string): Promise<void> {
    const now = this.deps.now();
    const affected = (await this.deps.locations.all(now)).filter((b) => b.connectionId === connectionId);
    for (const binding of affected) await this.drop(binding, 'connection-closed');
  }

  private async ping(binding: Binding): Promise<void> {
    const key = `${binding.tenantId}\u0000${binding.username}\u0000${binding.contact}`;
    const destination: Destination = {
      protocol: binding.source.transport.toUpperCase() as TransportProtocol,
      host: binding.source.host,
      port: binding.source.port,
    };
    let answered = false;
    try {
      const response = await this.deps.ua.request('OPTIONS', binding.contact, { destination }).final;
      // Any response, even 404 or 405, proves the phone and its pinhole are alive.
      answered = response.status !== 408 && response.status !== 503;
    } catch {
      answered = false;
    }
    if (answered) {
      this.missed.delete(key);
      return;
    }
    const missed = (this.missed.get(key) ?? 0) + 1;
    this.missed.set(key, missed);
    if (missed >= (this.deps.options?.maxMissed ?? 3)) {
      this.missed.delete(key);
      await this.drop(binding, 'unreachable');
    }
  }

  private async drop(binding: Binding, reason: 'unreachable' | 'connection-closed'): Promise<void> {
    const now = this.deps.now();
    const current = await this.deps.locations.lookup(binding.tenantId, binding.username, now);
    const kept = current.filter((b) => !(b.contact === binding.contact && b.callId === binding.callId));
    if (kept.length === current.length) return;
    await this.deps.locations.replace(binding.tenantId, binding.username, kept);
    this.deps.events.publish({ type: 'registration', change: { kind: 'removed', binding, reason } });
  }
}
