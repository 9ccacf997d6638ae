// Typed views of the Digest scheme's header values, on top of the generic auth-param syntax:
// challenges (WWW-Authenticate / Proxy-Authenticate, RFC 7616 §3.3), credentials
// (Authorization / Proxy-Authorization, §3.4) and Authentication-Info (§3.5), with the SIP
// rules of RFC 3261 §25.1 and RFC 8760.
//
// Parsing keeps every param (`params`) so unknown extensions survive; serialization writes the
// RFC's quoting: quoted realm/nonce/uri/response/cnonce/opaque, bare algorithm/qop/nc/stale.

import type { AuthItem, AuthParam, AuthResult } from './auth-params.ts';
import {
  getAuthParam,
  parseAuthHeaderRows,
  parseAuthParamList,
  quoteString,
  serializeAuthParams,
} from './auth-params.ts';

/** A parsed Digest challenge. */
export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly opaque?: string;
  /** stale=true: the previous nonce expired but the credentials were right (§3.3). */
  readonly stale: boolean;
  /** The algorithm token as sent; undefined means MD5 (RFC 2617 §3.2.1). */
  readonly algorithm?: string;
  /** qop options, lower-cased; empty when the challenge has no qop (RFC 2069 form). */
  readonly qop: readonly string[];
  readonly domain?: string;
  readonly userhash: boolean;
  /** Every param as received, extensions included. */
  readonly params: readonly AuthParam[];
}

/** What a server writes into a challenge. */
export interface DigestChallengeInit {
  readonly realm: string;
  readonly nonce: string;
  readonly algorithm?: string;
  readonly qop?: readonly string[];
  readonly opaque?: string;
  readonly stale?: boolean;
  readonly domain?: string;
}

/** Parsed Digest credentials from Authorization / Proxy-Authorization. */
export interface DigestCredentials {
  readonly username: string;
  readonly realm: string;
  readonly nonce: string;
  readonly uri: string;
  readonly response: string;
  readonly algorithm?: string;
  readonly cnonce?: string;
  readonly opaque?: string;
  readonly qop?: string;
  /** The nc-value as sent (8 hex digits); see parseNonceCount. */
  readonly nc?: string;
  readonly userhash: boolean;
  readonly params: readonly AuthParam[];
}

/** What a client writes into credentials. */
export interface DigestCredentialsInit {
  readonly username: string;
  readonly realm: string;
  readonly nonce: string;
  readonly uri: string;
  readonly response: string;
  readonly algorithm?: string;
  readonly cnonce?: string;
  readonly opaque?: string;
  readonly qop?: string;
  readonly nc?: string;
}

/** Authentication-Info (RFC 7616 §3.5; RFC 3261 §20.6). */
export interface AuthenticationInfo {
  readonly nextnonce?: string;
  readonly qop?: string;
  readonly rspauth?: string;
  readonly cnonce?: string;
  readonly nc?: string;
}

export function isDigestScheme(item: AuthItem): boolean {
  return item.scheme.toLowerCase() === 'digest';
}

/** Reads a Digest challenge from a generic item (which must have scheme Digest). */
export function toDigestChallenge(item: AuthItem): AuthResult<DigestChallenge> {
  if (!isDigestScheme(item)) return { ok: false, error: `scheme ${item.scheme} is not Digest` };
  if (item.token68 !== undefined) return { ok: false, error: 'Digest does not take a token68' };
  const realm = getAuthParam(item, 'realm');
  const nonce = getAuthParam(item, 'nonce');
  if (realm === undefined) return { ok: false, error: 'Digest challenge without realm' };
  if (nonce === undefined || nonce.length === 0)
    return { ok: false, error: 'Digest challenge without nonce' };
  const stale = getAuthParam(item, 'stale');
  const qop = getAuthParam(item, 'qop');
  const opaque = getAuthParam(item, 'opaque');
  const algorithm = getAuthParam(item, 'algorithm');
  const domain = getAuthParam(item, 'domain');
  return {
    ok: true,
    value: {
      realm,
      nonce,
      stale: stale !== undefined && stale.toLowerCase() === 'true',
      qop:
        qop === undefined
          ? []
          : qop
              .split(',')
              .map((q) => q.trim().toLowerCase())
              .filter((q) => q.length > 0),
      userhash: getAuthParam(item, 'userhash')?.toLowerCase() === 'true',
      params: item.params,
      ...(opaque !== undefined && { opaque }),
      ...(algorithm !== undefined && { algorithm }),
      ...(domain !== undefined && { domain }),
    },
  };
}

/** Reads Digest credentials from a generic item. */
export function toDigestCredentials(item: AuthItem): AuthResult<DigestCredentials> {
  if (!isDigestScheme(item)) return { ok: false, error: `scheme ${item.scheme} is not Digest` };
  if (item.token68 !== undefined) return { ok: false, error: 'Digest does not take a token68' };
  const required = ['username', 'realm', 'nonce', 'uri', 'response'] as const;
  const values: Partial<Record<(typeof required)[number], string>> = {};
  for (const name of required) {
    const v = getAuthParam(item, name);
    if (v === undefined) return { ok: false, error: `Digest credentials without ${name}` };
    values[name] = v;
  }
  const optional = (name: string): string | undefined => getAuthParam(item, name);
  const algorithm = optional('algorithm');
  const cnonce = optional('cnonce');
  const opaque = optional('opaque');
  const qop = optional('qop');
  const nc = optional('nc');
  return {
    ok: true,
    value: {
      username: values.username as string,
      realm: values.realm as string,
      nonce: values.nonce as string,
      uri: values.uri as string,
      response: values.response as string,
      userhash: optional('userhash')?.toLowerCase() === 'true',
      params: item.params,
      ...(algorithm !== undefined && { algorithm }),
      ...(cnonce !== undefined && { cnonce }),
      ...(opaque !== undefined && { opaque }),
      ...(qop !== undefined && { qop: qop.toLowerCase() }),
      ...(nc !== undefined && { nc }),
    },
  };
}

