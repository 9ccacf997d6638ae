// `switchboard trunk add|list|remove`, `trunk route add|list|remove` and `trunk policy`: SIP
// trunks to providers, the outbound routes that pick a trunk for a dialled number, and the
// external-call policy (docs/trunks.md); DIDs are in did.ts. Without --domain they act on the
// default tenant. A running server picks the changes up at once (database change notifications,
// docs/trunks.md, "How changes reach a running server").
import { ConflictError, ValidationError, type Repositories, type Tenant, type Trunk } from '@switchboard/db';
import { parseCommandArgs, stringFlag, type ParsedArgs } from './args.ts';
import { withData } from '../data.ts';
import { CliError, UsageError } from './errors.ts';
import type { Io } from './io.ts';
import { formatTable } from './table.ts';
import { resolveTenant } from './tenant-lookup.ts';

export const TRUNK_USAGE = `usage:
  switchboard trunk add NAME --host HOST [--port 5060] [--transport udp|tcp|tls] [--proxy HOST[:PORT]]
        [--username AUTH_USER --password SECRET] [--caller-id NUMBER] [--from-user USER]
        [--from-domain DOMAIN] [--register] [--codecs PCMA,PCMU] [--inbound-addresses IP[/N],…]
        [--disabled] [--domain DOMAIN]
  switchboard trunk list [--domain DOMAIN] [--json]
  switchboard trunk remove NAME [--domain DOMAIN]
  switchboard trunk route add --trunk NAME --pattern PATTERN [--strip N] [--prepend DIGITS] [--domain DOMAIN]
  switchboard trunk route list [--domain DOMAIN] [--json]
  switchboard trunk route remove ID [--domain DOMAIN]
  switchboard trunk policy --external on|off [--extensions all|1001,1002] [--domain DOMAIN]

Patterns: digits, + * #, X (0-9), Z (1-9), N (2-9), [1-5], a final . (one or more) or ! (zero
or more); e.g. --pattern 0X. --strip 1 --prepend +44. External calls are off until
\`trunk policy --external on\`. See docs/trunks.md.
`;

const FLAGS: Record<string, string> = {
  name: 'NAME',
  host: '--host',
  port: '--port',
  transport: '--transport',
  outboundProxy: '--proxy',
  authUsername: '--username',
  password: '--password',
  fromUser: '--from-user',
  fromDomain: '--from-domain',
  callerId: '--caller-id',
  codecs: '--codecs',
  pattern: '--pattern',
  strip: '--strip',
  prepend: '--prepend',
  trunkId: '--trunk',
  number: 'NUMBER',
  extension: '--extension',
};

/** Repository errors in the command's own terms (flags, not field names). */
export function inFlagTerms(err: unknown): unknown {
  if (err instanceof ValidationError)
    return new UsageError(
      err.details
        .map(
          (d) =>
            `${FLAGS[d.field] ?? (d.field.startsWith('inboundAddresses') ? '--inbound-addresses' : d.field)}: ${d.message}`,
        )
        .join('; '),
    );
  if (err instanceof ConflictError) return new CliError(err.message);
  return err;
}

