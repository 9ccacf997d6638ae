// The SIP trunk model (migration 0007): trunks, outbound routes, DIDs, the external-call policy.

export type TrunkTransport = 'udp' | 'tcp' | 'tls';
export const TRUNK_CODECS = ['PCMU', 'PCMA'] as const;
export type TrunkCodec = (typeof TRUNK_CODECS)[number];

export interface Trunk {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly transport: TrunkTransport;
  readonly outboundProxy: string | null;
  readonly authUsername: string | null;
  readonly hasPassword: boolean;
  readonly fromUser: string | null;
  readonly fromDomain: string | null;
  readonly callerId: string | null;
  readonly register: boolean;
  readonly codecs: readonly TrunkCodec[];
  readonly inboundAddresses: readonly string[];
  readonly enabled: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface NewTrunk {
  readonly tenantId: string;
  readonly name: string;
  readonly host: string;
  readonly port?: number;
  readonly transport?: TrunkTransport;
  readonly outboundProxy?: string | null;
  readonly authUsername?: string | null;
  readonly password?: string | null;
  readonly fromUser?: string | null;
  readonly fromDomain?: string | null;
  readonly callerId?: string | null;
  readonly register?: boolean;
  readonly codecs?: readonly TrunkCodec[];
  readonly inboundAddresses?: readonly string[];
  readonly enabled?: boolean;
}

export type TrunkPatch = Partial<Omit<NewTrunk, 'tenantId'>>;

export interface OutboundRoute {
  readonly id: string;
  readonly tenantId: string;
  readonly trunkId: string;
  readonly pattern: string;
  readonly strip: number;
  readonly prepend: string;
  readonly position: number;
}

export interface NewOutboundRoute {
  readonly trunkId: string;
  readonly pattern: string;
  readonly strip?: number;
  readonly prepend?: string;
  readonly position?: number;
}

export interface Did {
  readonly id: string;
  readonly tenantId: string;
  readonly number: string;
  readonly extension: string;
  readonly trunkId: string | null;
}

export interface NewDid {
  readonly number: string;
  readonly extension: string;
  readonly trunkId?: string | null;
}

export interface TrunkPolicy {
  /** External calls (out, forwarded, transferred) are allowed at all. Default false. */
  readonly externalCalls: boolean;
  /** Only these extensions may call out; null: every extension (when allowed). */
  readonly allowedExtensions: readonly string[] | null;
}

export const DEFAULT_TRUNK_POLICY: TrunkPolicy = { externalCalls: false, allowedExtensions: null };