/** Splits header rows into Digest challenges, other schemes, and per-item errors. */
export interface ParsedChallenges {
  readonly digest: readonly DigestChallenge[];
  /** Challenges of other schemes (Basic, Bearer…), kept for the caller. */
  readonly other: readonly AuthItem[];
  /** Rows or Digest items that could not be read. */
  readonly errors: readonly string[];
}

/**
 * Parses WWW-Authenticate or Proxy-Authenticate rows (one string per header row). A bad row
 * does not hide the good ones: its error is listed and the rest are still returned.
 */
export function parseChallengeRows(rows: string | readonly string[]): ParsedChallenges {
  const digest: DigestChallenge[] = [];
  const other: AuthItem[] = [];
  const errors: string[] = [];
  for (const row of typeof rows === 'string' ? [rows] : rows) {
    const parsed = parseAuthHeaderRows([row]);
    if (!parsed.ok) {
      errors.push(parsed.error);
      continue;
    }
    for (const item of parsed.value) {
      if (!isDigestScheme(item)) {
        other.push(item);
        continue;
      }
      const c = toDigestChallenge(item);
      if (c.ok) digest.push(c.value);
      else errors.push(c.error);
    }
  }
  return { digest, other, errors };
}

/** Parses one Authorization / Proxy-Authorization row holding Digest credentials. */
export function parseDigestCredentials(row: string): AuthResult<DigestCredentials> {
  const parsed = parseAuthHeaderRows([row]);
  if (!parsed.ok) return parsed;
  const digest = parsed.value.filter(isDigestScheme);
  const [first] = digest;
  if (first === undefined) return { ok: false, error: 'no Digest credentials' };
  if (digest.length > 1) return { ok: false, error: 'several Digest credentials in one header' };
  return toDigestCredentials(first);
}

/** `Digest realm="…", qop="auth", algorithm=SHA-256, nonce="…", opaque="…"[, stale=true]`. */
export function serializeDigestChallenge(c: DigestChallengeInit): string {
  const parts = [`realm=${quoteString(c.realm)}`];
  if (c.domain !== undefined) parts.push(`domain=${quoteString(c.domain)}`);
  if (c.qop !== undefined && c.qop.length > 0) parts.push(`qop=${quoteString(c.qop.join(','))}`);
  if (c.algorithm !== undefined) parts.push(`algorithm=${c.algorithm}`);
  parts.push(`nonce=${quoteString(c.nonce)}`);
  if (c.opaque !== undefined) parts.push(`opaque=${quoteString(c.opaque)}`);
  if (c.stale === true) parts.push('stale=true');
  return `Digest ${parts.join(', ')}`;
}

/** Credentials in RFC 3261 §22.4 order; qop and nc bare as RFC 7616 §3.4 requires. */
export function serializeDigestCredentials(c: DigestCredentialsInit): string {
  const parts = [
    `username=${quoteString(c.username)}`,
    `realm=${quoteString(c.realm)}`,
    `nonce=${quoteString(c.nonce)}`,
    `uri=${quoteString(c.uri)}`,
    `response=${quoteString(c.response)}`,
  ];
  if (c.algorithm !== undefined) parts.push(`algorithm=${c.algorithm}`);
  if (c.cnonce !== undefined) parts.push(`cnonce=${quoteString(c.cnonce)}`);
  if (c.opaque !== undefined) parts.push(`opaque=${quoteString(c.opaque)}`);
  if (c.qop !== undefined) parts.push(`qop=${c.qop}`);
  if (c.nc !== undefined) parts.push(`nc=${c.nc}`);
  return `Digest ${parts.join(', ')}`;
}

export function parseAuthenticationInfo(value: string): AuthResult<AuthenticationInfo> {
  const r = parseAuthParamList(value);
  if (!r.ok) return r;
  const info: { -readonly [K in keyof AuthenticationInfo]: string } = {};
  for (const p of r.value) {
    if (
      p.name === 'nextnonce' ||
      p.name === 'qop' ||
      p.name === 'rspauth' ||
      p.name === 'cnonce' ||
      p.name === 'nc'
    ) {
      info[p.name] = p.value;
    }
  }
  return { ok: true, value: info };
}

export function serializeAuthenticationInfo(info: AuthenticationInfo): string {
  const params: AuthParam[] = [];
  if (info.nextnonce !== undefined) params.push({ name: 'nextnonce', value: info.nextnonce, quoted: true });
  if (info.qop !== undefined) params.push({ name: 'qop', value: info.qop, quoted: false });
  if (info.rspauth !== undefined) params.push({ name: 'rspauth', value: info.rspauth, quoted: true });
  if (info.cnonce !== undefined) params.push({ name: 'cnonce', value: info.cnonce, quoted: true });
  if (info.nc !== undefined) params.push({ name: 'nc', value: info.nc, quoted: false });
  return serializeAuthParams(params);
}
