// `switchboard extension add|list|remove|import`: PBX extensions (SIP accounts on a tenant's
// built-in PBX provider). Without --domain, add/remove/import act on the default tenant.
import { ConflictError, ValidationError, type SipAccount, type Tenant } from '@switchboard/db';
import { parseCommandArgs, stringFlag } from './args.ts';
import { withData } from '../data.ts';
import { CliError, UsageError } from './errors.ts';
import { importExtensions } from './extension-import.ts';
import type { Io } from './io.ts';
import { formatTable } from './table.ts';
import { resolveTenant } from './tenant-lookup.ts';

export const EXTENSION_USAGE = `usage:
  switchboard extension add --number NUMBER --password SECRET [--name "DISPLAY NAME"] [--domain DOMAIN]
  switchboard extension list [--domain DOMAIN] [--json]
  switchboard extension remove NUMBER [--domain DOMAIN]
  switchboard extension import FILE.csv [--domain DOMAIN]

Without --domain, add, remove and import use the default tenant; list shows every tenant.
The CSV file has the header number,password,name (name may be left out); all rows are
imported, or none.
`;

const accountJson = (a: SipAccount, tenant: Tenant) => ({
  id: a.id,
  domain: tenant.sipDomain,
  number: a.username,
  name: a.displayName,
  enabled: a.enabled,
  createdAt: a.createdAt.toISOString(),
});

/** Says what went wrong with the names of the command's flags. */
function inFlagTerms(err: unknown, number: string, tenant: Tenant): unknown {
  if (err instanceof ConflictError)
    return new CliError(`extension ${number} already exists in ${tenant.sipDomain}`);
  if (err instanceof ValidationError) {
    const flag: Record<string, string> = {
      username: '--number',
      displayName: '--name',
      password: '--password',
    };
    return new UsageError(err.details.map((d) => `${flag[d.field] ?? d.field}: ${d.message}`).join('; '));
  }
  return err;
}

export async function runExtension(argv: readonly string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'add': {
      const args = parseCommandArgs(
        rest,
        {
          domain: { type: 'string' },
          number: { type: 'string' },
          password: { type: 'string' },
          name: { type: 'string' },
        },
        0,
      );
      const number = stringFlag(args, 'number', true);
      const password = stringFlag(args, 'password', true);
      const name = stringFlag(args, 'name');
      return withData(args.config, async ({ repos }) => {
        const tenant = await resolveTenant(repos, stringFlag(args, 'domain'));
        const account = await repos.sipAccounts
          .create({
            tenantId: tenant.id,
            username: number,
            password,
            ...(name === undefined ? {} : { displayName: name }),
          })
          .catch((err: unknown) => {
            throw inFlagTerms(err, number, tenant);
          });
        io.out(
          `added extension ${account.username}${account.displayName ? ` (${account.displayName})` : ''} to ${tenant.sipDomain}\n`,
        );
        return 0;
      });
    }
    case 'list': {
      const args = parseCommandArgs(rest, { domain: { type: 'string' }, json: { type: 'boolean' } }, 0);
      const domain = stringFlag(args, 'domain');
      return withData(args.config, async ({ repos }) => {
        const tenants =
          domain === undefined ? await repos.tenants.list() : [await resolveTenant(repos, domain)];
        const rows: [SipAccount, Tenant][] = [];
        for (const tenant of tenants) {
          const builtIn = await repos.providers.getBuiltIn(tenant.id);
          for (const account of await repos.sipAccounts.list({
            tenantId: tenant.id,
            providerId: builtIn.id,
          })) {
            rows.push([account, tenant]);
          }
        }
        if (args.values.json === true) {
          io.out(
            `${JSON.stringify(
              rows.map(([a, t]) => accountJson(a, t)),
              null,
              2,
            )}\n`,
          );
        } else if (rows.length === 0) {
          io.out('no extensions\n');
        } else {
          io.out(
            formatTable([
              ['DOMAIN', 'NUMBER', 'NAME', 'ENABLED'],
              ...rows.map(([a, t]) => [t.sipDomain, a.username, a.displayName, a.enabled ? 'yes' : 'no']),
            ]),
          );
        }
        return 0;
      });
    }
    case 'remove': {
      const args = parseCommandArgs(rest, { domain: { type: 'string' }, number: { type: 'string' } }, 1);
      const number = args.positionals[0] ?? stringFlag(args, 'number');
      if (number === undefined) throw new UsageError('extension remove needs the NUMBER');
      return withData(args.config, async ({ repos }) => {
        const tenant = await resolveTenant(repos, stringFlag(args, 'domain'));
        await repos.sipAccounts.removeExtension(tenant.id, number);
        io.out(`removed extension ${number} from ${tenant.sipDomain}\n`);
        return 0;
      });
    }
    case 'import': {
      const args = parseCommandArgs(rest, { domain: { type: 'string' } }, 1);
      const file = args.positionals[0];
      if (file === undefined) throw new UsageError('extension import needs a CSV FILE');
      return importExtensions(args.config, file, stringFlag(args, 'domain'), io);
    }
    case undefined:
      io.err(EXTENSION_USAGE);
      return 2;
    case 'help':
    case '--help':
      io.out(EXTENSION_USAGE);
      return 0;
    default:
      throw new CliError(`unknown extension command ${JSON.stringify(sub)}\n\n${EXTENSION_USAGE}`, 2);
  }
}
