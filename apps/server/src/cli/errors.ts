// How CLI commands fail: a UsageError (exit 2: the command line is wrong) or a CliError
// (exit 1: the command was understood but could not be done). describeFailure maps the
// errors of the layers below to one of the two, with a message an operator can act on.
import { DataDirLockedError, DbError, MigrationError, SecretKeyMismatchError } from '@switchboard/db';
import { ConfigError } from '../config.ts';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface Failure {
  readonly message: string;
  readonly exitCode: number;
}

/** The message and exit code for an error thrown by a command; undefined for a bug. */
export function describeFailure(err: unknown): Failure | undefined {
  if (err instanceof UsageError || err instanceof ConfigError)
    return { message: err.message, exitCode: EXIT_USAGE };
  if (err instanceof CliError) return { message: err.message, exitCode: err.exitCode };
  // A value given on the command line breaks a rule: the command line is wrong.
  if (err instanceof DbError && err.code === 'validation')
    return { message: err.message, exitCode: EXIT_USAGE };
  if (err instanceof DbError) return { message: err.message, exitCode: EXIT_FAILURE };
  if (
    err instanceof DataDirLockedError ||
    err instanceof MigrationError ||
    err instanceof SecretKeyMismatchError
  ) {
    return { message: err.message, exitCode: EXIT_FAILURE };
  }
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^(E[A-Z]+|\d{2}[0-9A-Z]{3})$/.test(code)) {
    // A system call (ENOENT, ECONNREFUSED…) or PostgreSQL (SQLSTATE) error: its message is the story.
    return { message: (err as Error).message, exitCode: EXIT_FAILURE };
  }
  if (err instanceof Error && /^cannot connect to PostgreSQL/.test(err.message)) {
    return { message: err.message, exitCode: EXIT_FAILURE };
  }
  return undefined;
}
