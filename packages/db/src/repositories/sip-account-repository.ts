// SIP accounts and PBX extensions: one table, one repository. Passwords are encrypted on the way
// in (AES-256-GCM, bound to the row id) and never come back in a SipAccount; HA1s for digest
// auth are computed with the tenant's SIP domain as realm when the account is on the built-in PBX.
import { randomUUID } from 'node:crypto';
import type { SecretBox } from '../crypto/secret-box.ts';
import {
  ConflictError,
  NotFoundError,
  UNIQUE_VIOLATION,
  ValidationError,
  constraintOf,
  sqlState,
} from '../errors.ts';
import type { Sql, SqlRow } from '../sql.ts';
import {
  assertValid,
  checkMultilineText,
  checkPassword,
  checkSipUser,
  checkText,
  type Check,
} from '../validation.ts';
import { SIP_TRANSPORTS } from './provider-repository.ts';
import { asStringOrNull } from './row.ts';
import type {
  NewExtension,
  NewSipAccount,
  SipAccount,
  SipAccountPatch,
  SipCredentials,
} from './sip-account.ts';
import {
  BULK_CHUNK,
  COLUMNS,
  aadFor,
  checkExtensions,
  columns,
  sealPassword,
  toAccount,
  type Target,
} from './sip-account-rows.ts';

export { checkExtensions };

export interface ListSipAccounts {
  readonly tenantId?: string;
  readonly providerId?: string;
  readonly limit?: number;
  readonly offset?: number;
}

export class SipAccountRepository {
  constructor(
    private readonly sql: Sql,
    private readonly secrets: SecretBox,
  ) {}

  /** Creates an account (by default an extension on the tenant's built-in PBX). */
  async create(input: NewSipAccount): Promise<SipAccount> {
    const target = await this.target(input.tenantId, input.providerId);
    const displayName = input.displayName?.trim() ?? '';
    const name = input.name?.trim() || displayName || input.username;
    const password = input.password ?? null;
    const protocol = input.protocol ?? 'udp';
    assertValid(
      checkSipUser('username', input.username),
      input.authUsername ? checkSipUser('authUsername', input.authUsername) : undefined,
      // A name derived from the display name is checked as the display name.
      input.name?.trim() ? checkText('name', name, 1, 200) : undefined,
      checkText('displayName', displayName, 0, 128),
      password !== null ? checkPassword('password', password) : undefined,
      password === null && (target.builtIn || input.manualPassword !== true)
        ? {
            field: 'password',
            message: target.builtIn
              ? 'is required for a PBX extension'
              : 'is required unless entered manually',
          }
        : undefined,
      SIP_TRANSPORTS.includes(protocol)
        ? undefined
        : { field: 'protocol', message: 'expected udp, tcp or tls' },
      checkMultilineText('dialingRules', input.dialingRules ?? '', 0, 4000),
    );
    const id = randomUUID();
    const secret = sealPassword(this.secrets, id, target, input.authUsername || input.username, password);
    try {
      const { rows } = await this.sql.query(
        `INSERT INTO sip_accounts (id, tenant_id, provider_id, username, name, display_name, auth_username,
           password_enc, digest_realm, ha1_md5, ha1_sha256, manual_password, protocol, push_proxy, dialing_rules, enabled)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         RETURNING ${COLUMNS}`,
        [
          id,
          input.tenantId,
          target.providerId,
          input.username,
          name,
          displayName,
          input.authUsername || null,
          secret.passwordEnc,
          secret.realm,
          secret.ha1Md5,
          secret.ha1Sha256,
          input.manualPassword ?? false,
          protocol,
          input.pushProxy ?? false,
          input.dialingRules ?? '',
          input.enabled ?? true,
        ],
      );
      return toAccount(rows[0]!);
    } catch (err) {
      throw this.mapConflict(err, input.username);
    }
  }

