// The PBX's Directory over the database: tenants and extensions come from @switchboard/db.
import type { Repositories } from '@switchboard/db';
import type {
  CallSettings,
  CallSettingsPatch,
  Credentials,
  Directory,
  Extension,
  Tenant,
} from '@switchboard/pbx';

function toTenant(t: { id: string; name: string; sipDomain: string; isDefault: boolean }): Tenant {
  return { id: t.id, name: t.name, domain: t.sipDomain, isDefault: t.isDefault };
}

export class DbDirectory implements Directory {
  constructor(
    private readonly repos: Pick<Repositories, 'tenants' | 'sipAccounts' | 'callSettings' | 'featureCodes'>,
  ) {}

  async tenantByDomain(domain: string): Promise<Tenant | undefined> {
    const tenant = await this.repos.tenants.findBySipDomain(domain.toLowerCase());
    return tenant && toTenant(tenant);
  }

  async defaultTenant(): Promise<Tenant | undefined> {
    const tenant = await this.repos.tenants.getDefault();
    return tenant && toTenant(tenant);
  }

  async findExtension(tenantId: string, username: string): Promise<Extension | undefined> {
    const account = await this.repos.sipAccounts.findExtension(tenantId, username);
    return (
      account && {
        tenantId,
        username: account.username,
        displayName: account.displayName || undefined,
        enabled: account.enabled,
      }
    );
  }

  async credentials(tenantId: string, username: string): Promise<Credentials | undefined> {
    const creds = await this.repos.sipAccounts.findCredentials(tenantId, username);
    if (!creds?.enabled) return undefined;
    // Prefer stored HA1s: the plaintext is then never decrypted for authentication.
    if (creds.digest) return { ha1Md5: creds.digest.ha1Md5, ha1Sha256: creds.digest.ha1Sha256 };
    const password = creds.revealPassword();
    return password === null ? undefined : { password };
  }

  // Call features (issue 7): DND and forwarding per extension, feature codes per tenant.

  callSettings(tenantId: string, username: string): Promise<CallSettings | undefined> {
    return this.repos.callSettings.findForExtension(tenantId, username);
  }

  updateCallSettings(
    tenantId: string,
    username: string,
    patch: CallSettingsPatch,
  ): Promise<CallSettings | undefined> {
    return this.repos.callSettings.updateForExtension(tenantId, username, patch);
  }

  featureCodes(tenantId: string): Promise<Readonly<Record<string, string>>> {
    return this.repos.featureCodes.list(tenantId);
  }
}
