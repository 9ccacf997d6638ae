// The error catalogue of @switchboard/db. Codes are stable: the API maps them to HTTP statuses
// and the CLI prints their messages.

export type DbErrorCode = 'not_found' | 'conflict' | 'validation' | 'forbidden';

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
  /** For bulk operations: the position of the offending item in the input (0-based). */
  readonly index?: number;
}

export class DbError extends Error {
  constructor(
    readonly code: DbErrorCode,
    message: string,
    readonly details: readonly FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'DbError';
  }
}

export class NotFoundError extends DbError {
  constructor(what: string) {
    super('not_found', `${what} not found`);
    this.name = 'NotFoundError';
  }
}

/** A unique key is taken (a SIP domain, a user name in a provider, …). */
export class ConflictError extends DbError {
  constructor(message: string, details: readonly FieldProblem[] = []) {
    super('conflict', message, details);
    this.name = 'ConflictError';
  }
}

/** Input that breaks a rule; `details` lists every bad field. */
export class ValidationError extends DbError {
  constructor(details: readonly FieldProblem[]) {
    super('validation', details.map((d) => `${d.field}: ${d.message}`).join('; '), details);
    this.name = 'ValidationError';
  }
}

/** The operation is never allowed (deleting the built-in PBX provider, …). */
export class ForbiddenError extends DbError {
  constructor(message: string) {
    super('forbidden', message);
    this.name = 'ForbiddenError';
  }
}

interface PgErrorLike {
  code?: unknown;
  constraint?: unknown;
}

/** PostgreSQL SQLSTATE of a driver error (both backends expose `.code`). */
export function sqlState(err: unknown): string | undefined {
  const code = (err as PgErrorLike | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The constraint named by a driver error, when PostgreSQL reports one. */
export function constraintOf(err: unknown): string | undefined {
  const constraint = (err as PgErrorLike | null)?.constraint;
  return typeof constraint === 'string' ? constraint : undefined;
}

export const UNIQUE_VIOLATION = '23505';
export const FOREIGN_KEY_VIOLATION = '23503';
export const RESTRICT_VIOLATION = '23001';
