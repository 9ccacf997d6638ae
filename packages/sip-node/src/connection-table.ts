// The open connections, by id and by remote address, so that responses go back on the
// connection their request came on (RFC 3261 §18.2.2), requests reuse an open connection to
// their destination (§18.1.1), and a registrar reaches a phone by the connection id it
// registered on (RFC 5626). Admission is bounded in total and per remote host; when full, the
// oldest connection that never sent a complete message is evicted to make room, so a flood of
// half-open connections cannot lock out peers that speak SIP.
import type { TransportProtocol } from '@switchboard/sip';
import { addressKey, normalizeHost } from './address.ts';
import type { Connection } from './connection.ts';

export interface ConnectionLimits {
  readonly maxConnections: number;
  readonly maxConnectionsPerHost: number;
}

export type Admission =
  { readonly admitted: true; readonly evicted?: Connection } | { readonly admitted: false };

export class ConnectionTable {
  private readonly byId = new Map<string, Connection>();
  private readonly byAddress = new Map<string, Set<Connection>>();
  private readonly perHost = new Map<string, number>();

  constructor(private readonly limits: ConnectionLimits) {}

  get size(): number {
    return this.byId.size;
  }

  all(): IterableIterator<Connection> {
    return this.byId.values();
  }

  get(id: string): Connection | undefined {
    const connection = this.byId.get(id);
    return connection !== undefined && !connection.isClosed ? connection : undefined;
  }

  /** The most recently opened live connection to this remote address. */
  find(protocol: TransportProtocol, host: string, port: number): Connection | undefined {
    const set = this.byAddress.get(addressKey(protocol, host, port));
    if (set === undefined) return undefined;
    let found: Connection | undefined;
    for (const connection of set) if (!connection.isClosed) found = connection;
    return found;
  }

  /**
   * Whether a new connection from `host` may be added, and which unproven connection must be
   * closed to make room (the caller closes it, with reason `evicted`).
   */
  admit(host: string): Admission {
    const key = normalizeHost(host);
    if ((this.perHost.get(key) ?? 0) >= this.limits.maxConnectionsPerHost) {
      const victim = this.oldestUnproven((c) => c.remote.host === key);
      return victim ? { admitted: true, evicted: victim } : { admitted: false };
    }
    if (this.byId.size >= this.limits.maxConnections) {
      const victim = this.oldestUnproven(() => true);
      return victim ? { admitted: true, evicted: victim } : { admitted: false };
    }
    return { admitted: true };
  }

  add(connection: Connection): void {
    this.byId.set(connection.id, connection);
    const key = addressKey(connection.protocol, connection.remote.host, connection.remote.port);
    let set = this.byAddress.get(key);
    if (set === undefined) {
      set = new Set();
      this.byAddress.set(key, set);
    }
    set.add(connection);
    const host = connection.remote.host;
    this.perHost.set(host, (this.perHost.get(host) ?? 0) + 1);
  }

  remove(connection: Connection): void {
    if (!this.byId.delete(connection.id)) return;
    const key = addressKey(connection.protocol, connection.remote.host, connection.remote.port);
    const set = this.byAddress.get(key);
    set?.delete(connection);
    if (set?.size === 0) this.byAddress.delete(key);
    const host = connection.remote.host;
    const count = (this.perHost.get(host) ?? 1) - 1;
    if (count <= 0) this.perHost.delete(host);
    else this.perHost.set(host, count);
  }

  /** Insertion order is age order: the first match is the oldest. */
  private oldestUnproven(match: (c: Connection) => boolean): Connection | undefined {
    for (const connection of this.byId.values()) {
      if (
        connection.direction === 'inbound' &&
        connection.messagesReceived === 0 &&
        !connection.isClosed &&
        match(connection)
      )
        return connection;
    }
    return undefined;
  }
}