  /**
   * Creates many extensions on the tenant's built-in PBX: every row is checked first (all
   * problems reported, each with its `index`), then inserted in chunks. Run it inside
   * `sql.transaction` so that a failure leaves nothing behind.
   */
  async createExtensions(tenantId: string, rows: readonly NewExtension[]): Promise<number> {
    const target = await this.target(tenantId, undefined);
    const problems = checkExtensions(rows);
    if (problems.length > 0) throw new ValidationError(problems);
    const existing = await this.sql.query<{ username: string }>(
      'SELECT username FROM sip_accounts WHERE provider_id = $1 AND username = ANY($2::text[])',
      [target.providerId, rows.map((r) => r.username)],
    );
    if (existing.rows.length > 0) {
      const taken = new Set(existing.rows.map((r) => r.username));
      throw new ConflictError(
        `${taken.size} extension number(s) already exist`,
        rows.flatMap((row, index) =>
          taken.has(row.username)
            ? [{ field: 'number', index, message: `${row.username} already exists` }]
            : [],
        ),
      );
    }
    for (let start = 0; start < rows.length; start += BULK_CHUNK) {
      const chunk = rows.slice(start, start + BULK_CHUNK);
      const cols: string[][] = [[], [], [], [], [], [], []];
      for (const row of chunk) {
        const id = randomUUID();
        const displayName = row.displayName?.trim() ?? '';
        const secret = sealPassword(this.secrets, id, target, row.username, row.password);
        const values = [
          id,
          row.username,
          displayName || row.username,
          displayName,
          secret.passwordEnc,
          secret.ha1Md5,
          secret.ha1Sha256,
        ];
        values.forEach((v, i) => cols[i]!.push(v ?? ''));
      }
      await this.sql.query(
        `INSERT INTO sip_accounts (id, tenant_id, provider_id, username, name, display_name, password_enc,
           digest_realm, ha1_md5, ha1_sha256)
         SELECT u.id, $1, $2, u.username, u.name, u.display_name, u.password_enc, $3, u.ha1_md5, u.ha1_sha256
         FROM unnest($4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
           AS u(id, username, name, display_name, password_enc, ha1_md5, ha1_sha256)`,
        [tenantId, target.providerId, target.realm, ...cols],
      );
    }
    return rows.length;
  }

  async findById(tenantId: string, id: string): Promise<SipAccount | undefined> {
    const { rows } = await this.sql.query(
      `SELECT ${COLUMNS} FROM sip_accounts WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    return rows[0] ? toAccount(rows[0]) : undefined;
  }

  /** The extension with this number on the tenant's built-in PBX. */
  async findExtension(tenantId: string, username: string): Promise<SipAccount | undefined> {
    const { rows } = await this.sql.query(
      `SELECT ${columns('a.')}
       FROM sip_accounts a JOIN providers p ON p.id = a.provider_id AND p.kind = 'builtin'
       WHERE a.tenant_id = $1 AND a.username = $2`,
      [tenantId, username],
    );
    return rows[0] ? toAccount(rows[0]) : undefined;
  }

  /**
   * Credentials of an extension for digest authentication (registrar, INVITE challenge):
   * HA1s when stored, and the password on demand. Undefined when no such extension exists.
   */
  async findCredentials(tenantId: string, username: string): Promise<SipCredentials | undefined> {
    const { rows } = await this.sql.query(
      // HA1s computed for a realm that is no longer the tenant's domain are useless: leave them out,
      // so the registrar falls back to the password.
      `SELECT a.id, a.tenant_id, a.provider_id, a.username, a.auth_username, a.display_name, a.enabled,
              a.password_enc,
              CASE WHEN a.digest_realm = t.sip_domain THEN a.digest_realm END AS digest_realm,
              a.ha1_md5, a.ha1_sha256
       FROM sip_accounts a
         JOIN providers p ON p.id = a.provider_id AND p.kind = 'builtin'
         JOIN tenants t ON t.id = a.tenant_id
       WHERE a.tenant_id = $1 AND a.username = $2`,
      [tenantId, username],
    );
    const row = rows[0];
    return row ? this.toCredentials(row) : undefined;
  }

  /** The decrypted password of any account (provisioning); null when none is stored. */
  async revealPassword(tenantId: string, id: string): Promise<string | null> {
    const { rows } = await this.sql.query(
      'SELECT id, password_enc FROM sip_accounts WHERE tenant_id = $1 AND id = $2',
      [tenantId, id],
    );
    const row = rows[0];
    if (!row) throw new NotFoundError('SIP account');
    return row.password_enc === null
      ? null
      : this.secrets.decrypt(String(row.password_enc), aadFor(String(row.id)));
  }

  /** Newest last by username; filters by tenant and/or provider. */
  async list(options: ListSipAccounts = {}): Promise<SipAccount[]> {
    const { rows } = await this.sql.query(
      `SELECT ${COLUMNS} FROM sip_accounts
       WHERE ($1::uuid IS NULL OR tenant_id = $1) AND ($2::uuid IS NULL OR provider_id = $2)
       ORDER BY tenant_id, provider_id, length(username), username
       LIMIT $3 OFFSET $4`,
      [options.tenantId ?? null, options.providerId ?? null, options.limit ?? null, options.offset ?? 0],
    );
    return rows.map(toAccount);
  }

  async count(options: Pick<ListSipAccounts, 'tenantId' | 'providerId'> = {}): Promise<number> {
    const { rows } = await this.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM sip_accounts
       WHERE ($1::uuid IS NULL OR tenant_id = $1) AND ($2::uuid IS NULL OR provider_id = $2)`,
      [options.tenantId ?? null, options.providerId ?? null],
    );
    return rows[0]?.n ?? 0;
  }

