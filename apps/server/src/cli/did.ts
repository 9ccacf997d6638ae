// `switchboard did add|list|remove`: DIDs, the numbers whose inbound calls from a trunk ring an
// extension (docs/trunks.md). Without --domain they act on the default tenant.
import { parseCommandArgs, stringFlag } from './args.ts';
import { withData } from '../data.ts';
import { CliError, UsageError } from './errors.ts';
import type { Io } from './io.ts';
import { resolveTenant } from './tenant-lookup.ts';
import { inFlagTerms, print, trunkByName } from './trunk.ts';

export const DID_USAGE = `usage:
  switchboard did add NUMBER --extension EXTENSION [--trunk NAME] [--domain DOMAIN]
  switchboard did list [--domain DOMAIN] [--json]
  switchboard did remove NUMBER [--domain DOMAIN]

An inbound call from a trunk to NUMBER (as the provider sends it, e.g. +442079460001) rings
EXTENSION. With --trunk, only calls from that trunk.
`;

export async function runDid(argv: readonly string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'add': {
      const args = parseCommandArgs(
        rest,
        { domain: { type: 'string' }, extension: { type: 'string' }, trunk: { type: 'string' } },
        1,
      );
      const number = args.positionals[0];
      if (number === undefined) throw new UsageError('did add needs the NUMBER');
      const extension = stringFlag(args, 'extension', true);
      const trunkName = stringFlag(args, 'trunk');
      return withData(args.config, async ({ repos }) => {
        const tenant = await resolveTenant(repos, stringFlag(args, 'domain'));
        if (!(await repos.sipAccounts.findExtension(tenant.id, extension)))
          throw new CliError(
            `no extension ${extension} in ${tenant.sipDomain} (see: switchboard extension list)`,
          );
        const trunk = trunkName === undefined ? undefined : await trunkByName(repos, tenant, trunkName);
        const did = await repos.trunks
          .addDid(tenant.id, { number, extension, trunkId: trunk?.id ?? null })
          .catch((err: unknown) => {
            throw inFlagTerms(err);
          });
        io.out(
          `added DID ${did.number} → extension ${did.extension}${trunk ? ` (trunk ${trunk.name})` : ''}\n`,
        );
        return 0;
      });
    }
    case 'list': {
      const args = parseCommandArgs(rest, { domain: { type: 'string' }, json: { type: 'boolean' } }, 0);
      return withData(args.config, async ({ repos }) => {
        const tenant = await resolveTenant(repos, stringFlag(args, 'domain'));
        const dids = await repos.trunks.listDids(tenant.id);
        const names = new Map((await repos.trunks.list(tenant.id)).map((t) => [t.id, t.name]));
        print(
          io,
          args.values.json === true,
          dids,
          [
            ['NUMBER', 'EXTENSION', 'TRUNK'],
            ...dids.map((d) => [d.number, d.extension, d.trunkId ? (names.get(d.trunkId) ?? '?') : 'any']),
          ],
          'no DIDs',
        );
        return 0;
      });
    }
    case 'remove': {
      const args = parseCommandArgs(rest, { domain: { type: 'string' } }, 1);
      const number = args.positionals[0];
      if (number === undefined) throw new UsageError('did remove needs the NUMBER');
      return withData(args.config, async ({ repos }) => {
        const tenant = await resolveTenant(repos, stringFlag(args, 'domain'));
        await repos.trunks.removeDid(tenant.id, number);
        io.out(`removed DID ${number}\n`);
        return 0;
      });
    }
    case undefined:
      io.err(DID_USAGE);
      return 2;
    case 'help':
    case '--help':
      io.out(DID_USAGE);
      return 0;
    default:
      throw new CliError(`unknown did command ${JSON.stringify(sub)}\n\n${DID_USAGE}`, 2);
  }
}
