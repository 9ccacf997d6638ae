// Row mapping, bulk validation and password sealing for SipAccountRepository.
import { digestHa1, type SecretBox } from '../crypto/secret-box.ts';
import type { FieldProblem } from '../errors.ts';
import type { SqlRow } from '../sql.ts';
import { checkPassword, checkSipUser, checkText, type Check } from '../validation.ts';
import type { SipTransport } from './provider-repository.ts';
import { asDate, asStringOrNull } from './row.ts';
import type { NewExtension, SipAccount } from './sip-account.ts';

export const columns = (t = ''): string =>
  `${t}id, ${t}tenant_id, ${t}provider_id, ${t}username, ${t}name, ${t}display_name, ${t}auth_username,
   ${t}manual_password, ${t}protocol, ${t}push_proxy, ${t}dialing_rules, ${t}enabled,
   ${t}password_enc IS NOT NULL AS has_password, ${t}created_at, ${t}updated_at`;
export const COLUMNS = columns();

/** Rows per INSERT statement in bulk imports (each row sends 7 array elements). */
export const BULK_CHUNK = 1000;

export function toAccount(row: SqlRow): SipAccount {
  return {
    id: String(row.id),
    tenantId: String(row.tenant_id),
    providerId: String(row.provider_id),
    username: String(row.username),
    name: String(row.name),
    displayName: String(row.display_name),
    authUsername: asStringOrNull(row.auth_username),
    manualPassword: Boolean(row.manual_password),
    protocol: row.protocol as SipTransport,
    pushProxy: Boolean(row.push_proxy),
    dialingRules: String(row.dialing_rules),
    enabled: Boolean(row.enabled),
    hasPassword: Boolean(row.has_password),
    createdAt: asDate(row.created_at),
    updatedAt: asDate(row.updated_at),
  };
}

/**
 * Every problem of a bulk extension list, each with its `index`: bad fields, and a number that
 * appears twice. (Numbers that already exist are found by createExtensions.)
 */
export function checkExtensions(rows: readonly NewExtension[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, index) => {
    const checks: Check[] = [
      checkSipUser('number', row.username),
      checkPassword('password', row.password),
      checkText('name', row.displayName?.trim() ?? '', 0, 128),
    ];
    for (const c of checks) if (c) problems.push({ ...c, index });
    const first = seen.get(row.username);
    if (first !== undefined) {
      problems.push({ field: 'number', index, message: `${row.username} appears more than once` });
    } else seen.set(row.username, index);
  });
  return problems;
}

/** The AAD that binds a password ciphertext to its row. */
export const aadFor = (accountId: string): string => `sip_account:${accountId}`;

export interface Target {
  providerId: string;
  builtIn: boolean;
  realm: string;
}

export function sealPassword(
  secrets: SecretBox,
  id: string,
  target: Target,
  digestUser: string,
  password: string | null,
) {
  if (password === null) return { passwordEnc: null, realm: null, ha1Md5: null, ha1Sha256: null };
  const passwordEnc = secrets.encrypt(password, aadFor(id));
  if (!target.builtIn) return { passwordEnc, realm: null, ha1Md5: null, ha1Sha256: null };
  const ha1 = digestHa1(digestUser, target.realm, password);
  return { passwordEnc, realm: target.realm, ha1Md5: ha1.md5, ha1Sha256: ha1.sha256 };
}
