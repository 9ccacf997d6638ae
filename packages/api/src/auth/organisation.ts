// Which tenant a new organisation becomes. On a fresh install the first organisation is the
// default tenant (an existing default tenant nobody administers yet, e.g. made by the CLI, is
// taken over); later ones get their own SIP domain `<slug>.<base>`.
import type { Repositories } from '@switchboard/db';
import { ApiError } from '../errors/api-error.ts';

export const DEFAULT_SIP_DOMAIN = 'switchboard.local';

/** `Acme Corp.` → `acme-corp`: a DNS label for the organisation's SIP domain. */
export function slug(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return s || 'org';
}

/** The tenant id for an organisation `name` (with reuseByName, an existing one of that name is used). */
export async function organisationFor(
  repos: Pick<Repositories, 'users' | 'tenants'>,
  name: string,
  website: string | null,
  base: string = DEFAULT_SIP_DOMAIN,
  options: { reuseByName?: boolean } = {},
): Promise<string> {
  if (options.reuseByName === true) {
    const same = (await repos.tenants.list()).find((t) => t.name.toLowerCase() === name.toLowerCase());
    if (same) return same.id;
  }
  if ((await repos.users.count()) === 0) {
    const existing = await repos.tenants.getDefault();
    if (existing) {
      await repos.users.updateOrganisation(existing.id, { name, website });
      return existing.id;
    }
    if ((await repos.tenants.list()).length === 0) {
      const tenant = await repos.tenants.create({ name, sipDomain: base, isDefault: true });
      if (website) await repos.users.updateOrganisation(tenant.id, { website });
      return tenant.id;
    }
  }
  const label = slug(name);
  for (let n = 1; n < 1000; n++) {
    const domain = `${n === 1 ? label : `${label}-${n}`}.${base}`;
    if (await repos.tenants.findBySipDomain(domain)) continue;
    const tenant = await repos.tenants.create({ name, sipDomain: domain, isDefault: false });
    if (website) await repos.users.updateOrganisation(tenant.id, { website });
    return tenant.id;
  }
  throw new ApiError('conflict', 'no free SIP domain for this organisation name');
}
