// The only reader of process.env. Configuration is read and validated once, failing fast with
// every bad variable listed (STYLE.md: "Config is read and validated once").

export interface PortRange {
  readonly min: number;
  readonly max: number;
}

export interface Config {
  readonly host: string;
  readonly httpPort: number;
  readonly sipPort: number;
  readonly sipPublicAddress: string | undefined;
  readonly rtpPorts: PortRange;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly smtpUrl: string | undefined;
  readonly secretKey: string | undefined;
  readonly tlsCert: string | undefined;
  readonly tlsKey: string | undefined;
  readonly logLevel: string;
  /** Digest algorithms offered in SIP challenges, most preferred first. */
  readonly sipAuthAlgorithms: readonly ('MD5' | 'SHA-256')[];
  /** Base URL users and devices reach the web apps at (links in e-mails, QR codes). */
  readonly publicUrl: string | undefined;
  /** Parent SIP domain for new organisations (`acme.<domain>`); the first one gets it as is. */
  readonly sipDomain: string | undefined;
  /** Behind a reverse proxy: trust X-Forwarded-For/-Proto from it (rate limits per real client). */
  readonly trustProxy: boolean;
  /** Overload protection: new SIP requests get 503 + Retry-After past these (0 disables one). */
  readonly sipOverload: {
    readonly maxPendingRequests: number;
    readonly maxLagMs: number;
    readonly retryAfterS: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Parses configuration from environment variables, with CLI flags taking precedence. */
export function loadConfig(overrides: Env = {}, env: Env = process.env): Config {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const value = overrides[name] ?? env[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const port = (name: string, fallback: number, allowZero = true): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n > 65535 || (!allowZero && n === 0)) {
      problems.push(`${name}=${JSON.stringify(raw)}: expected a port number 0-65535`);
      return fallback;
    }
    return n;
  };
  const count = (name: string, fallback: number, min = 0): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > 1_000_000_000) {
      problems.push(`${name}=${JSON.stringify(raw)}: expected a whole number ≥ ${min}`);
      return fallback;
    }
    return n;
  };
  const rtpPorts = ((): PortRange => {
    const raw = get('RTP_PORTS') ?? '10000-20000';
    const m = /^(\d+)-(\d+)$/.exec(raw);
    const min = m ? Number(m[1]) : NaN;
    const max = m ? Number(m[2]) : NaN;
    if (!m || min < 1024 || max > 65535 || min >= max) {
      problems.push(`RTP_PORTS=${JSON.stringify(raw)}: expected LOW-HIGH within 1024-65535, LOW < HIGH`);
      return { min: 10000, max: 20000 };
    }
    return { min, max };
  })();
  const logLevel = get('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`LOG_LEVEL=${JSON.stringify(logLevel)}: expected one of ${LOG_LEVELS.join(', ')}`);
  const algorithms = (get('SIP_AUTH_ALGORITHMS') ?? 'MD5').split(',').map((a) => a.trim().toUpperCase());
  if (algorithms.length === 0 || algorithms.some((a) => a !== 'MD5' && a !== 'SHA-256'))
    problems.push(
      `SIP_AUTH_ALGORITHMS=${JSON.stringify(get('SIP_AUTH_ALGORITHMS'))}: expected MD5, SHA-256 or both, comma-separated`,
    );
  const publicUrl = get('PUBLIC_URL');
  if (publicUrl !== undefined && !/^https?:\/\/[^/\s]+(\/.*)?$/.test(publicUrl))
    problems.push(`PUBLIC_URL=${JSON.stringify(publicUrl)}: expected an http:// or https:// URL`);
  const sipDomain = get('SIP_DOMAIN');
  if (
    sipDomain !== undefined &&
    !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(sipDomain)
  )
    problems.push(`SIP_DOMAIN=${JSON.stringify(sipDomain)}: expected a domain name`);
  const trustProxy = get('TRUST_PROXY') ?? 'false';
  if (!['true', 'false'].includes(trustProxy))
    problems.push(`TRUST_PROXY=${JSON.stringify(trustProxy)}: expected true or false`);
  const databaseUrl = get('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL: expected a postgres:// or postgresql:// URL');
  }
  const tlsCert = get('SIP_TLS_CERT');
  const tlsKey = get('SIP_TLS_KEY');
  if ((tlsCert === undefined) !== (tlsKey === undefined))
    problems.push('SIP_TLS_CERT and SIP_TLS_KEY must be set together');

  const config: Config = {
    host: get('HOST') ?? '127.0.0.1',
    httpPort: port('HTTP_PORT', 8080),
    sipPort: port('SIP_PORT', 5060),
    sipPublicAddress: get('SIP_PUBLIC_ADDRESS'),
    rtpPorts,
    dataDir: get('DATA_DIR') ?? './data',
    databaseUrl,
    smtpUrl: get('SMTP_URL'),
    secretKey: get('SECRET_KEY'),
    tlsCert,
    tlsKey,
    logLevel,
    publicUrl: publicUrl?.replace(/\/+$/, ''),
    sipDomain: sipDomain?.toLowerCase(),
    trustProxy: trustProxy === 'true',
    sipOverload: {
      maxPendingRequests: count('SIP_OVERLOAD_MAX_PENDING', 2000),
      maxLagMs: count('SIP_OVERLOAD_MAX_LAG_MS', 500),
      retryAfterS: count('SIP_OVERLOAD_RETRY_AFTER', 5, 1),
    },
    sipAuthAlgorithms: algorithms.filter((a): a is 'MD5' | 'SHA-256' => a === 'MD5' || a === 'SHA-256'),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
