// The SIP account model: on the built-in provider an account is a PBX extension (its username
// is the extension number); on an external provider it is a line the softphone registers with.
import type { SipTransport } from './provider-repository.ts';

export interface SipAccount {
  readonly id: string;
  readonly tenantId: string;
  readonly providerId: string;
  /** SIP user name; the extension number on the built-in provider. */
  readonly username: string;
  /** Friendly name in the portal. */
  readonly name: string;
  /** SIP display name ("Alice"); may be empty. */
  readonly displayName: string;
  /** Digest user name when it differs from `username`; null = same. */
  readonly authUsername: string | null;
  /** The password is typed on the device, not provisioned. */
  readonly manualPassword: boolean;
  readonly protocol: SipTransport;
  readonly pushProxy: boolean;
  readonly dialingRules: string;
  readonly enabled: boolean;
  /** Whether a password is stored (it is never returned here; see SipAccountRepository.findCredentials). */
  readonly hasPassword: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface NewSipAccount {
  readonly tenantId: string;
  /** Default: the tenant's built-in PBX provider (the account is an extension). */
  readonly providerId?: string;
  readonly username: string;
  /** Required on the built-in provider; optional elsewhere when `manualPassword`. */
  readonly password?: string | null;
  /** Default: the display name, else the username. */
  readonly name?: string;
  readonly displayName?: string;
  readonly authUsername?: string | null;
  readonly manualPassword?: boolean;
  readonly protocol?: SipTransport;
  readonly pushProxy?: boolean;
  readonly dialingRules?: string;
  readonly enabled?: boolean;
}

/** One row of a bulk extension import (always on the built-in provider). */
export interface NewExtension {
  readonly username: string;
  readonly password: string;
  readonly displayName?: string;
}

export type SipAccountPatch = Partial<
  Pick<
    NewSipAccount,
    | 'password'
    | 'name'
    | 'displayName'
    | 'authUsername'
    | 'manualPassword'
    | 'protocol'
    | 'pushProxy'
    | 'dialingRules'
    | 'enabled'
  >
>;

/** Precomputed digest secrets for the registrar (RFC 7616 §3.4.2). */
export interface DigestSecrets {
  /** The realm the HA1s were computed with (the tenant's SIP domain at the time). */
  readonly realm: string;
  readonly ha1Md5: string;
  readonly ha1Sha256: string;
}

/** What the registrar needs to check a digest response. The plaintext needs an explicit call. */
export interface SipCredentials {
  readonly accountId: string;
  readonly tenantId: string;
  readonly providerId: string;
  readonly username: string;
  /** The digest user name: authUsername, or username when none is set. */
  readonly digestUsername: string;
  readonly displayName: string;
  readonly enabled: boolean;
  /** Null when no HA1 was stored or the account has no password. */
  readonly digest: DigestSecrets | null;
  /** Decrypts the password on demand (null: none stored). Not a property, so it is never serialised. */
  revealPassword(): string | null;
}
