// Service providers of a tenant. The built-in one is this server's PBX: created with the
// tenant, never deleted (a trigger enforces it too). External SIP providers arrive with the
// management portal; the table already holds their fields (host, port, proxy, transport).
import { randomUUID } from 'node:crypto';
import { ForbiddenError, NotFoundError, RESTRICT_VIOLATION, sqlState } from '../errors.ts';
import type { Sql, SqlRow } from '../sql.ts';
import { assertValid, checkDomain, checkPort, checkText, normaliseDomain } from '../validation.ts';
import { asDate, asStringOrNull } from './row.ts';

export const BUILTIN_PROVIDER_NAME = 'Switchboard PBX';

export type SipTransport = 'udp' | 'tcp' | 'tls';
export const SIP_TRANSPORTS: readonly SipTransport[] = ['udp', 'tcp', 'tls'];

export interface Provider {
  readonly id: string;
  readonly tenantId: string;
  /** The built-in PBX (true) or an external SIP provider. */
  readonly builtIn: boolean;
  readonly name: string;
  /** SIP server host; null for the built-in provider (it is this server). */
  readonly host: string | null;
  readonly port: number;
  readonly proxy: string | null;
  readonly transport: SipTransport;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface NewProvider {
  readonly tenantId: string;
  readonly name: string;
  readonly host: string;
  readonly port?: number;
  readonly proxy?: string | null;
  readonly transport?: SipTransport;
}

const COLUMNS = 'id, tenant_id, kind, name, host, port, proxy, transport, created_at, updated_at';

function toProvider(row: SqlRow): Provider {
  return {
    id: String(row.id),
    tenantId: String(row.tenant_id),
    builtIn: row.kind === 'builtin',
    name: String(row.name),
    host: asStringOrNull(row.host),
    port: Number(row.port),
    proxy: asStringOrNull(row.proxy),
    transport: row.transport as SipTransport,
    createdAt: asDate(row.created_at),
    updatedAt: asDate(row.updated_at),
  };
}

export class ProviderRepository {
  constructor(private readonly sql: Sql) {}

  /** The tenant's built-in PBX provider (every tenant has exactly one). */
  async getBuiltIn(tenantId: string): Promise<Provider> {
    const { rows } = await this.sql.query(
      `SELECT ${COLUMNS} FROM providers WHERE tenant_id = $1 AND kind = 'builtin'`,
      [tenantId],
    );
    if (!rows[0]) throw new NotFoundError('tenant');
    return toProvider(rows[0]);
  }

  /** The built-in provider first, then the others by name. */
  async list(tenantId: string): Promise<Provider[]> {
    const { rows } = await this.sql.query(
      `SELECT ${COLUMNS} FROM providers WHERE tenant_id = $1 ORDER BY kind = 'builtin' DESC, name, id`,
      [tenantId],
    );
    return rows.map(toProvider);
  }

  async findById(tenantId: string, id: string): Promise<Provider | undefined> {
    const { rows } = await this.sql.query(
      `SELECT ${COLUMNS} FROM providers WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    return rows[0] ? toProvider(rows[0]) : undefined;
  }

  /** Adds an external SIP provider. */
  async create(input: NewProvider): Promise<Provider> {
    const name = input.name.trim();
    const host = normaliseDomain(input.host);
    const proxy = input.proxy ? input.proxy.trim() : null;
    const port = input.port ?? 5060;
    const transport = input.transport ?? 'udp';
    assertValid(
      checkText('name', name, 1, 200),
      checkDomain('host', host),
      checkPort('port', port),
      proxy === null ? undefined : checkText('proxy', proxy, 1, 255),
      SIP_TRANSPORTS.includes(transport)
        ? undefined
        : { field: 'transport', message: 'expected udp, tcp or tls' },
    );
    const { rows } = await this.sql.query(
      `INSERT INTO providers (id, tenant_id, kind, name, host, port, proxy, transport)
       SELECT $1, t.id, 'sip', $3, $4, $5, $6, $7 FROM tenants t WHERE t.id = $2
       RETURNING ${COLUMNS}`,
      [randomUUID(), input.tenantId, name, host, port, proxy, transport],
    );
    if (!rows[0]) throw new NotFoundError('tenant');
    return toProvider(rows[0]);
  }

  /** Deletes an external provider and its accounts. The built-in provider is refused. */
  async remove(tenantId: string, id: string): Promise<void> {
    try {
      const { rowCount } = await this.sql.query('DELETE FROM providers WHERE tenant_id = $1 AND id = $2', [
        tenantId,
        id,
      ]);
      if (rowCount === 0) throw new NotFoundError('provider');
    } catch (err) {
      if (sqlState(err) === RESTRICT_VIOLATION)
        throw new ForbiddenError('the built-in PBX provider cannot be deleted');
      throw err;
    }
  }
}
