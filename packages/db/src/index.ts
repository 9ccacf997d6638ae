// @switchboard/db: the data layer. Open a database, migrate it, use the repositories.
//
//   const db = await openDatabase(config.databaseUrl ? { url } : { dataDir });
//   await migrate(db.sql);
//   const repos = createRepositories(db.sql, new SecretBox(key));
//   await repos.settings.claimSecretKeyId(secrets.keyId);
export type { Backend, Database, QueryResult, Sql, SqlRow } from './sql.ts';
export { openDatabase, type OpenDatabaseOptions } from './open-database.ts';
// Change notifications (migrations 0006 and 0010): what a cache of the database must forget.
export {
  CHANGES_CHANNEL,
  DIRECTORY_TABLES,
  TRUNK_TABLES,
  WATCHED_TABLES,
  LISTENER_APPLICATION_NAME,
  isTrunkTable,
  parseChange,
  type DirectoryTable,
  type TrunkTable,
  type WatchedTable,
  type ChangeOp,
  type DataChange,
  type ChangeListener,
  type ChangeSubscription,
} from './changes/data-change.ts';
export { DataDirLockedError } from './backends/data-dir-lock.ts';
export { redactUrl } from './backends/postgres.ts';
export { migrate, schemaVersion, MigrationError, type MigrationResult } from './migrations/migrate.ts';
export { MIGRATIONS } from './migrations/index.ts';
export type { Migration } from './migrations/migration.ts';
export {
  SecretBox,
  SECRET_KEY_BYTES,
  SecretKeyMismatchError,
  DecryptionError,
  digestHa1,
} from './crypto/secret-box.ts';
export { DbError, NotFoundError, ConflictError, ValidationError, ForbiddenError } from './errors.ts';
export type { DbErrorCode, FieldProblem } from './errors.ts';
export { normaliseDomain } from './validation.ts';
export { createRepositories, type Repositories } from './repositories/index.ts';
export {
  TenantRepository,
  type Tenant,
  type NewTenant,
  type RemoveTenantOptions,
} from './repositories/tenant-repository.ts';
export {
  ProviderRepository,
  BUILTIN_PROVIDER_NAME,
  SIP_TRANSPORTS,
  type Provider,
  type NewProvider,
  type SipTransport,
} from './repositories/provider-repository.ts';
export {
  SipAccountRepository,
  checkExtensions,
  type ListSipAccounts,
} from './repositories/sip-account-repository.ts';
export type {
  SipAccount,
  NewSipAccount,
  NewExtension,
  SipAccountPatch,
  SipCredentials,
  DigestSecrets,
} from './repositories/sip-account.ts';
export {
  CdrRepository,
  DISPOSITIONS,
  type Cdr,
  type NewCdr,
  type ListCdrs,
  type CallDirection,
  type Disposition,
  type HangupSide,
} from './repositories/cdr-repository.ts';
export { SettingsRepository } from './repositories/settings-repository.ts';
// The management portal's repositories.
export {
  UserRepository,
  type User,
  type UserWithHash,
  type NewUser,
  type UserRole,
  type Organisation,
} from './repositories/user-repository.ts';
export { SessionRepository, type UserSession } from './repositories/session-repository.ts';
export { ApiTokenRepository, type ApiToken } from './repositories/api-token-repository.ts';
export {
  EmailTokenRepository,
  type EmailTokenPurpose,
  type ConsumeResult,
} from './repositories/email-token-repository.ts';
export {
  ContactRepository,
  type Contact,
  type ContactEmail,
  type EmailLabel,
  type NewContact,
  type ContactSort,
  type ListContacts,
} from './repositories/contact-repository.ts';
export { DeviceRepository, type ListDevices } from './repositories/device-repository.ts';
export type { Device, DeviceLine, LineState, AccountAssignment } from './repositories/device.ts';
export {
  ActivationCodeRepository,
  type ActivationCodeRecord,
  type ActivationCodeState,
} from './repositories/activation-code-repository.ts';
export {
  AuditRepository,
  type AuditEntry,
  type NewAuditEntry,
  type ListAudit,
} from './repositories/audit-repository.ts';
export {
  OutboxRepository,
  type OutboxMail,
  type NewOutboxMail,
  type OutboxAttachment,
} from './repositories/outbox-repository.ts';
export {
  ProviderSettingsRepository,
  type ProviderPatch,
} from './repositories/provider-settings-repository.ts';
// The PBX's call features (issue 7).
export {
  CallSettingsRepository,
  DEFAULT_CALL_SETTINGS,
  type CallSettings,
  type CallSettingsPatch,
} from './repositories/call-settings-repository.ts';
export { FeatureCodeRepository } from './repositories/feature-code-repository.ts';
export {
  MusicOnHoldRepository,
  type MusicOnHold,
  type MusicOnHoldInfo,
} from './repositories/music-on-hold-repository.ts';
// Voicemail and call recording (issue 7).
export {
  VoicemailRepository,
  hashPin,
  type MailboxRow,
  type MailboxPatch,
  type MessageFolder,
  type VoicemailMessageRow,
  type NewVoicemailMessageRow,
} from './repositories/voicemail-repository.ts';
export {
  RecordingRepository,
  RECORDING_POLICIES,
  DEFAULT_RECORDING_SETTINGS,
  type RecordingPolicy,
  type RecordingSettings,
  type NewCallRecording,
  type CallRecordingRow,
} from './repositories/recording-repository.ts';
// SIP trunks (migration 0007).
export { TrunkRepository } from './repositories/trunk-repository.ts';
export {
  DEFAULT_TRUNK_POLICY,
  TRUNK_CODECS,
  type Trunk,
  type NewTrunk,
  type TrunkPatch,
  type TrunkTransport,
  type TrunkCodec,
  type OutboundRoute,
  type NewOutboundRoute,
  type Did,
  type NewDid,
  type TrunkPolicy,
} from './repositories/trunk.ts';
export { ROUTE_PATTERN, checkTrunk, checkRoute, checkDid } from './repositories/trunk-checks.ts';
