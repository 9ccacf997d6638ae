// The messages between the main thread and the worker thread that hosts PGlite
// (pglite-worker.ts ⇄ pglite-worker-main.ts), and how errors cross the thread boundary.
// Everything else (rows, parameters: Date, Uint8Array, bigint, arrays, JSON values) crosses as
// is: postMessage uses the structured clone algorithm, which keeps those types.
import { messages } from '@electric-sql/pglite';
import type { QueryResult } from '../sql.ts';

export interface PgliteWorkerInit {
  readonly dataDir: string;
}

/** Main thread → worker. `tx` names a transaction the worker holds open (from `begin`). */
export type WorkerRequest =
  | {
      readonly op: 'query';
      readonly text: string;
      readonly params?: readonly unknown[];
      readonly tx?: number;
    }
  | { readonly op: 'exec'; readonly script: string; readonly tx?: number }
  | { readonly op: 'begin' }
  | { readonly op: 'commit'; readonly tx: number }
  | { readonly op: 'rollback'; readonly tx: number }
  | { readonly op: 'listen' }
  | { readonly op: 'unlisten' }
  | { readonly op: 'close' };

/** What each request resolves to. */
export interface WorkerReplies {
  query: QueryResult;
  exec: undefined;
  begin: number;
  commit: undefined;
  rollback: undefined;
  listen: undefined;
  unlisten: undefined;
  close: undefined;
}

/** An Error flattened to data: its class name, message, stack and primitive fields (code, …). */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  /** `DatabaseError` of PGlite: rebuilt as that class on the main thread. */
  readonly database: boolean;
  readonly fields: Record<string, string | number | boolean | null>;
}

/** Worker → main thread. */
export type WorkerMessage =
  | { readonly kind: 'ready'; readonly location: string }
  | { readonly kind: 'failed'; readonly error: SerializedError }
  | { readonly kind: 'reply'; readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly kind: 'reply'; readonly id: number; readonly ok: false; readonly error: SerializedError }
  /** A NOTIFY payload on the changes channel (heard before the writer's reply is sent). */
  | { readonly kind: 'change'; readonly payload: string }
  | { readonly kind: 'resync' };

const SKIPPED = new Set(['name', 'message', 'stack']);

export function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error))
    return { name: 'Error', message: String(err), stack: undefined, database: false, fields: {} };
  const fields: Record<string, string | number | boolean | null> = {};
  // Only primitive own fields: PGlite's DatabaseError carries code, constraint, detail, table, …
  // (and the query's parameters, which need not be cloneable and are left behind).
  for (const [key, value] of Object.entries(err)) {
    if (SKIPPED.has(key)) continue;
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value))
      fields[key] = value as string | number | boolean | null;
  }
  return {
    name: err.name,
    message: err.message,
    stack: err.stack,
    database: err instanceof messages.DatabaseError,
    fields,
  };
}

const STANDARD: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
};

/** The error as the caller would have got it from an in-thread PGlite (same class and fields). */
export function deserializeError(data: SerializedError): Error {
  const err: Error = data.database
    ? new messages.DatabaseError(data.message, 0, 'error')
    : new (STANDARD[data.name] ?? Error)(data.message);
  Object.assign(err, data.fields);
  if (err.name !== data.name) err.name = data.name;
  // The worker's stack says where PGlite failed; the caller's own frames follow on `await`.
  if (data.stack !== undefined) err.stack = data.stack;
  return err;
}
