// Via sent-by and Contact need a concrete address, never the wildcard a socket may be bound to.
// A wildcard listener reports the loopback address to loopback peers and the first external
// interface address otherwise; production setups behind NAT configure a public address instead
// (NodeTransportOptions.publicAddress, from SIP_PUBLIC_ADDRESS).
import { networkInterfaces } from 'node:os';
import { ipFamily, normalizeHost } from './address.ts';

const WILDCARDS = new Set(['0.0.0.0', '::', '']);

export function isWildcard(host: string): boolean {
  return WILDCARDS.has(normalizeHost(host));
}

/** `listenerHost` itself, or for a wildcard listener a concrete address to reach `remoteHost` from. */
export function concreteHost(listenerHost: string, remoteHost: string): string {
  if (!isWildcard(listenerHost)) return listenerHost;
  const remote = normalizeHost(remoteHost);
  const family = ipFamily(remote) === 6 ? 6 : 4;
  if (remote === '127.0.0.1' || remote.startsWith('127.')) return '127.0.0.1';
  if (remote === '::1') return '::1';
  return externalAddress(family);
}

/** Interface lookups are system calls; a wildcard UDP listener asks per datagram, so cache. */
const CACHE_MS = 30_000;
const cache = new Map<4 | 6, { readonly address: string; readonly at: number }>();

function externalAddress(family: 4 | 6): string {
  const now = Date.now();
  const cached = cache.get(family);
  if (cached !== undefined && now - cached.at < CACHE_MS) return cached.address;
  let found = family === 6 ? '::1' : '127.0.0.1';
  search: for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (!address.internal && address.family === `IPv${family}` && !address.address.startsWith('fe80:')) {
        found = address.address;
        break search;
      }
    }
  }
  cache.set(family, { address: found, at: now });
  return found;
}
