// `switchboard cdr list`: call detail records, newest first.
import type { Cdr, Tenant } from '@switchboard/db';
import { parseCommandArgs, stringFlag } from './args.ts';
import { withData } from '../data.ts';
import { CliError, UsageError } from './errors.ts';
import type { Io } from './io.ts';
import { formatTable } from './table.ts';
import { resolveTenant } from './tenant-lookup.ts';

export const CDR_USAGE = `usage:
  switchboard cdr list [--domain DOMAIN] [--limit N] [--json]

Newest first; --limit defaults to 50 (at most 10000). Without --domain, every tenant's calls.
A forwarded call's callee reads "1003 (via 1002)": the extensions that diverted it, in order.
`;

const cdrJson = (c: Cdr, domain: string) => ({
  id: c.id,
  domain,
  direction: c.direction,
  caller: c.caller,
  callee: c.callee,
  dialled: c.dialled,
  divertedFrom: c.divertedFrom,
  startedAt: c.startedAt.toISOString(),
  answeredAt: c.answeredAt?.toISOString() ?? null,
  endedAt: c.endedAt.toISOString(),
  durationMs: c.durationMs,
  billableSeconds: c.billableSeconds,
  disposition: c.disposition,
  hangupCause: c.hangupCause,
  hangupSide: c.hangupSide,
  sipStatus: c.sipStatus,
  sipCallIds: c.sipCallIds,
});

export async function runCdr(argv: readonly string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'help' || sub === '--help') {
    io.out(CDR_USAGE);
    return 0;
  }
  if (sub !== 'list') {
    if (sub === undefined) {
      io.err(CDR_USAGE);
      return 2;
    }
    throw new CliError(`unknown cdr command ${JSON.stringify(sub)}\n\n${CDR_USAGE}`, 2);
  }
  const args = parseCommandArgs(
    rest,
    { domain: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
    0,
  );
  const rawLimit = stringFlag(args, 'limit') ?? '50';
  const limit = Number(rawLimit);
  if (!/^\d+$/.test(rawLimit) || limit < 1 || limit > 10_000) {
    throw new UsageError(`--limit ${JSON.stringify(rawLimit)}: expected a number from 1 to 10000`);
  }
  const domain = stringFlag(args, 'domain');
  return withData(args.config, async ({ repos }) => {
    const tenant: Tenant | undefined = domain === undefined ? undefined : await resolveTenant(repos, domain);
    const cdrs = await repos.cdrs.list({ limit, ...(tenant ? { tenantId: tenant.id } : {}) });
    const domains = new Map((await repos.tenants.list()).map((t) => [t.id, t.sipDomain]));
    const domainOf = (c: Cdr) => domains.get(c.tenantId) ?? c.tenantId;
    if (args.values.json === true) {
      io.out(
        `${JSON.stringify(
          cdrs.map((c) => cdrJson(c, domainOf(c))),
          null,
          2,
        )}\n`,
      );
    } else if (cdrs.length === 0) {
      io.out('no call records\n');
    } else {
      io.out(
        formatTable([
          ['STARTED', 'DOMAIN', 'CALLER', 'CALLEE', 'DISPOSITION', 'TALK', 'DURATION', 'HANGUP'],
          ...cdrs.map((c) => [
            c.startedAt.toISOString().replace('T', ' ').slice(0, 19),
            domainOf(c),
            c.caller,
            c.divertedFrom.length === 0 ? c.callee : `${c.callee} (via ${c.divertedFrom.join(', ')})`,
            c.disposition + (c.sipStatus === null ? '' : ` (${c.sipStatus})`),
            `${c.billableSeconds}s`,
            `${(c.durationMs / 1000).toFixed(1)}s`,
            `${c.hangupCause} by ${c.hangupSide}`,
          ]),
        ]),
      );
    }
    return 0;
  });
}
