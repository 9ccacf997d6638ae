// host = hostname / IPv4address / IPv6reference (RFC 3261 §25.1; IPv6 per RFC 5118).

const HOSTNAME_CHARS = (() => {
  const t = new Uint8Array(128);
  for (let c = 0x30; c <= 0x39; c++) t[c] = 1;
  for (let c = 0x41; c <= 0x5a; c++) t[c] = 1;
  for (let c = 0x61; c <= 0x7a; c++) t[c] = 1;
  t[0x2d] = 1; // -
  t[0x2e] = 1; // .
  // NOTE: "_" is not in the hostname grammar but appears in real deployments; tolerated.
  t[0x5f] = 1;
  return t;
})();

/** A character allowed in a hostname or IPv4 address (and "_", tolerated). */
export function isHostnameChar(c: number): boolean {
  return c < 128 && HOSTNAME_CHARS[c] === 1;
}

/** Checks an IPv6 address (without brackets): hex groups, at most one `::`, optional IPv4 tail. */
export function isIPv6(input: string): boolean {
  const s = tolerateTripleColon(input);
  if (s.length < 2) return false;
  const double = s.indexOf('::');
  if (double !== -1 && s.indexOf('::', double + 1) !== -1) return false;
  let groups = s.split(':');
  // Leading or trailing "::" yield empty strings at the ends.
  let limit = 8;
  const last = groups[groups.length - 1] as string;
  if (last.indexOf('.') !== -1) {
    if (!isIPv4(last)) return false;
    groups = groups.slice(0, -1);
    limit = 6;
    if (groups.length > 0 && groups[groups.length - 1] === '' && double === -1) return false;
  }
  let count = 0;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i] as string;
    if (g === '') {
      // Allowed only as part of the "::".
      if (double === -1) return false;
      continue;
    }
    if (g.length > 4) return false;
    for (let j = 0; j < g.length; j++) {
      const c = g.charCodeAt(j);
      const hex = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
      if (!hex) return false;
    }
    count++;
  }
  return double === -1 ? count === limit : count < limit;
}

/**
 * RFC 5118 §4.10: RFC 3261's ABNF lets "2001:db8:::192.0.2.1" through (three colons before an
 * embedded IPv4 address); receivers should tolerate it and read it as "2001:db8::192.0.2.1".
 */
export function tolerateTripleColon(s: string): string {
  const at = s.indexOf(':::');
  if (at === -1 || s.indexOf(':::', at + 1) !== -1) return s;
  const tail = s.slice(at + 3);
  return tail.indexOf(':') === -1 && tail.indexOf('.') !== -1 ? s.slice(0, at) + '::' + tail : s;
}

export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  if (parts.length !== 4) return false;
  for (const p of parts) {
    if (p.length === 0 || p.length > 3) return false;
    for (let j = 0; j < p.length; j++) {
      const c = p.charCodeAt(j);
      if (c < 0x30 || c > 0x39) return false;
    }
    if (Number(p) > 255) return false;
  }
  return true;
}

/**
 * Validates a host as written in a URI or Via: `[IPv6]`, IPv4 or a hostname. Returns a
 * reason when invalid, undefined when valid.
 */
export function checkHost(host: string): string | undefined {
  if (host === '') return 'empty host';
  if (host.charCodeAt(0) === 0x5b /* [ */) {
    if (host.charCodeAt(host.length - 1) !== 0x5d) return `unterminated IPv6 reference "${host}"`;
    return isIPv6(host.slice(1, -1)) ? undefined : `invalid IPv6 address "${host}"`;
  }
  for (let i = 0; i < host.length; i++) {
    if (!isHostnameChar(host.charCodeAt(i))) {
      if (host.indexOf(':') !== -1 && isIPv6(host)) return `IPv6 address "${host}" must be in brackets`;
      return `invalid character "${host[i]}" in host "${host}"`;
    }
  }
  if (host.charCodeAt(0) === 0x2e || host.charCodeAt(0) === 0x2d) return `invalid host "${host}"`;
  return undefined;
}

/** Parses a port: 1-5 digits, 0..65535. */
export function parsePort(s: string): number | undefined {
  if (s.length === 0 || s.length > 5) return undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  const n = Number(s);
  return n <= 65535 ? n : undefined;
}

/** Host in canonical comparison form: lower case, IPv6 without brackets normalised loosely. */
export function hostKey(host: string): string {
  return host.toLowerCase();
}
