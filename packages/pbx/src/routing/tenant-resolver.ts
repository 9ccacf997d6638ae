// Which tenant a request belongs to (admission step "identify the tenant"). A tenant owns its
// SIP domain; the default tenant also answers for the server's own addresses, so a
// single-company install needs no DNS.
import type { Directory, Tenant } from '../store/directory.ts';

export type IsLocalHost = (host: string) => boolean;

export async function resolveTenant(
  directory: Directory,
  isLocalHost: IsLocalHost,
  host: string,
): Promise<Tenant | undefined> {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const byDomain = await directory.tenantByDomain(bare);
  if (byDomain) return byDomain;
  return isLocalHost(bare) ? directory.defaultTenant() : undefined;
}
