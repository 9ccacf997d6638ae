// SIP trunks of a tenant (migration 0007): the trunks, their outbound routes, the DIDs that ring
// extensions, and the tenant's external-call policy. Trunk passwords are encrypted at rest with
// the row's identity as additional data (`trunk:<id>`), like SIP account passwords; `Trunk`
// objects never carry them (only `hasPassword`); `revealPassword()` is the one way out.
import { randomUUID } from 'node:crypto';
import type { SecretBox } from '../crypto/secret-box.ts';
import {
  ConflictError,
  FOREIGN_KEY_VIOLATION,
  NotFoundError,
  UNIQUE_VIOLATION,
  ValidationError,
  sqlState,
  type FieldProblem,
} from '../errors.ts';
import type { Sql, SqlRow } from '../sql.ts';
import { normaliseDomain } from '../validation.ts';
import { checkDid, checkRoute, checkTrunk, SIP_USER } from './trunk-checks.ts';
import {
  DEFAULT_TRUNK_POLICY,
  TRUNK_CODECS,
  type Did,
  type NewDid,
  type NewOutboundRoute,
  type NewTrunk,
  type OutboundRoute,
  type Trunk,
  type TrunkCodec,
  type TrunkPatch,
  type TrunkPolicy,
  type TrunkTransport,
} from './trunk.ts';
import { asDate, asStringOrNull } from './row.ts';

const TRUNK_COLUMNS = `id, tenant_id, name, host, port, transport, outbound_proxy, auth_username,
  password_enc, from_user, from_domain, caller_id, register, codecs, inbound_addresses, enabled,
  created_at, updated_at`;

const aad = (id: string): string => `trunk:${id}`;

function toTrunk(row: SqlRow): Trunk {
  return {
    id: String(row.id),
    tenantId: String(row.tenant_id),
    name: String(row.name),
    host: String(row.host),
    port: Number(row.port),
    transport: row.transport as TrunkTransport,
    outboundProxy: asStringOrNull(row.outbound_proxy),
    authUsername: asStringOrNull(row.auth_username),
    hasPassword: row.password_enc !== null && row.password_enc !== undefined,
    fromUser: asStringOrNull(row.from_user),
    fromDomain: asStringOrNull(row.from_domain),
    callerId: asStringOrNull(row.caller_id),
    register: Boolean(row.register),
    codecs: (row.codecs as TrunkCodec[] | null) ?? [],
    inboundAddresses: (row.inbound_addresses as string[] | null) ?? [],
    enabled: Boolean(row.enabled),
    createdAt: asDate(row.created_at),
    updatedAt: asDate(row.updated_at),
  };
}

function toRoute(row: SqlRow): OutboundRoute {
  return {
    id: String(row.id),
    tenantId: String(row.tenant_id),
    trunkId: String(row.trunk_id),
    pattern: String(row.pattern),
    strip: Number(row.strip),
    prepend: String(row.prepend),
    position: Number(row.position),
  };
}

function toDid(row: SqlRow): Did {
  return {
    id: String(row.id),
    tenantId: String(row.tenant_id),
    number: String(row.number),
    extension: String(row.extension),
    trunkId: asStringOrNull(row.trunk_id),
  };
}

function assertNoProblems(problems: FieldProblem[]): void {
  if (problems.length > 0) throw new ValidationError(problems);
}

const orNull = <T>(value: T | null | undefined): T | null =>
  value === undefined || value === '' ? null : value;

export class TrunkRepository {
  constructor(
    private readonly sql: Sql,
    private readonly secrets: SecretBox,
  ) {}

  // ─── Trunks ───────────────────────────────────────────────────────────────────────────

