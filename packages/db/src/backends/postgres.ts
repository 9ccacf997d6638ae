// A real PostgreSQL server through node-postgres' connection pool. A transaction takes one
// client from the pool for its whole life (BEGIN … COMMIT on the same connection).
import pg from 'pg';
import { postgresChanges } from './postgres-listener.ts';
import { sessionSql, type Database, type QueryResult, type Session, type Sql } from '../sql.ts';

const INT8_OID = 20;

export interface PostgresOptions {
  /** Largest number of connections the pool opens (default 10). */
  readonly maxConnections?: number;
  /** Called when an idle pooled connection fails (the pool drops it and opens a new one later). */
  readonly onIdleError?: (err: Error) => void;
}

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgresql://(unparseable URL)';
  }
}

function session(client: pg.ClientBase | pg.Pool): Session {
  return {
    async query(text, params): Promise<QueryResult> {
      const result = await client.query(text, params ? [...params] : undefined);
      return {
        rows: result.rows as Record<string, unknown>[],
        rowCount: result.rowCount ?? result.rows.length,
      };
    },
    async exec(script) {
      // Without parameters node-postgres uses the simple query protocol: several statements are fine.
      await client.query(script);
    },
  };
}

export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Database> {
  return openPostgresPool(
    { connectionString: url, max: options.maxConnections ?? 10 },
    redactUrl(url),
    options.onIdleError,
  );
}

/** A pool from node-postgres settings; `location` names it in messages (no secrets). */
export async function openPostgresPool(
  config: pg.PoolConfig,
  location: string,
  onIdleError?: (err: Error) => void,
): Promise<Database> {
  const pool = new pg.Pool({
    ...config,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as never,
    },
  });
  pool.on('error', (err) => onIdleError?.(err));
  // Fail now, with the server's own message, rather than at the first repository call.
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new Error(`cannot connect to PostgreSQL at ${location}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const base = session(pool);
  const sql: Sql = {
    query: base.query as Sql['query'],
    exec: base.exec,
    async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        try {
          const result = await fn(sessionSql(session(client)));
          await client.query('COMMIT');
          return result;
        } catch (err) {
          await client.query('ROLLBACK').catch((rollbackErr: Error) => {
            broken = rollbackErr;
          });
          throw err;
        }
      } finally {
        // A connection whose ROLLBACK failed is in an unknown state: destroy it, never reuse it.
        client.release(broken);
      }
    },
  };
  const changes = postgresChanges(config, onIdleError ? { onError: onIdleError } : {});
  return {
    sql,
    backend: 'postgres',
    location,
    subscribeChanges: (listener) => changes.subscribe(listener),
    async close() {
      await changes.close();
      await pool.end();
    },
  };
}
