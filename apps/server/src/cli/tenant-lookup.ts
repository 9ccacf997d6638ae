// Finds the tenant a command means: the one with --domain, or the default tenant.
import type { Repositories, Tenant } from '@switchboard/db';
import { CliError } from './errors.ts';

export async function resolveTenant(repos: Repositories, domain: string | undefined): Promise<Tenant> {
  if (domain !== undefined) {
    const tenant = await repos.tenants.findBySipDomain(domain);
    if (!tenant)
      throw new CliError(
        `no tenant has the SIP domain ${JSON.stringify(domain)} (see: switchboard tenant list)`,
      );
    return tenant;
  }
  const fallback = await repos.tenants.getDefault();
  if (!fallback) {
    throw new CliError(
      'there is no tenant yet: create one with `switchboard tenant add NAME --domain DOMAIN` (the first becomes the default)',
    );
  }
  return fallback;
}
