// What the change-notification triggers (migrations 0006 and 0010) tell listeners, and the
// listener API every backend implements (`Database.subscribeChanges`). A listener keeps something
// derived from the database — the PBX's lookup cache, the server's trunks — and forgets the rows
// named here.

/** The NOTIFY channel the triggers of migrations 0006 and 0010 use. */
export const CHANGES_CHANNEL = 'switchboard_changes';
/** application_name of the PostgreSQL connection that LISTENs (visible in pg_stat_activity). */
export const LISTENER_APPLICATION_NAME = 'switchboard-changes';

/** The tables whose rows the PBX reads on every REGISTER or call (migration 0006). */
export const DIRECTORY_TABLES = [
  'tenants',
  'sip_accounts',
  'extension_call_settings',
  'tenant_feature_codes',
  'tenant_recording_settings',
  'voicemail_boxes',
] as const;
export type DirectoryTable = (typeof DIRECTORY_TABLES)[number];

/** The SIP trunk tables (migration 0010): the server's trunks and their registrations follow them. */
export const TRUNK_TABLES = ['trunks', 'trunk_outbound_routes', 'trunk_dids', 'tenant_trunk_policy'] as const;
export type TrunkTable = (typeof TRUNK_TABLES)[number];

/** Every table that notifies. */
export const WATCHED_TABLES = [...DIRECTORY_TABLES, ...TRUNK_TABLES] as const;
export type WatchedTable = (typeof WATCHED_TABLES)[number];

/** Whether `table` is one of the trunk tables. */
export function isTrunkTable(table: WatchedTable): table is TrunkTable {
  return (TRUNK_TABLES as readonly string[]).includes(table);
}

export type ChangeOp = 'insert' | 'update' | 'delete' | 'truncate';

/** One committed change of one row (or, for `truncate`, of a whole table). */
export interface DataChange {
  readonly table: WatchedTable;
  readonly op: ChangeOp;
  /** The row's tenant (a tenant's own id for `tenants`); null for `truncate`. */
  readonly tenantId: string | null;
  /**
   * The row as the PBX looks it up: the SIP domain (tenants), the extension's username
   * (sip_accounts, extension_call_settings, voicemail_boxes), the feature (tenant_feature_codes),
   * the trunk's id (trunks), the number (trunk_dids); null for tables read per tenant
   * (tenant_recording_settings, trunk_outbound_routes, tenant_trunk_policy), for `truncate`, and
   * for a per-extension row whose account went in the same statement (then: any row of the tenant
   * in that table).
   */
  readonly key: string | null;
}

export interface ChangeListener {
  /** A watched row changed; called after the change committed. */
  change(change: DataChange): void;
  /**
   * Notifications may have been lost (the listening connection dropped and came back): forget
   * everything derived from the database. Not called for the first connection.
   */
  resync(): void;
}

export interface ChangeSubscription {
  /** Stops delivery to this listener. */
  close(): Promise<void>;
}

const OPS: readonly string[] = ['insert', 'update', 'delete', 'truncate'];

/** The payload of a NOTIFY on CHANGES_CHANNEL; undefined for anything malformed or unknown. */
export function parseChange(payload: string): DataChange | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { table, op, tenant_id: tenantId, key } = value as Record<string, unknown>;
  if (typeof table !== 'string' || !(WATCHED_TABLES as readonly string[]).includes(table)) return undefined;
  if (typeof op !== 'string' || !OPS.includes(op)) return undefined;
  if (tenantId !== null && typeof tenantId !== 'string') return undefined;
  if (key !== null && typeof key !== 'string') return undefined;
  return { table: table as WatchedTable, op: op as ChangeOp, tenantId, key };
}

/**
 * Fans one source of notifications out to many listeners. `start` runs when the first listener
 * arrives (LISTEN), `stop` when the last one leaves; a listener that throws cannot starve the rest.
 */
export class ChangeFanout {
  readonly #listeners = new Set<ChangeListener>();
  #starting: Promise<void> | undefined;

  constructor(
    private readonly start: () => Promise<void>,
    private readonly stop: () => Promise<void>,
  ) {}

  get size(): number {
    return this.#listeners.size;
  }

  async subscribe(listener: ChangeListener): Promise<ChangeSubscription> {
    this.#listeners.add(listener);
    if (this.#listeners.size === 1 || this.#starting) {
      this.#starting ??= this.start().finally(() => (this.#starting = undefined));
      try {
        await this.#starting;
      } catch (err) {
        this.#listeners.delete(listener);
        throw err;
      }
    }
    let closed = false;
    return {
      close: async () => {
        if (closed) return;
        closed = true;
        this.#listeners.delete(listener);
        if (this.#listeners.size === 0) await this.stop();
      },
    };
  }

  /** Drops every listener and stops listening (the database is closing). */
  async close(): Promise<void> {
    const listening = this.#listeners.size > 0;
    this.#listeners.clear();
    if (listening) await this.stop();
  }

  /** A NOTIFY payload arrived on CHANGES_CHANNEL. */
  notify(payload: string): void {
    const change = parseChange(payload);
    if (!change) return;
    for (const listener of [...this.#listeners]) {
      try {
        listener.change(change);
      } catch {
        // One listener's bug must not keep the change from the others.
      }
    }
  }

  /** Notifications may have been missed: every listener forgets what it derived. */
  resync(): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener.resync();
      } catch {
        // As above.
      }
    }
  }
}
