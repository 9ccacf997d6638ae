// Devices, their ordered accounts (lines), activation state, configuration versions and the
// presence data the device reports (heartbeats, line registration states).
import { randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { Sql, SqlRow } from '../sql.ts';
import type { AccountAssignment, Device, DeviceLine, LineState } from './device.ts';
import { asDate, asDateOrNull, asStringOrNull } from './row.ts';

const SELECT = `SELECT d.id, d.tenant_id, d.contact_id, d.name, d.os, d.app_version, d.activated_at,
  d.instructions_sent_at, d.instructions_sent_to, d.config_version, d.fetched_version, d.last_seen_at,
  d.created_at, d.updated_at,
  coalesce((SELECT json_agg(json_build_object('accountId', a.account_id, 'state', a.line_state,
      'reportedAt', a.line_reported_at) ORDER BY a.position)
    FROM device_accounts a WHERE a.device_id = d.id), '[]'::json) AS lines
  FROM devices d`;

interface RawLine {
  accountId: string;
  state: LineState | null;
  reportedAt: string | null;
}

function toDevice(row: SqlRow): Device {
  const raw = (typeof row.lines === 'string' ? JSON.parse(row.lines) : row.lines) as RawLine[];
  const lines: DeviceLine[] = raw.map((l) => ({
    accountId: l.accountId,
    state: l.state,
    reportedAt: l.reportedAt === null ? null : new Date(l.reportedAt),
  }));
  return {
    id: String(row.id),
    tenantId: String(row.tenant_id),
    contactId: String(row.contact_id),
    name: String(row.name),
    accountIds: lines.map((l) => l.accountId),
    lines,
    os: asStringOrNull(row.os),
    appVersion: asStringOrNull(row.app_version),
    activatedAt: asDateOrNull(row.activated_at),
    instructionsSentAt: asDateOrNull(row.instructions_sent_at),
    instructionsSentTo: asStringOrNull(row.instructions_sent_to),
    configVersion: Number(row.config_version),
    fetchedVersion: Number(row.fetched_version),
    lastSeenAt: asDateOrNull(row.last_seen_at),
    createdAt: asDate(row.created_at),
    updatedAt: asDate(row.updated_at),
  };
}

export interface ListDevices {
  readonly tenantId: string;
  readonly contactId?: string;
  readonly limit?: number;
  readonly offset?: number;
}

export class DeviceRepository {
  constructor(private readonly sql: Sql) {}

  async create(input: {
    tenantId: string;
    contactId: string;
    name: string;
    accountIds: readonly string[];
  }): Promise<Device> {
    const id = randomUUID();
    await this.sql.transaction(async (tx) => {
      const contact = await tx.query('SELECT 1 FROM contacts WHERE tenant_id = $1 AND id = $2', [
        input.tenantId,
        input.contactId,
      ]);
      if (contact.rowCount === 0) throw new NotFoundError('contact');
      await tx.query('INSERT INTO devices (id, tenant_id, contact_id, name) VALUES ($1, $2, $3, $4)', [
        id,
        input.tenantId,
        input.contactId,
        input.name.trim(),
      ]);
      await this.writeAccounts(tx, input.tenantId, id, input.accountIds);
    });
    return (await this.findById(input.tenantId, id))!;
  }

  async findById(tenantId: string, id: string): Promise<Device | undefined> {
    const { rows } = await this.sql.query(`${SELECT} WHERE d.tenant_id = $1 AND d.id = $2`, [tenantId, id]);
    return rows[0] ? toDevice(rows[0]) : undefined;
  }

  /** The activated device holding this credential hash. */
  async findByTokenHash(tokenHash: string): Promise<Device | undefined> {
    const { rows } = await this.sql.query(`${SELECT} WHERE d.token_hash = $1`, [tokenHash]);
    return rows[0] ? toDevice(rows[0]) : undefined;
  }

  async list(options: ListDevices): Promise<{ items: Device[]; total: number }> {
    const where = 'd.tenant_id = $1 AND ($2::uuid IS NULL OR d.contact_id = $2)';
    const params = [options.tenantId, options.contactId ?? null];
    const { rows } = await this.sql.query(
      `${SELECT} WHERE ${where} ORDER BY lower(d.name), d.created_at, d.id LIMIT $3 OFFSET $4`,
      [...params, options.limit ?? 100, options.offset ?? 0],
    );
    const count = await this.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM devices d WHERE ${where}`,
      params,
    );
    return { items: rows.map(toDevice), total: count.rows[0]?.n ?? 0 };
  }

  /** Devices using any of these accounts. */
  async listByAccounts(tenantId: string, accountIds: readonly string[]): Promise<Device[]> {
    const { rows } = await this.sql.query(
      `${SELECT} WHERE d.tenant_id = $1 AND EXISTS (SELECT 1 FROM device_accounts a
         WHERE a.device_id = d.id AND a.account_id = ANY($2::uuid[])) ORDER BY d.created_at, d.id`,
      [tenantId, accountIds],
    );
    return rows.map(toDevice);
  }

  /** Activated devices last seen in [from, to): those whose heartbeat just ran out (presence sweep). */
  async listLastSeenBetween(from: Date, to: Date): Promise<Device[]> {
    const { rows } = await this.sql.query(
      `${SELECT} WHERE d.activated_at IS NOT NULL AND d.last_seen_at >= $1 AND d.last_seen_at < $2`,
      [from, to],
    );
    return rows.map(toDevice);
  }

  /** Changes name and/or accounts; the configuration version goes up. */
  async update(
    tenantId: string,
    id: string,
    patch: { name?: string; accountIds?: readonly string[] },
  ): Promise<Device> {
    await this.sql.transaction(async (tx) => {
      const { rowCount } = await tx.query(
        `UPDATE devices SET name = coalesce($3, name), config_version = config_version + 1, updated_at = now()
         WHERE tenant_id = $1 AND id = $2`,
        [tenantId, id, patch.name?.trim() ?? null],
      );
      if (rowCount === 0) throw new NotFoundError('device');
      if (patch.accountIds) {
        await tx.query('DELETE FROM device_accounts WHERE device_id = $1', [id]);
        await this.writeAccounts(tx, tenantId, id, patch.accountIds);
      }
    });
    return (await this.findById(tenantId, id))!;
  }

  async move(tenantId: string, id: string, contactId: string): Promise<Device> {
    const contact = await this.sql.query('SELECT 1 FROM contacts WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      contactId,
    ]);
    if (contact.rowCount === 0)
      throw new ValidationError([{ field: 'contactId', message: 'no such contact' }]);
    const { rowCount } = await this.sql.query(
      'UPDATE devices SET contact_id = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2',
      [tenantId, id, contactId],
    );
    if (rowCount === 0) throw new NotFoundError('device');
    return (await this.findById(tenantId, id))!;
  }

  async remove(tenantId: string, id: string): Promise<void> {
    const { rowCount } = await this.sql.query('DELETE FROM devices WHERE tenant_id = $1 AND id = $2', [
      tenantId,
      id,
    ]);
    if (rowCount === 0) throw new NotFoundError('device');
  }

  /** Raises the configuration version of these devices; returns the new versions by id. */
  async bumpConfig(tenantId: string, ids: readonly string[]): Promise<Map<string, number>> {
    const { rows } = await this.sql.query(
      `UPDATE devices SET config_version = config_version + 1, updated_at = now()
       WHERE tenant_id = $1 AND id = ANY($2::uuid[]) RETURNING id, config_version`,
      [tenantId, ids],
    );
    return new Map(rows.map((r) => [String(r.id), Number(r.config_version)]));
  }

  async markInstructionsSent(tenantId: string, id: string, to: string, now: Date): Promise<void> {
    await this.sql.query(
      `UPDATE devices SET instructions_sent_at = $3, instructions_sent_to = $4, updated_at = now()
       WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id, now, to],
    );
  }

  /** Binds a credential to the device (activation). */
  async activate(
    id: string,
    input: { tokenHash: string; os: string; appVersion: string; now: Date },
  ): Promise<Device> {
    const { rows } = await this.sql.query(
      `UPDATE devices SET token_hash = $2, os = $3, app_version = $4, activated_at = $5, last_seen_at = $5,
         instructions_sent_at = NULL, instructions_sent_to = NULL, updated_at = now()
       WHERE id = $1 RETURNING tenant_id`,
      [id, input.tokenHash, input.os, input.appVersion, input.now],
    );
    if (!rows[0]) throw new NotFoundError('device');
    return (await this.findById(String(rows[0].tenant_id), id))!;
  }

  /** Revokes the device credential: the device is "not activated" again. */
  async deactivate(tenantId: string, id: string): Promise<void> {
    await this.sql.query(
      `UPDATE devices SET token_hash = NULL, activated_at = NULL, last_seen_at = NULL, instructions_sent_at = NULL,
         instructions_sent_to = NULL, fetched_version = 0, updated_at = now()
       WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    await this.sql.query(
      'UPDATE device_accounts SET line_state = NULL, line_reported_at = NULL WHERE device_id = $1',
      [id],
    );
  }

  async markFetched(id: string, version: number, now: Date): Promise<void> {
    await this.sql.query(
      'UPDATE devices SET fetched_version = greatest(fetched_version, $2), last_seen_at = $3 WHERE id = $1',
      [id, version, now],
    );
  }

  async touch(id: string, now: Date, appVersion?: string): Promise<void> {
    await this.sql.query(
      'UPDATE devices SET last_seen_at = $2, app_version = coalesce($3, app_version) WHERE id = $1',
      [id, now, appVersion ?? null],
    );
  }

  /** Stores the registration state the device reports per line; unknown accounts are ignored. */
  async reportLines(
    id: string,
    lines: readonly { accountId: string; state: LineState }[],
    now: Date,
  ): Promise<number> {
    let n = 0;
    for (const line of lines) {
      const { rowCount } = await this.sql.query(
        'UPDATE device_accounts SET line_state = $3, line_reported_at = $4 WHERE device_id = $1 AND account_id = $2',
        [id, line.accountId, line.state, now],
      );
      n += rowCount;
    }
    return n;
  }

  /** Who uses these accounts (all of the tenant's when `accountIds` is undefined). */
  async assignments(tenantId: string, accountIds?: readonly string[]): Promise<AccountAssignment[]> {
    const { rows } = await this.sql.query(
      `SELECT a.account_id, d.id AS device_id, d.name AS device_name, c.id AS contact_id,
              c.first_name || ' ' || c.last_name AS contact_name, d.activated_at IS NOT NULL AS activated,
              d.last_seen_at, a.line_state
       FROM device_accounts a JOIN devices d ON d.id = a.device_id JOIN contacts c ON c.id = d.contact_id
       WHERE d.tenant_id = $1 AND ($2::uuid[] IS NULL OR a.account_id = ANY($2::uuid[]))
       ORDER BY lower(d.name), d.id`,
      [tenantId, accountIds ?? null],
    );
    return rows.map((r) => ({
      accountId: String(r.account_id),
      deviceId: String(r.device_id),
      deviceName: String(r.device_name),
      contactId: String(r.contact_id),
      contactName: String(r.contact_name),
      activated: Boolean(r.activated),
      lastSeenAt: asDateOrNull(r.last_seen_at),
      lineState: (r.line_state ?? null) as LineState | null,
    }));
  }

  private async writeAccounts(
    tx: Sql,
    tenantId: string,
    deviceId: string,
    accountIds: readonly string[],
  ): Promise<void> {
    const { rows } = await tx.query<{ id: string }>(
      'SELECT id FROM sip_accounts WHERE tenant_id = $1 AND id = ANY($2::uuid[])',
      [tenantId, accountIds],
    );
    const known = new Set(rows.map((r) => r.id));
    const problems = accountIds.flatMap((accountId, index) =>
      known.has(accountId) ? [] : [{ field: 'accountIds', index, message: `no SIP account ${accountId}` }],
    );
    if (problems.length > 0) throw new ValidationError(problems);
    for (const [position, accountId] of accountIds.entries()) {
      await tx.query('INSERT INTO device_accounts (device_id, position, account_id) VALUES ($1, $2, $3)', [
        deviceId,
        position,
        accountId,
      ]);
    }
  }
}
