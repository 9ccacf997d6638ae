// Address helpers: the transports hand the SIP core bare IP literals (IPv6 without brackets,
// IPv4-mapped IPv6 turned back into IPv4) so that Via `received` and connection lookups compare
// equal however the OS reported the address.
import { isIP } from 'node:net';

const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** `::ffff:192.0.2.1` → `192.0.2.1`; brackets dropped; other addresses unchanged. */
export function normalizeHost(host: string): string {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const mapped = MAPPED_V4.exec(bare);
  return mapped ? mapped[1]! : bare.toLowerCase();
}

/** 4, 6, or 0 for a name that needs resolving. */
export function ipFamily(host: string): 0 | 4 | 6 {
  return isIP(normalizeHost(host)) as 0 | 4 | 6;
}

/** The key of a remote address in the connection table. */
export function addressKey(protocol: string, host: string, port: number): string {
  return `${protocol}|${normalizeHost(host)}|${port}`;
}
