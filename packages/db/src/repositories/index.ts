// All repositories over one Sql (a database, or a transaction: `sql.transaction(tx =>
// createRepositories(tx, secrets).…)` runs several repository calls atomically).
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Sql } from '../sql.ts';
import { CallSettingsRepository } from './call-settings-repository.ts';
import { CdrRepository } from './cdr-repository.ts';
import { FeatureCodeRepository } from './feature-code-repository.ts';
import { MusicOnHoldRepository } from './music-on-hold-repository.ts';
import { RecordingRepository } from './recording-repository.ts';
import { VoicemailRepository } from './voicemail-repository.ts';
import { ProviderRepository } from './provider-repository.ts';
import { SettingsRepository } from './settings-repository.ts';
import { SipAccountRepository } from './sip-account-repository.ts';
import { TenantRepository } from './tenant-repository.ts';
import { TrunkRepository } from './trunk-repository.ts';
import { ActivationCodeRepository } from './activation-code-repository.ts';
import { ApiTokenRepository } from './api-token-repository.ts';
import { AuditRepository } from './audit-repository.ts';
import { ContactRepository } from './contact-repository.ts';
import { DeviceRepository } from './device-repository.ts';
import { EmailTokenRepository } from './email-token-repository.ts';
import { OutboxRepository } from './outbox-repository.ts';
import { ProviderSettingsRepository } from './provider-settings-repository.ts';
import { SessionRepository } from './session-repository.ts';
import { UserRepository } from './user-repository.ts';

export interface Repositories {
  readonly tenants: TenantRepository;
  readonly providers: ProviderRepository;
  readonly sipAccounts: SipAccountRepository;
  readonly cdrs: CdrRepository;
  readonly settings: SettingsRepository;
  // The management portal's entities (users, devices, …).
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly apiTokens: ApiTokenRepository;
  readonly emailTokens: EmailTokenRepository;
  readonly contacts: ContactRepository;
  readonly devices: DeviceRepository;
  readonly activationCodes: ActivationCodeRepository;
  readonly audit: AuditRepository;
  readonly outbox: OutboxRepository;
  readonly providerSettings: ProviderSettingsRepository;
  // The PBX's call features (issue 7).
  readonly callSettings: CallSettingsRepository;
  readonly featureCodes: FeatureCodeRepository;
  readonly musicOnHold: MusicOnHoldRepository;
  // Voicemail and call recording (issue 7).
  readonly voicemail: VoicemailRepository;
  readonly recordings: RecordingRepository;
  // SIP trunks, outbound routes, DIDs, external-call policy (migration 0007).
  readonly trunks: TrunkRepository;
}

export function createRepositories(sql: Sql, secrets: SecretBox): Repositories {
  return {
    tenants: new TenantRepository(sql),
    providers: new ProviderRepository(sql),
    sipAccounts: new SipAccountRepository(sql, secrets),
    cdrs: new CdrRepository(sql),
    settings: new SettingsRepository(sql),
    users: new UserRepository(sql),
    sessions: new SessionRepository(sql),
    apiTokens: new ApiTokenRepository(sql),
    emailTokens: new EmailTokenRepository(sql),
    contacts: new ContactRepository(sql),
    devices: new DeviceRepository(sql),
    activationCodes: new ActivationCodeRepository(sql, secrets),
    audit: new AuditRepository(sql),
    outbox: new OutboxRepository(sql),
    providerSettings: new ProviderSettingsRepository(sql),
    callSettings: new CallSettingsRepository(sql),
    featureCodes: new FeatureCodeRepository(sql),
    musicOnHold: new MusicOnHoldRepository(sql),
    voicemail: new VoicemailRepository(sql),
    recordings: new RecordingRepository(sql),
    trunks: new TrunkRepository(sql, secrets),
  };
}
