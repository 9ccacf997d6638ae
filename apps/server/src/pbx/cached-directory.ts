// The PBX's lookups kept in memory (issue 3, performance): what every REGISTER and call reads —
// tenants by SIP domain and the default tenant, extensions, their credentials (HA1s or the
// decrypted password: memory only, never logged), call settings, feature codes, recording
// policies and settings, mailboxes — so the database is not on the hot path any more.
//
// Invalidation is precise: the database's change notifications (migration 0006, `apply`) name
// the rows that changed, whoever changed them (API, CLI through the share socket, another node);
// writes the PBX makes itself (DND by feature code) forget their key at once; a lost
// notification connection forgets everything (`flush`); and every entry expires after a safety
// TTL. See docs/pbx.md, "Directory cache".
import {
  isTrunkTable,
  type DataChange,
  type MailboxRow,
  type RecordingPolicy,
  type RecordingSettings,
} from '@switchboard/db';
import type {
  CallSettings,
  CallSettingsPatch,
  Credentials,
  Directory,
  Extension,
  Tenant,
} from '@switchboard/pbx';
import { LookupCache, type LookupCacheStats } from './lookup-cache.ts';

export interface PbxLookupCacheOptions {
  /**
   * Safety net should a notification ever go missing (default 10 min). Not shorter: with
   * 10,000 phones a 60 s TTL reloads ~170 credentials a second, which profiles showed as a
   * quarter of the main thread at 2,000 REGISTER/s on the embedded database.
   */
  readonly ttlMs?: number;
  /** Found entries kept per kind of lookup (default 100,000). */
  readonly maxEntries?: number;
  /** Not-found entries kept per kind of lookup (default 10,000): unknown-user floods stay bounded. */
  readonly maxMisses?: number;
  readonly now?: () => number;
}

/** Key of a per-extension entry. */
export function extensionKey(tenantId: string, username: string): string {
  return `${tenantId}\u0000${username}`;
}

const never = (): boolean => false;

/** What invalidation needs of a LookupCache, whatever it holds. */
type Forgetful = Pick<LookupCache<unknown>, 'delete' | 'deletePrefix' | 'clear'>;

export class PbxLookupCache {
  readonly tenantsByDomain: LookupCache<Tenant | undefined>;
  readonly defaultTenant: LookupCache<Tenant | undefined>;
  readonly extensions: LookupCache<Extension | undefined>;
  readonly credentials: LookupCache<Credentials | undefined>;
  readonly callSettings: LookupCache<CallSettings | undefined>;
  readonly featureCodes: LookupCache<Readonly<Record<string, string>>>;
  readonly recordingPolicies: LookupCache<RecordingPolicy>;
  readonly recordingSettings: LookupCache<RecordingSettings>;
  readonly mailboxes: LookupCache<MailboxRow | undefined>;
  #flushes = 0;

  constructor(options: PbxLookupCacheOptions = {}) {
    const base = {
      ttlMs: options.ttlMs ?? 600_000,
      maxEntries: options.maxEntries ?? 100_000,
      maxMisses: options.maxMisses ?? 10_000,
      now: options.now ?? (() => Date.now()),
    };
    this.tenantsByDomain = new LookupCache(base);
    this.defaultTenant = new LookupCache(base);
    this.extensions = new LookupCache(base);
    this.credentials = new LookupCache(base);
    this.callSettings = new LookupCache(base);
    this.featureCodes = new LookupCache({ ...base, isMiss: never });
    this.recordingPolicies = new LookupCache({ ...base, isMiss: never });
    this.recordingSettings = new LookupCache({ ...base, isMiss: never });
    this.mailboxes = new LookupCache(base);
  }

  /** Forgets what a committed change (a database notification) makes stale. */
  apply(change: DataChange): void {
    const { tenantId, key } = change;
    // The trunk tables hold nothing of this cache (trunks-runtime.ts follows them).
    if (isTrunkTable(change.table)) return;
    if (change.op === 'truncate' || tenantId === null) {
      this.flush();
      return;
    }
    switch (change.table) {
      case 'tenants':
        // Rare: forget every tenant lookup. A changed or deleted tenant also takes its
        // extensions' entries along (credentials carry HA1s of the tenant's old domain).
        this.tenantsByDomain.clear();
        this.defaultTenant.clear();
        if (change.op !== 'insert') this.forgetTenant(tenantId);
        return;
      case 'sip_accounts':
        // The account row holds the extension, its credentials and its recording policy; call
        // settings and mailbox lookups answer "unknown extension" without it.
        if (key === null) this.forgetTenant(tenantId);
        else this.forgetExtension(tenantId, key);
        return;
      case 'extension_call_settings':
        forget(this.callSettings, tenantId, key);
        return;
      case 'voicemail_boxes':
        forget(this.mailboxes, tenantId, key);
        return;
      case 'tenant_feature_codes':
        this.featureCodes.delete(tenantId);
        return;
      case 'tenant_recording_settings':
        this.recordingSettings.delete(tenantId);
        return;
    }
  }

