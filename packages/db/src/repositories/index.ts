// All repositories over one Sql (a database, or a transaction: `sql.transaction(tx =>
// createRepositories(tx, secrets).…)` runs several repository calls atomically).
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Sql } from '../sql.ts';
import { CdrRepository } from './cdr-repository.ts';
import { ProviderRepository } from './provider-repository.ts';
import { SettingsRepository } from './settings-repository.ts';
import { SipAccountRepository } from './sip-account-repository.ts';
import { TenantRepository } from './tenant-repository.ts';

export interface Repositories {
  readonly tenants: TenantRepository;
  readonly providers: ProviderRepository;
  readonly sipAccounts: SipAccountRepository;
  readonly cdrs: CdrRepository;
  readonly settings: SettingsRepository;
}

export function createRepositories(sql: Sql, secrets: SecretBox): Repositories {
  return {
    tenants: new TenantRepository(sql),
    providers: new ProviderRepository(sql),
    sipAccounts: new SipAccountRepository(sql, secrets),
    cdrs: new CdrRepository(sql),
    settings: new SettingsRepository(sql),
  };
}
