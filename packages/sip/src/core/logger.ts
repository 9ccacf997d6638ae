// The logging the SIP core does goes through this interface; pino loggers satisfy it.
// Packages never use console (ARCHITECTURE.md).

export interface SipLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** A logger that drops everything (the default). */
export const silentLogger: SipLogger = {
  debug() {},
  warn() {},
  error() {},
};
