// What the PBX needs to know about tenants and their extensions. The server implements it over
// @switchboard/db; tests implement it in memory. The PBX never sees SQL.
import {
  DEFAULT_CALL_SETTINGS,
  type CallSettings,
  type CallSettingsPatch,
} from '../features/call-settings.ts';

export interface Tenant {
  readonly id: string;
  readonly name: string;
  /** SIP domain of the tenant (the host part of its AORs). */
  readonly domain: string;
  /** The default tenant also answers for the server's own addresses (no DNS needed). */
  readonly isDefault: boolean;
}

/** Credentials for digest verification: the plaintext or precomputed HA1s (RFC 7616 §3.4.2). */
export interface Credentials {
  readonly password?: string;
  readonly ha1Md5?: string;
  readonly ha1Sha256?: string;
}

export interface Extension {
  readonly tenantId: string;
  readonly username: string;
  readonly displayName: string | undefined;
  readonly enabled: boolean;
}

export interface Directory {
  /** The tenant whose SIP domain is `domain`, or undefined. */
  tenantByDomain(domain: string): Promise<Tenant | undefined>;
  /** The default tenant (answers for the server's own addresses). */
  defaultTenant(): Promise<Tenant | undefined>;
  findExtension(tenantId: string, username: string): Promise<Extension | undefined>;
  /** Credentials of an enabled extension; undefined for unknown or disabled ones. */
  credentials(tenantId: string, username: string): Promise<Credentials | undefined>;
  // Call features (issue 7). Optional: a directory without them gives calls no DND, forwarding
  // or per-tenant feature codes.
  /** An extension's DND and forwarding settings; undefined for unknown extensions. */
  callSettings?(tenantId: string, username: string): Promise<CallSettings | undefined>;
  /** Changes them (feature codes dialled on a phone); undefined for unknown extensions. */
  updateCallSettings?(
    tenantId: string,
    username: string,
    patch: CallSettingsPatch,
  ): Promise<CallSettings | undefined>;
  /** The tenant's own feature codes (feature → code), laid over the defaults. */
  featureCodes?(tenantId: string): Promise<Readonly<Record<string, string>>>;
}

/** An in-memory directory, for tests and for embedding the PBX without a database. */
export class MemoryDirectory implements Directory {
  private readonly tenants: Tenant[] = [];
  private readonly extensions = new Map<string, Extension & { readonly password: string }>();
  private readonly settings = new Map<string, CallSettings>();
  private readonly codes = new Map<string, Record<string, string>>();

  addTenant(tenant: Tenant): this {
    this.tenants.push(tenant);
    return this;
  }

  addExtension(
    tenantId: string,
    username: string,
    password: string,
    displayName?: string,
    enabled = true,
  ): this {
    this.extensions.set(`${tenantId}\u0000${username}`, {
      tenantId,
      username,
      password,
      displayName,
      enabled,
    });
    return this;
  }

  async tenantByDomain(domain: string): Promise<Tenant | undefined> {
    const lower = domain.toLowerCase();
    return this.tenants.find((t) => t.domain.toLowerCase() === lower);
  }

  async defaultTenant(): Promise<Tenant | undefined> {
    return this.tenants.find((t) => t.isDefault);
  }

  async findExtension(tenantId: string, username: string): Promise<Extension | undefined> {
    const ext = this.extensions.get(`${tenantId}\u0000${username}`);
    return (
      ext && {
        tenantId: ext.tenantId,
        username: ext.username,
        displayName: ext.displayName,
        enabled: ext.enabled,
      }
    );
  }

  async credentials(tenantId: string, username: string): Promise<Credentials | undefined> {
    const ext = this.extensions.get(`${tenantId}\u0000${username}`);
    return ext?.enabled ? { password: ext.password } : undefined;
  }

  async callSettings(tenantId: string, username: string): Promise<CallSettings | undefined> {
    const key = `${tenantId}\u0000${username}`;
    if (!this.extensions.has(key)) return undefined;
    return this.settings.get(key) ?? DEFAULT_CALL_SETTINGS;
  }

  async updateCallSettings(
    tenantId: string,
    username: string,
    patch: CallSettingsPatch,
  ): Promise<CallSettings | undefined> {
    const current = await this.callSettings(tenantId, username);
    if (!current) return undefined;
    const next = { ...current, ...patch };
    this.settings.set(`${tenantId}\u0000${username}`, next);
    return next;
  }

  async featureCodes(tenantId: string): Promise<Readonly<Record<string, string>>> {
    return this.codes.get(tenantId) ?? {};
  }

  setFeatureCodes(tenantId: string, codes: Record<string, string>): this {
    this.codes.set(tenantId, codes);
    return this;
  }
}