  forgetExtension(tenantId: string, username: string): void {
    const key = extensionKey(tenantId, username);
    for (const cache of this.#perExtension()) cache.delete(key);
  }

  forgetTenant(tenantId: string): void {
    const prefix = extensionKey(tenantId, '');
    for (const cache of this.#perExtension()) cache.deletePrefix(prefix);
    this.featureCodes.delete(tenantId);
    this.recordingSettings.delete(tenantId);
  }

  /** Forgets everything (notifications may have been missed). */
  flush(): void {
    this.#flushes++;
    for (const cache of this.#all()) cache.clear();
  }

  /** Each kind of lookup's counters (for /metrics). */
  kinds(): Record<string, LookupCacheStats> {
    const { flushes: _flushes, ...kinds } = this.stats();
    return kinds as Record<string, LookupCacheStats>;
  }

  stats(): { flushes: number } & Record<string, LookupCacheStats | number> {
    return {
      flushes: this.#flushes,
      tenantsByDomain: this.tenantsByDomain.stats(),
      defaultTenant: this.defaultTenant.stats(),
      extensions: this.extensions.stats(),
      credentials: this.credentials.stats(),
      callSettings: this.callSettings.stats(),
      featureCodes: this.featureCodes.stats(),
      recordingPolicies: this.recordingPolicies.stats(),
      recordingSettings: this.recordingSettings.stats(),
      mailboxes: this.mailboxes.stats(),
    };
  }

  #perExtension(): Forgetful[] {
    return [this.extensions, this.credentials, this.callSettings, this.recordingPolicies, this.mailboxes];
  }

  #all(): Forgetful[] {
    return [
      this.tenantsByDomain,
      this.defaultTenant,
      this.featureCodes,
      this.recordingSettings,
      ...this.#perExtension(),
    ];
  }
}

function forget(cache: Forgetful, tenantId: string, username: string | null): void {
  if (username === null) cache.deletePrefix(extensionKey(tenantId, ''));
  else cache.delete(extensionKey(tenantId, username));
}

/** A Directory that answers from PbxLookupCache and asks `inner` (the database) on a miss. */
export class CachedDirectory implements Directory {
  constructor(
    private readonly inner: Required<Directory>,
    readonly cache: PbxLookupCache,
  ) {}

  tenantByDomain(domain: string): Promise<Tenant | undefined> {
    return this.cache.tenantsByDomain.get(domain.toLowerCase(), () => this.inner.tenantByDomain(domain));
  }

  defaultTenant(): Promise<Tenant | undefined> {
    return this.cache.defaultTenant.get('', () => this.inner.defaultTenant());
  }

  findExtension(tenantId: string, username: string): Promise<Extension | undefined> {
    return this.cache.extensions.get(extensionKey(tenantId, username), () =>
      this.inner.findExtension(tenantId, username),
    );
  }

  credentials(tenantId: string, username: string): Promise<Credentials | undefined> {
    return this.cache.credentials.get(extensionKey(tenantId, username), () =>
      this.inner.credentials(tenantId, username),
    );
  }

  callSettings(tenantId: string, username: string): Promise<CallSettings | undefined> {
    return this.cache.callSettings.get(extensionKey(tenantId, username), () =>
      this.inner.callSettings(tenantId, username),
    );
  }

  async updateCallSettings(
    tenantId: string,
    username: string,
    patch: CallSettingsPatch,
  ): Promise<CallSettings | undefined> {
    try {
      return await this.inner.updateCallSettings(tenantId, username, patch);
    } finally {
      // The PBX's own write (a feature code): the next call must see it, notification or not.
      this.cache.callSettings.delete(extensionKey(tenantId, username));
    }
  }

  featureCodes(tenantId: string): Promise<Readonly<Record<string, string>>> {
    return this.cache.featureCodes.get(tenantId, () => this.inner.featureCodes(tenantId));
  }
}