  /** Changes some fields; a new password is encrypted and its HA1s recomputed. */
  async update(tenantId: string, id: string, patch: SipAccountPatch): Promise<SipAccount> {
    return this.sql.transaction(async (tx) => {
      const { rows } = await tx.query(
        `SELECT a.username, a.auth_username, a.password_enc, a.manual_password, p.kind, t.sip_domain
         FROM sip_accounts a JOIN providers p ON p.id = a.provider_id JOIN tenants t ON t.id = a.tenant_id
         WHERE a.tenant_id = $1 AND a.id = $2 FOR UPDATE OF a`,
        [tenantId, id],
      );
      const current = rows[0];
      if (!current) throw new NotFoundError('SIP account');
      const target: Target = {
        providerId: '',
        builtIn: current.kind === 'builtin',
        realm: String(current.sip_domain),
      };
      const sets: string[] = [];
      const params: unknown[] = [tenantId, id];
      const set = (column: string, value: unknown): void => {
        params.push(value);
        sets.push(`${column} = $${params.length}`);
      };
      const checks: Check[] = [];
      if (patch.name !== undefined) checks.push(checkText('name', patch.name.trim(), 1, 200));
      if (patch.displayName !== undefined)
        checks.push(checkText('displayName', patch.displayName.trim(), 0, 128));
      if (patch.authUsername) checks.push(checkSipUser('authUsername', patch.authUsername));
      if (patch.password) checks.push(checkPassword('password', patch.password));
      if (patch.password === null && target.builtIn)
        checks.push({ field: 'password', message: 'is required for a PBX extension' });
      if (patch.protocol !== undefined && !SIP_TRANSPORTS.includes(patch.protocol))
        checks.push({ field: 'protocol', message: 'expected udp, tcp or tls' });
      if (patch.dialingRules !== undefined)
        checks.push(checkMultilineText('dialingRules', patch.dialingRules, 0, 4000));
      assertValid(...checks);
      if (patch.name !== undefined) set('name', patch.name.trim());
      if (patch.displayName !== undefined) set('display_name', patch.displayName.trim());
      if (patch.manualPassword !== undefined) set('manual_password', patch.manualPassword);
      if (patch.protocol !== undefined) set('protocol', patch.protocol);
      if (patch.pushProxy !== undefined) set('push_proxy', patch.pushProxy);
      if (patch.dialingRules !== undefined) set('dialing_rules', patch.dialingRules);
      if (patch.enabled !== undefined) set('enabled', patch.enabled);
      if (patch.authUsername !== undefined) set('auth_username', patch.authUsername || null);
      // The HA1s depend on the digest user name and the password: recompute when either changes.
      if (patch.password !== undefined || patch.authUsername !== undefined) {
        const password =
          patch.password !== undefined
            ? patch.password
            : current.password_enc === null
              ? null
              : this.secrets.decrypt(String(current.password_enc), aadFor(id));
        const digestUser =
          (patch.authUsername === undefined ? asStringOrNull(current.auth_username) : patch.authUsername) ||
          String(current.username);
        const secret = sealPassword(this.secrets, id, target, digestUser, password);
        set('password_enc', secret.passwordEnc);
        set('digest_realm', secret.realm);
        set('ha1_md5', secret.ha1Md5);
        set('ha1_sha256', secret.ha1Sha256);
      }
      sets.push('updated_at = now()');
      const updated = await tx.query(
        `UPDATE sip_accounts SET ${sets.join(', ')} WHERE tenant_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
        params,
      );
      return toAccount(updated.rows[0]!);
    });
  }

  async remove(tenantId: string, id: string): Promise<void> {
    const { rowCount } = await this.sql.query('DELETE FROM sip_accounts WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      id,
    ]);
    if (rowCount === 0) throw new NotFoundError('SIP account');
  }

  /** Removes the extension with this number from the tenant's built-in PBX. */
  async removeExtension(tenantId: string, username: string): Promise<void> {
    const { rowCount } = await this.sql.query(
      `DELETE FROM sip_accounts a USING providers p
       WHERE p.id = a.provider_id AND p.kind = 'builtin' AND a.tenant_id = $1 AND a.username = $2`,
      [tenantId, username],
    );
    if (rowCount === 0) throw new NotFoundError(`extension ${username}`);
  }

  private async target(tenantId: string, providerId: string | undefined): Promise<Target> {
    const { rows } = await this.sql.query<{ id: string; kind: string; sip_domain: string }>(
      `SELECT p.id, p.kind, t.sip_domain FROM providers p JOIN tenants t ON t.id = p.tenant_id
       WHERE p.tenant_id = $1 AND ${providerId === undefined ? "p.kind = 'builtin'" : 'p.id = $2'}`,
      providerId === undefined ? [tenantId] : [tenantId, providerId],
    );
    const row = rows[0];
    if (!row) throw new NotFoundError(providerId === undefined ? 'tenant' : 'provider');
    return { providerId: row.id, builtIn: row.kind === 'builtin', realm: row.sip_domain };
  }

  private toCredentials(row: SqlRow): SipCredentials {
    const id = String(row.id);
    const envelope = asStringOrNull(row.password_enc);
    const secrets = this.secrets;
    return {
      accountId: id,
      tenantId: String(row.tenant_id),
      providerId: String(row.provider_id),
      username: String(row.username),
      digestUsername: asStringOrNull(row.auth_username) ?? String(row.username),
      displayName: String(row.display_name),
      enabled: Boolean(row.enabled),
      digest:
        row.digest_realm === null
          ? null
          : {
              realm: String(row.digest_realm),
              ha1Md5: String(row.ha1_md5),
              ha1Sha256: String(row.ha1_sha256),
            },
      revealPassword: () => (envelope === null ? null : secrets.decrypt(envelope, aadFor(id))),
    };
  }

  private mapConflict(err: unknown, username: string): unknown {
    if (sqlState(err) === UNIQUE_VIOLATION && constraintOf(err) === 'sip_accounts_provider_username_key') {
      return new ConflictError(`${username} already exists`, [{ field: 'username', message: 'is taken' }]);
    }
    return err;
  }
}
