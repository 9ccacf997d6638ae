// What the PBX knows about SIP trunks (docs/trunks.md): a tenant's connections to SIP
// providers, the outbound routes that pick a trunk for a dialled number, the DIDs that ring
// extensions, and the tenant's external-call policy. The server implements TrunkDirectory over
// @switchboard/db; tests use MemoryTrunkDirectory. The PBX never sees SQL.

export type TrunkTransport = 'udp' | 'tcp' | 'tls';

export interface PbxTrunk {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  /** The provider's SIP server (host name or IPv4 address), port and transport. */
  readonly host: string;
  readonly port: number;
  readonly transport: TrunkTransport;
  /** `host` or `host:port`: requests go there, with a loose Route (RFC 3261 §16.12). */
  readonly outboundProxy: string | null;
  /** Digest user name at the provider (RFC 3261 §22.2); null: the provider does not challenge. */
  readonly authUsername: string | null;
  readonly fromUser: string | null;
  readonly fromDomain: string | null;
  /** The number presented to the called party; null: the caller's extension number. */
  readonly callerId: string | null;
  /** REGISTER at the provider so that it sends inbound calls here (RFC 3261 §10.2). */
  readonly register: boolean;
  /** Codec preference, first preferred (PCMU, PCMA). */
  readonly codecs: readonly string[];
  /** Extra IPv4 addresses or a.b.c.d/n ranges the provider sends inbound calls from. */
  readonly inboundAddresses: readonly string[];
  readonly enabled: boolean;
}

export interface TrunkRoute {
  readonly trunkId: string;
  /** Dial pattern (dial-pattern.ts). */
  readonly pattern: string;
  /** Digits removed from the front, then `prepend` put in front. */
  readonly strip: number;
  readonly prepend: string;
}

export interface TrunkDid {
  readonly extension: string;
  /** Only calls from this trunk ring it (null: any trunk of the tenant). */
  readonly trunkId: string | null;
}

export interface ExternalCallPolicy {
  readonly externalCalls: boolean;
  /** Only these extensions may call out (null: all of them). */
  readonly allowedExtensions: readonly string[] | null;
}

export interface TrunkDirectory {
  /** Every enabled trunk of every tenant (inbound matching, registrations). */
  enabledTrunks(): Promise<readonly PbxTrunk[]>;
  /** The tenant's outbound routes, in the order they are tried. */
  routes(tenantId: string): Promise<readonly TrunkRoute[]>;
  policy(tenantId: string): Promise<ExternalCallPolicy>;
  did(tenantId: string, number: string): Promise<TrunkDid | undefined>;
  /** The trunk's password at the provider (decrypted only here, for digest). */
  password(tenantId: string, trunkId: string): Promise<string | undefined>;
}

/** An in-memory TrunkDirectory, for tests and for embedding the PBX without a database. */
export class MemoryTrunkDirectory implements TrunkDirectory {
  readonly trunks: (PbxTrunk & { password?: string })[] = [];
  readonly routeList: (TrunkRoute & { tenantId: string })[] = [];
  readonly dids = new Map<string, TrunkDid>();
  readonly policies = new Map<string, ExternalCallPolicy>();

  async enabledTrunks(): Promise<readonly PbxTrunk[]> {
    return this.trunks.filter((t) => t.enabled);
  }

  async routes(tenantId: string): Promise<readonly TrunkRoute[]> {
    return this.routeList.filter((r) => r.tenantId === tenantId);
  }

  async policy(tenantId: string): Promise<ExternalCallPolicy> {
    return this.policies.get(tenantId) ?? { externalCalls: false, allowedExtensions: null };
  }

  async did(tenantId: string, number: string): Promise<TrunkDid | undefined> {
    return this.dids.get(`${tenantId}\u0000${number}`);
  }

  async password(tenantId: string, trunkId: string): Promise<string | undefined> {
    return this.trunks.find((t) => t.tenantId === tenantId && t.id === trunkId)?.password;
  }
}