  async create(input: NewTrunk): Promise<Trunk> {
    assertNoProblems(checkTrunk(input));
    const id = randomUUID();
    const password = orNull(input.password);
    try {
      const { rows } = await this.sql.query(
        `INSERT INTO trunks (id, tenant_id, name, host, port, transport, outbound_proxy, auth_username,
           password_enc, from_user, from_domain, caller_id, register, codecs, inbound_addresses, enabled)
         SELECT $1, t.id, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16
         FROM tenants t WHERE t.id = $2
         RETURNING ${TRUNK_COLUMNS}`,
        [
          id,
          input.tenantId,
          input.name.trim(),
          normaliseDomain(input.host),
          input.port ?? 5060,
          input.transport ?? 'udp',
          orNull(input.outboundProxy?.trim().toLowerCase()),
          orNull(input.authUsername),
          password === null ? null : this.secrets.encrypt(password, aad(id)),
          orNull(input.fromUser),
          orNull(input.fromDomain && normaliseDomain(input.fromDomain)),
          orNull(input.callerId),
          input.register ?? false,
          [...(input.codecs ?? TRUNK_CODECS)],
          [...(input.inboundAddresses ?? [])],
          input.enabled ?? true,
        ],
      );
      if (!rows[0]) throw new NotFoundError('tenant');
      return toTrunk(rows[0]);
    } catch (error) {
      throw translate(error);
    }
  }

  async list(tenantId: string): Promise<Trunk[]> {
    const { rows } = await this.sql.query(
      `SELECT ${TRUNK_COLUMNS} FROM trunks WHERE tenant_id = $1 ORDER BY name, id`,
      [tenantId],
    );
    return rows.map(toTrunk);
  }

  /** Every enabled trunk of every tenant (the PBX: inbound matching and registrations). */
  async listEnabled(): Promise<Trunk[]> {
    const { rows } = await this.sql.query(`SELECT ${TRUNK_COLUMNS} FROM trunks WHERE enabled ORDER BY id`);
    return rows.map(toTrunk);
  }