function intFlag(args: ParsedArgs, name: string): number | undefined {
  const value = stringFlag(args, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw new UsageError(`--${name}: expected a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

const list = (value: string | undefined): string[] | undefined =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');

export async function trunkByName(repos: Repositories, tenant: Tenant, name: string): Promise<Trunk> {
  const trunk = await repos.trunks.findByName(tenant.id, name);
  if (!trunk)
    throw new CliError(
      `no trunk named ${JSON.stringify(name)} in ${tenant.sipDomain} (see: switchboard trunk list)`,
    );
  return trunk;
}

export const print = (io: Io, json: boolean, rows: object[], table: string[][], empty: string): void => {
  if (json) io.out(`${JSON.stringify(rows, null, 2)}\n`);
  else if (rows.length === 0) io.out(`${empty}\n`);
  else io.out(formatTable(table));
};

export async function runTrunk(argv: readonly string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'add': {
      const args = parseCommandArgs(
        rest,
        {
          domain: { type: 'string' },
          host: { type: 'string' },
          port: { type: 'string' },
          transport: { type: 'string' },
          proxy: { type: 'string' },
          username: { type: 'string' },
          password: { type: 'string' },
          'caller-id': { type: 'string' },
          'from-user': { type: 'string' },
          'from-domain': { type: 'string' },
          register: { type: 'boolean' },
          codecs: { type: 'string' },
          'inbound-addresses': { type: 'string' },
          disabled: { type: 'boolean' },
        },
        1,
      );
      const name = args.positionals[0];
      if (name === undefined) throw new UsageError('trunk add needs the trunk NAME');
      const host = stringFlag(args, 'host', true);
      const transport = stringFlag(args, 'transport');
      if (transport !== undefined && !['udp', 'tcp', 'tls'].includes(transport))
        throw new UsageError(`--transport: expected udp, tcp or tls, got ${JSON.stringify(transport)}`);
      const username = stringFlag(args, 'username');
      const password = stringFlag(args, 'password');
      if ((username === undefined) !== (password === undefined))
        throw new UsageError('--username and --password go together (digest credentials at the provider)');
      const port = intFlag(args, 'port');
      const codecs = list(stringFlag(args, 'codecs'))?.map((c) => c.toUpperCase());
      const inbound = list(stringFlag(args, 'inbound-addresses'));
      return withData(args.config, async ({ repos }) => {
        const tenant = await resolveTenant(repos, stringFlag(args, 'domain'));
        const trunk = await repos.trunks
          .create({
            tenantId: tenant.id,
            name,
            host,
            ...(port !== undefined && { port }),
            ...(transport !== undefined && { transport: transport as Trunk['transport'] }),
            outboundProxy: stringFlag(args, 'proxy') ?? null,
            authUsername: username ?? null,
            password: password ?? null,
            callerId: stringFlag(args, 'caller-id') ?? null,
            fromUser: stringFlag(args, 'from-user') ?? null,
            fromDomain: stringFlag(args, 'from-domain') ?? null,
            register: args.values.register === true,
            ...(codecs && { codecs: codecs as Trunk['codecs'] }),
            ...(inbound && { inboundAddresses: inbound }),
            enabled: args.values.disabled !== true,
          })
          .catch((err: unknown) => {
            throw inFlagTerms(err);
          });
        io.out(
          `added trunk ${trunk.name} (${trunk.host}:${trunk.port}/${trunk.transport}) to ${tenant.sipDomain}\n`,
        );
        return 0;
      });
    }
    case 'list': {
      const args = parseCommandArgs(rest, { domain: { type: 'string' }, json: { type: 'boolean' } }, 0);
      return withData(args.config, async ({ repos }) => {
        const tenant = await resolveTenant(repos, stringFlag(args, 'domain'));
        const trunks = await repos.trunks.list(tenant.id);
        print(
          io,
          args.values.json === true,
          trunks.map((t) => ({
            ...t,
            createdAt: t.createdAt.toISOString(),
            updatedAt: t.updatedAt.toISOString(),
          })),
          [
            ['NAME', 'SERVER', 'USER', 'CALLER ID', 'REGISTER', 'ENABLED'],
            ...trunks.map((t) => [
              t.name,
              `${t.transport}:${t.host}:${t.port}`,
              t.authUsername ?? '-',
              t.callerId ?? '-',
              t.register ? 'yes' : 'no',
              t.enabled ? 'yes' : 'no',
            ]),
          ],
          'no trunks',
        );
        return 0;
      });
    }
    case 'remove': {
      const args = parseCommandArgs(rest, { domain: { type: 'string' } }, 1);
      const name = args.positionals[0];
      if (name === undefined) throw new UsageError('trunk remove needs the trunk NAME');
      return withData(args.config, async ({ repos }) => {
        const tenant = await resolveTenant(repos, stringFlag(args, 'domain'));
        const trunk = await trunkByName(repos, tenant, name);
        await repos.trunks.remove(tenant.id, trunk.id);
        io.out(`removed trunk ${name} (and its routes) from ${tenant.sipDomain}\n`);
        return 0;
      });
    }
    case 'route':
      return runRoute(rest, io);
    case 'policy': {
      const args = parseCommandArgs(
        rest,
        { domain: { type: 'string' }, external: { type: 'string' }, extensions: { type: 'string' } },
        0,
      );
      const external = stringFlag(args, 'external');
      if (external !== undefined && external !== 'on' && external !== 'off')
        throw new UsageError(`--external: expected on or off, got ${JSON.stringify(external)}`);
      const extensions = stringFlag(args, 'extensions');
      return withData(args.config, async ({ repos }) => {
        const tenant = await resolveTenant(repos, stringFlag(args, 'domain'));
        const policy = await repos.trunks
          .setPolicy(tenant.id, {
            ...(external !== undefined && { externalCalls: external === 'on' }),
            ...(extensions !== undefined && {
              allowedExtensions: extensions === 'all' ? null : (list(extensions) ?? []),
            }),
          })
          .catch((err: unknown) => {
            throw err instanceof ValidationError ? new UsageError(`--extensions: ${err.message}`) : err;
          });
        const who =
          policy.allowedExtensions === null ? 'every extension' : policy.allowedExtensions.join(', ');
        io.out(`${tenant.sipDomain}: external calls ${policy.externalCalls ? `on (${who})` : 'off'}\n`);
        return 0;
      });
    }
    case undefined:
      io.err(TRUNK_USAGE);
      return 2;
    case 'help':
    case '--help':
      io.out(TRUNK_USAGE);
      return 0;
    default:
      throw new CliError(`unknown trunk command ${JSON.stringify(sub)}\n\n${TRUNK_USAGE}`, 2);
  }
}

async function runRoute(argv: readonly string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'add': {
      const args = parseCommandArgs(
        rest,
        {
          domain: { type: 'string' },
          trunk: { type: 'string' },
          pattern: { type: 'string' },
          strip: { type: 'string' },
          prepend: { type: 'string' },
        },
        0,
      );
      const trunkName = stringFlag(args, 'trunk', true);
      const pattern = stringFlag(args, 'pattern', true);
      const strip = intFlag(args, 'strip');
      const prepend = stringFlag(args, 'prepend');
      return withData(args.config, async ({ repos }) => {
        const tenant = await resolveTenant(repos, stringFlag(args, 'domain'));
        const trunk = await trunkByName(repos, tenant, trunkName);
        const route = await repos.trunks
          .addRoute(tenant.id, {
            trunkId: trunk.id,
            pattern,
            ...(strip !== undefined && { strip }),
            ...(prepend !== undefined && { prepend }),
          })
          .catch((err: unknown) => {
            throw inFlagTerms(err);
          });
        io.out(
          `added route ${route.id}: ${route.pattern} → ${trunk.name} (strip ${route.strip}, prepend "${route.prepend}")\n`,
        );
        return 0;
      });
    }
    case 'list': {
      const args = parseCommandArgs(rest, { domain: { type: 'string' }, json: { type: 'boolean' } }, 0);
      return withData(args.config, async ({ repos }) => {
        const tenant = await resolveTenant(repos, stringFlag(args, 'domain'));
        const routes = await repos.trunks.listRoutes(tenant.id);
        const names = new Map((await repos.trunks.list(tenant.id)).map((t) => [t.id, t.name]));
        print(
          io,
          args.values.json === true,
          routes.map((r) => ({ ...r, trunk: names.get(r.trunkId) })),
          [
            ['ID', 'PATTERN', 'STRIP', 'PREPEND', 'TRUNK'],
            ...routes.map((r) => [r.id, r.pattern, String(r.strip), r.prepend, names.get(r.trunkId) ?? '?']),
          ],
          'no outbound routes',
        );
        return 0;
      });
    }
    case 'remove': {
      const args = parseCommandArgs(rest, { domain: { type: 'string' } }, 1);
      const id = args.positionals[0];
      if (id === undefined)
        throw new UsageError('trunk route remove needs the route ID (see: trunk route list)');
      return withData(args.config, async ({ repos }) => {
        const tenant = await resolveTenant(repos, stringFlag(args, 'domain'));
        await repos.trunks.removeRoute(tenant.id, id);
        io.out(`removed route ${id}\n`);
        return 0;
      });
    }
    default:
      throw new CliError(`unknown trunk route command ${JSON.stringify(sub ?? '')}\n\n${TRUNK_USAGE}`, 2);
  }
}
