// The API's one error type: a stable code from the catalogue (@switchboard/contracts), a message
// for people, and the bad fields. Services throw it; the error handler turns it into JSON.
import { ERROR_STATUS, type ErrorCode, type ErrorDetail } from '@switchboard/contracts';

export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = (what: string): ApiError => new ApiError('not_found', `${what} not found`);

export const invalid = (details: readonly ErrorDetail[]): ApiError =>
  new ApiError('validation_failed', details.map((d) => `${d.field}: ${d.message}`).join('; '), details);

/** Throws one validation error listing every problem, or returns when there is none. */
export function assertFields(...problems: (ErrorDetail | undefined | false)[]): void {
  const list = problems.filter((p): p is ErrorDetail => Boolean(p));
  if (list.length > 0) throw invalid(list);
}