  async findById(tenantId: string, id: string): Promise<Trunk | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.sql.query(
      `SELECT ${TRUNK_COLUMNS} FROM trunks WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    return rows[0] ? toTrunk(rows[0]) : undefined;
  }

  async findByName(tenantId: string, name: string): Promise<Trunk | undefined> {
    const { rows } = await this.sql.query(
      `SELECT ${TRUNK_COLUMNS} FROM trunks WHERE tenant_id = $1 AND name = $2`,
      [tenantId, name],
    );
    return rows[0] ? toTrunk(rows[0]) : undefined;
  }

  /** The plaintext password for digest authentication at the provider (never for display). */
  async revealPassword(tenantId: string, id: string): Promise<string | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.sql.query(
      'SELECT password_enc FROM trunks WHERE tenant_id = $1 AND id = $2',
      [tenantId, id],
    );
    const enc = asStringOrNull(rows[0]?.password_enc);
    return enc === null ? undefined : this.secrets.decrypt(enc, aad(id));
  }

  async update(tenantId: string, id: string, patch: TrunkPatch): Promise<Trunk> {
    assertNoProblems(checkTrunk(patch));
    const current = await this.findById(tenantId, id);
    if (!current) throw new NotFoundError('trunk');
    const sets: string[] = [];
    const values: unknown[] = [tenantId, id];
    const set = (column: string, value: unknown): void => {
      values.push(value);
      sets.push(`${column} = $${values.length}`);
    };
    if (patch.name !== undefined) set('name', patch.name.trim());
    if (patch.host !== undefined) set('host', normaliseDomain(patch.host));
    if (patch.port !== undefined) set('port', patch.port);
    if (patch.transport !== undefined) set('transport', patch.transport);
    if (patch.outboundProxy !== undefined)
      set('outbound_proxy', orNull(patch.outboundProxy?.trim().toLowerCase()));
    if (patch.authUsername !== undefined) set('auth_username', orNull(patch.authUsername));
    if (patch.password !== undefined) {
      const password = orNull(patch.password);
      set('password_enc', password === null ? null : this.secrets.encrypt(password, aad(id)));
    }
    if (patch.fromUser !== undefined) set('from_user', orNull(patch.fromUser));
    if (patch.fromDomain !== undefined)
      set('from_domain', orNull(patch.fromDomain && normaliseDomain(patch.fromDomain)));
    if (patch.callerId !== undefined) set('caller_id', orNull(patch.callerId));
    if (patch.register !== undefined) set('register', patch.register);
    if (patch.codecs !== undefined) set('codecs', [...patch.codecs]);
    if (patch.inboundAddresses !== undefined) set('inbound_addresses', [...patch.inboundAddresses]);
    if (patch.enabled !== undefined) set('enabled', patch.enabled);
    if (sets.length === 0) return current;
    try {
      const { rows } = await this.sql.query(
        `UPDATE trunks SET ${sets.join(', ')}, updated_at = now() WHERE tenant_id = $1 AND id = $2
         RETURNING ${TRUNK_COLUMNS}`,
        values,
      );
      if (!rows[0]) throw new NotFoundError('trunk');
      return toTrunk(rows[0]);
    } catch (error) {
      throw translate(error);
    }
  }

  /** Deletes the trunk with its routes and the DIDs tied to it. */
  async remove(tenantId: string, id: string): Promise<void> {
    if (!isUuid(id)) throw new NotFoundError('trunk');
    const { rowCount } = await this.sql.query('DELETE FROM trunks WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      id,
    ]);
    if (rowCount === 0) throw new NotFoundError('trunk');
  }

  // ─── Outbound routes ──────────────────────────────────────────────────────────────────

  /** The tenant's routes in the order they are tried. */
  async listRoutes(tenantId: string): Promise<OutboundRoute[]> {
    const { rows } = await this.sql.query(
      `SELECT id, tenant_id, trunk_id, pattern, strip, prepend, position FROM trunk_outbound_routes
       WHERE tenant_id = $1 ORDER BY position, created_at, id`,
      [tenantId],
    );
    return rows.map(toRoute);
  }

  async addRoute(tenantId: string, input: NewOutboundRoute): Promise<OutboundRoute> {
    assertNoProblems([
      ...checkRoute(input),
      ...(isUuid(input.trunkId) ? [] : [{ field: 'trunkId', message: 'no such trunk' }]),
    ]);
    try {
      const { rows } = await this.sql.query(
        `INSERT INTO trunk_outbound_routes (id, tenant_id, trunk_id, pattern, strip, prepend, position)
         VALUES ($1, $2, $3, $4, $5, $6,
           COALESCE($7, (SELECT COALESCE(max(position), 0) + 10 FROM trunk_outbound_routes WHERE tenant_id = $2)))
         RETURNING id, tenant_id, trunk_id, pattern, strip, prepend, position`,
        [
          randomUUID(),
          tenantId,
          input.trunkId,
          input.pattern.toUpperCase(),
          input.strip ?? 0,
          input.prepend ?? '',
          input.position ?? null,
        ],
      );
      return toRoute(rows[0]!);
    } catch (error) {
      if (sqlState(error) === FOREIGN_KEY_VIOLATION)
        throw new ValidationError([{ field: 'trunkId', message: 'no such trunk' }]);
      throw translate(error);
    }
  }

  async removeRoute(tenantId: string, id: string): Promise<void> {
    if (!isUuid(id)) throw new NotFoundError('route');
    const { rowCount } = await this.sql.query(
      'DELETE FROM trunk_outbound_routes WHERE tenant_id = $1 AND id = $2',
      [tenantId, id],
    );
    if (rowCount === 0) throw new NotFoundError('route');
  }

  // ─── DIDs ─────────────────────────────────────────────────────────────────────────────

  async listDids(tenantId: string): Promise<Did[]> {
    const { rows } = await this.sql.query(
      'SELECT id, tenant_id, number, extension, trunk_id FROM trunk_dids WHERE tenant_id = $1 ORDER BY number',
      [tenantId],
    );
    return rows.map(toDid);
  }

  async findDid(tenantId: string, number: string): Promise<Did | undefined> {
    const { rows } = await this.sql.query(
      'SELECT id, tenant_id, number, extension, trunk_id FROM trunk_dids WHERE tenant_id = $1 AND number = $2',
      [tenantId, number],
    );
    return rows[0] ? toDid(rows[0]) : undefined;
  }

  async addDid(tenantId: string, input: NewDid): Promise<Did> {
    const trunkId = orNull(input.trunkId);
    assertNoProblems([
      ...checkDid(input),
      ...(trunkId === null || isUuid(trunkId) ? [] : [{ field: 'trunkId', message: 'no such trunk' }]),
    ]);
    try {
      const { rows } = await this.sql.query(
        `INSERT INTO trunk_dids (id, tenant_id, number, extension, trunk_id) VALUES ($1, $2, $3, $4, $5)
         RETURNING id, tenant_id, number, extension, trunk_id`,
        [randomUUID(), tenantId, input.number, input.extension, trunkId],
      );
      return toDid(rows[0]!);
    } catch (error) {
      if (sqlState(error) === FOREIGN_KEY_VIOLATION)
        throw new ValidationError([{ field: 'trunkId', message: 'no such trunk' }]);
      if (sqlState(error) === UNIQUE_VIOLATION)
        throw new ConflictError(`the number ${input.number} is already a DID`, [
          { field: 'number', message: 'is already a DID' },
        ]);
      throw error;
    }
  }

  async removeDid(tenantId: string, idOrNumber: string): Promise<void> {
    const { rowCount } = await this.sql.query(
      isUuid(idOrNumber)
        ? 'DELETE FROM trunk_dids WHERE tenant_id = $1 AND id = $2'
        : 'DELETE FROM trunk_dids WHERE tenant_id = $1 AND number = $2',
      [tenantId, idOrNumber],
    );
    if (rowCount === 0) throw new NotFoundError('DID');
  }

  // ─── Policy ───────────────────────────────────────────────────────────────────────────

  async policy(tenantId: string): Promise<TrunkPolicy> {
    const { rows } = await this.sql.query(
      'SELECT external_calls, allowed_extensions FROM tenant_trunk_policy WHERE tenant_id = $1',
      [tenantId],
    );
    const row = rows[0];
    if (!row) return DEFAULT_TRUNK_POLICY;
    return {
      externalCalls: Boolean(row.external_calls),
      allowedExtensions: (row.allowed_extensions as string[] | null) ?? null,
    };
  }

  async setPolicy(tenantId: string, patch: Partial<TrunkPolicy>): Promise<TrunkPolicy> {
    const bad = (patch.allowedExtensions ?? []).findIndex((e) => !SIP_USER.test(e));
    if (bad >= 0)
      throw new ValidationError([
        { field: `allowedExtensions[${bad}]`, message: 'expected an extension number' },
      ]);
    const next = { ...(await this.policy(tenantId)), ...patch };
    try {
      await this.sql.query(
        `INSERT INTO tenant_trunk_policy (tenant_id, external_calls, allowed_extensions) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id) DO UPDATE SET external_calls = $2, allowed_extensions = $3, updated_at = now()`,
        [tenantId, next.externalCalls, next.allowedExtensions === null ? null : [...next.allowedExtensions]],
      );
    } catch (error) {
      if (sqlState(error) === FOREIGN_KEY_VIOLATION) throw new NotFoundError('tenant');
      throw error;
    }
    return next;
  }
}

function translate(error: unknown): unknown {
  if (sqlState(error) === UNIQUE_VIOLATION)
    return new ConflictError('a trunk with this name exists', [{ field: 'name', message: 'is taken' }]);
  if (sqlState(error) === FOREIGN_KEY_VIOLATION) return new NotFoundError('tenant');
  return error;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (value: string): boolean => UUID.test(value);
