// `switchboard tenant add|list|remove|set-default`: organisations and their SIP domains.
import { ConflictError, type Tenant } from '@switchboard/db';
import { parseCommandArgs, stringFlag } from './args.ts';
import { withData } from '../data.ts';
import { CliError, UsageError } from './errors.ts';
import type { Io } from './io.ts';
import { formatTable } from './table.ts';
import { resolveTenant } from './tenant-lookup.ts';

export const TENANT_USAGE = `usage:
  switchboard tenant add NAME --domain DOMAIN [--default]
  switchboard tenant list [--json]
  switchboard tenant remove DOMAIN [--force]
  switchboard tenant set-default DOMAIN

The first tenant becomes the default one: it also answers SIP addressed to this server's own
addresses. remove --force also deletes the tenant's extensions and call records.
`;

const tenantJson = (t: Tenant, extensions?: number) => ({
  id: t.id,
  name: t.name,
  sipDomain: t.sipDomain,
  isDefault: t.isDefault,
  ...(extensions === undefined ? {} : { extensions }),
  createdAt: t.createdAt.toISOString(),
});

export async function runTenant(argv: readonly string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'add': {
      const args = parseCommandArgs(rest, { domain: { type: 'string' }, default: { type: 'boolean' } }, 1);
      const name = args.positionals[0];
      if (name === undefined) throw new UsageError('tenant add needs a NAME (quote it if it has spaces)');
      const domain = stringFlag(args, 'domain', true);
      return withData(args.config, async ({ repos }) => {
        const tenant = await repos.tenants.create({
          name,
          sipDomain: domain,
          ...(args.values.default === true ? { isDefault: true } : {}),
        });
        io.out(
          `added tenant ${tenant.name} (${tenant.sipDomain})${tenant.isDefault ? ', the default tenant' : ''}\n`,
        );
        return 0;
      });
    }
    case 'list': {
      const args = parseCommandArgs(rest, { json: { type: 'boolean' } }, 0);
      return withData(args.config, async ({ repos }) => {
        const tenants = await repos.tenants.list();
        const counts = await Promise.all(tenants.map((t) => repos.sipAccounts.count({ tenantId: t.id })));
        if (args.values.json === true) {
          io.out(
            `${JSON.stringify(
              tenants.map((t, i) => tenantJson(t, counts[i])),
              null,
              2,
            )}\n`,
          );
          return 0;
        }
        if (tenants.length === 0) {
          io.out('no tenants yet: add one with `switchboard tenant add NAME --domain DOMAIN`\n');
          return 0;
        }
        io.out(
          formatTable([
            ['DOMAIN', 'NAME', 'DEFAULT', 'ACCOUNTS'],
            ...tenants.map((t, i) => [t.sipDomain, t.name, t.isDefault ? 'yes' : '', String(counts[i])]),
          ]),
        );
        return 0;
      });
    }
    case 'remove': {
      const args = parseCommandArgs(rest, { force: { type: 'boolean' } }, 1);
      const domain = args.positionals[0];
      if (domain === undefined) throw new UsageError("tenant remove needs the tenant's DOMAIN");
      return withData(args.config, async ({ repos }) => {
        const tenant = await resolveTenant(repos, domain);
        await repos.tenants.remove(tenant.id, { force: args.values.force === true }).catch((err: unknown) => {
          if (err instanceof ConflictError) {
            throw new CliError(
              `${err.message.replace(/; remove them first.*$/, '')}; remove them first, or add --force to delete them and the tenant's call records too`,
            );
          }
          throw err;
        });
        io.out(`removed tenant ${tenant.name} (${tenant.sipDomain})\n`);
        return 0;
      });
    }
    case 'set-default': {
      const args = parseCommandArgs(rest, {}, 1);
      const domain = args.positionals[0];
      if (domain === undefined) throw new UsageError("tenant set-default needs the tenant's DOMAIN");
      return withData(args.config, async ({ repos }) => {
        const tenant = await repos.tenants.setDefault((await resolveTenant(repos, domain)).id);
        io.out(`${tenant.name} (${tenant.sipDomain}) is now the default tenant\n`);
        return 0;
      });
    }
    case undefined:
      io.err(TENANT_USAGE);
      return 2;
    case 'help':
    case '--help':
      io.out(TENANT_USAGE);
      return 0;
    default:
      throw new CliError(`unknown tenant command ${JSON.stringify(sub)}\n\n${TENANT_USAGE}`, 2);
  }
}
