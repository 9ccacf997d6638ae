// The app's own log: what the support team gets with "Get help". A bounded ring of entries kept
// in memory and mirrored to localStorage (so a reload after a problem still has it); never holds
// a password or token (callers pass only what is safe; `redact` strips the obvious ones).
import type { SipLogger } from '@switchboard/sip';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogEntry {
  readonly at: string;
  readonly level: LogLevel;
  readonly area: string;
  readonly message: string;
  readonly fields?: Record<string, unknown>;
}

const STORAGE_KEY = 'switchboard.phone.log';
const MAX_ENTRIES = 1000;
const SECRET_FIELD = /password|token|authorization|secret/i;

function redact(fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!fields) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) out[key] = SECRET_FIELD.test(key) ? '[redacted]' : value;
  return out;
}

export class AppLog {
  private entries: LogEntry[] = [];
  private persistTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly storage: Storage | undefined = globalThis.localStorage) {
    try {
      const saved = storage?.getItem(STORAGE_KEY);
      if (saved) this.entries = (JSON.parse(saved) as LogEntry[]).slice(-MAX_ENTRIES);
    } catch {
      this.entries = [];
    }
  }

  add(level: LogLevel, area: string, message: string, fields?: Record<string, unknown>): void {
    const safe = redact(fields);
    this.entries.push({ at: new Date().toISOString(), level, area, message, ...(safe && { fields: safe }) });
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    this.persistSoon();
  }

  debug = (area: string, message: string, fields?: Record<string, unknown>) =>
    this.add('debug', area, message, fields);
  info = (area: string, message: string, fields?: Record<string, unknown>) =>
    this.add('info', area, message, fields);
  warn = (area: string, message: string, fields?: Record<string, unknown>) =>
    this.add('warn', area, message, fields);
  error = (area: string, message: string, fields?: Record<string, unknown>) =>
    this.add('error', area, message, fields);

  list(): readonly LogEntry[] {
    return this.entries;
  }

  /** The log as text, one entry a line (the file attached to a support e-mail). */
  text(): string {
    return this.entries
      .map(
        (e) =>
          `${e.at} ${e.level.toUpperCase().padEnd(5)} [${e.area}] ${e.message}${e.fields ? ' ' + JSON.stringify(e.fields) : ''}`,
      )
      .join('\n');
  }

  clear(): void {
    this.entries = [];
    this.storage?.removeItem(STORAGE_KEY);
  }

  /** A SipLogger for the SIP core (its debug lines are kept too: they are what support needs). */
  sipLogger(area: string): SipLogger {
    return {
      debug: (fields, message) => this.debug(area, message, fields),
      warn: (fields, message) => this.warn(area, message, fields),
      error: (fields, message) => this.error(area, message, fields),
    };
  }

  private persistSoon(): void {
    if (!this.storage || this.persistTimer !== undefined) return;
    this.persistTimer = setTimeout(() => {
      this.persistTimer = undefined;
      try {
        this.storage?.setItem(STORAGE_KEY, JSON.stringify(this.entries.slice(-MAX_ENTRIES)));
      } catch {
        // Storage full: the in-memory log still has everything.
      }
    }, 1000);
  }
}
