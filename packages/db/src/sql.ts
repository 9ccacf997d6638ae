// The one small interface every repository talks to: parameterised queries and transactions.
// Both backends (embedded PGlite, a real PostgreSQL through `pg`) implement it, so the SQL in
// the repositories is written once, in the PostgreSQL dialect.
import type { ChangeListener, ChangeSubscription } from './changes/data-change.ts';

/** A row as the driver returns it, before a repository maps it to a typed value. */
export type SqlRow = Record<string, unknown>;

export interface QueryResult<R extends SqlRow = SqlRow> {
  readonly rows: R[];
  /** Rows returned (SELECT) or changed (INSERT/UPDATE/DELETE). */
  readonly rowCount: number;
}

export interface Sql {
  /**
   * Runs one statement with `$1, $2, …` parameters. Values are strings, numbers, booleans,
   * null, Date, Uint8Array, or arrays of those (sent as PostgreSQL arrays).
   */
  query<R extends SqlRow = SqlRow>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Runs a script of one or more statements without parameters (migrations). */
  exec(script: string): Promise<void>;
  /**
   * Runs `fn` in a transaction: COMMIT when it resolves, ROLLBACK when it throws (the error is
   * rethrown). Inside a transaction, a nested call opens a SAVEPOINT.
   */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
}

export type Backend = 'pglite' | 'postgres';

export interface Database {
  readonly sql: Sql;
  readonly backend: Backend;
  /** Where the data lives, safe to log (a URL without its password, or a directory). */
  readonly location: string;
  /**
   * Calls `listener` for every committed change of a watched table (migration 0006), whoever
   * made it: this handle, another process through the embedded database's socket, another node
   * on the same PostgreSQL. Resolves once listening. See changes/data-change.ts.
   */
  subscribeChanges(listener: ChangeListener): Promise<ChangeSubscription>;
  close(): Promise<void>;
}

export interface Session {
  query(text: string, params?: readonly unknown[]): Promise<QueryResult>;
  exec(script: string): Promise<void>;
}

/** Wraps one database session already inside a transaction; nested transactions become savepoints. */
export function sessionSql(session: Session, depth = 1): Sql {
  const run = session.query;
  const sql: Sql = {
    query: run as Sql['query'],
    exec: session.exec,
    async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
      const name = `sb_sp_${depth}`;
      await run(`SAVEPOINT ${name}`);
      try {
        const result = await fn(sessionSql(session, depth + 1));
        await run(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (err) {
        await run(`ROLLBACK TO SAVEPOINT ${name}`);
        throw err;
      }
    },
  };
  return sql;
}
