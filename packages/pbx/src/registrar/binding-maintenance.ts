// Keeping registrations honest between REGISTERs:
// - NAT keep-alive (RFC 3261 has none; common PBX "qualify"): an OPTIONS to every UDP binding
//   keeps the phone's NAT pinhole open, and a binding that stops answering is dropped;
// - a binding made over a connection (TCP, TLS, WebSocket) dies with that connection (RFC 5626
//   §5.2: the flow is gone; the phone registers again when it reconnects).
//
// Keep-alives are spread over the interval: each binding has its own phase in it (a hash of the
// binding), so 10,000 phones mean ~33 OPTIONS every 100 ms, not 10,000 in one burst every 30 s.
import type { Clock, Destination, TimerHandle, TransportProtocol, UserAgent } from '@switchboard/sip';
import type { PbxEventBus } from '../events/pbx-events.ts';
import type { Binding } from './binding.ts';
import type { LocationStore } from './location-store.ts';

export interface BindingMaintenanceOptions {
  /** Consecutive unanswered keep-alives after which a binding is dropped. */
  readonly maxMissed: number;
}

export interface KeepAliveSchedule {
  /** Each UDP binding gets one OPTIONS per interval (default 30 s). */
  readonly intervalMs?: number;
  /** Granularity of the phases (default 100 ms): the interval has intervalMs / tickMs slots. */
  readonly tickMs?: number;
}

export class BindingMaintenance {
  private readonly missed = new Map<string, number>();
  private keepAliveTimer: TimerHandle | undefined;
  private keepAliveRunning = false;

  constructor(
    private readonly deps: {
      readonly ua: UserAgent;
      readonly locations: LocationStore;
      readonly events: PbxEventBus;
      readonly now: () => number;
      readonly options?: Partial<BindingMaintenanceOptions>;
    },
  ) {}

  /** Sends one round of keep-alive OPTIONS to every UDP binding at once (tests, tools). */
  async keepAlive(): Promise<void> {
    await Promise.all((await this.udpBindings()).map((binding) => this.ping(binding)));
  }

  /**
   * Starts keep-alives spread evenly over `intervalMs`: every round takes the UDP bindings of
   * that moment and pings each in the slot of its phase; a binding made during a round joins
   * the next one. Stop with stopKeepAlive().
   */
  startKeepAlive(clock: Clock, schedule: KeepAliveSchedule = {}): void {
    this.stopKeepAlive();
    const intervalMs = schedule.intervalMs ?? 30_000;
    const tickMs = Math.min(schedule.tickMs ?? 100, intervalMs);
    const slots = Math.max(1, Math.round(intervalMs / tickMs));
    let round: { readonly startedAt: number; readonly bySlot: Binding[][]; next: number } | undefined;
    this.keepAliveRunning = true;
    const tick = async (): Promise<void> => {
      if (!round || round.next >= slots) {
        const startedAt = clock.now();
        round = { startedAt, bySlot: this.plan(await this.udpBindings(), slots), next: 0 };
      }
      const due = Math.min(slots, Math.floor((clock.now() - round.startedAt) / tickMs) + 1);
      while (round.next < due) for (const binding of round.bySlot[round.next++]!) void this.ping(binding);
    };
    const loop = (): void => {
      if (!this.keepAliveRunning) return;
      void tick()
        .catch(() => undefined)
        .finally(() => {
          if (this.keepAliveRunning) this.keepAliveTimer = clock.setTimer(tickMs, loop);
        });
    };
    this.keepAliveTimer = clock.setTimer(tickMs, loop);
  }

  stopKeepAlive(): void {
    this.keepAliveRunning = false;
    this.keepAliveTimer?.cancel();
    this.keepAliveTimer = undefined;
  }

  /** Drops every binding that was registered over the connection that just closed. */
  async connectionClosed(connectionId: string): Promise<void> {
    const now = this.deps.now();
    const affected = (await this.deps.locations.all(now)).filter((b) => b.connectionId === connectionId);
    for (const binding of affected) await this.drop(binding, 'connection-closed');
  }

  private async udpBindings(): Promise<Binding[]> {
    return (await this.deps.locations.all(this.deps.now())).filter((b) => b.source.transport === 'udp');
  }

  /** Bindings by slot: a binding's phase is a hash of its identity, the same every round. */
  private plan(bindings: readonly Binding[], slots: number): Binding[][] {
    const bySlot: Binding[][] = Array.from({ length: slots }, () => []);
    for (const binding of bindings) bySlot[fnv1a(bindingKey(binding)) % slots]!.push(binding);
    return bySlot;
  }

  private async ping(binding: Binding): Promise<void> {
    const key = bindingKey(binding);
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

function bindingKey(binding: Binding): string {
  return `${binding.tenantId}\u0000${binding.username}\u0000${binding.contact}`;
}

/** FNV-1a, 32 bits: a cheap, well-spread hash for phases. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
