// The logger the transports write to. Its shape is the (fields, message) call of pino, so the
// server passes its pino child logger straight in; tests pass a recorder. Packages never use
// console (ARCHITECTURE.md), so without a logger nothing is written.

export type LogFields = Readonly<Record<string, unknown>>;

export interface TransportLogger {
  debug(fields: LogFields, message: string): void;
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
}

const ignore = (): void => {};

/** Writes nothing; the default. */
export const silentLogger: TransportLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
