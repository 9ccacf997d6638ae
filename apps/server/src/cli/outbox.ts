// `switchboard outbox list|show`: the mail the server kept because no SMTP server is configured
// (SMTP_URL unset) — e.g. the confirmation link of the very first administrator, who cannot sign
// in to the portal's outbox page yet.
import { parseCommandArgs, stringFlag } from './args.ts';
import { withData } from '../data.ts';
import { CliError, UsageError } from './errors.ts';
import type { Io } from './io.ts';
import { formatTable } from './table.ts';

export const OUTBOX_USAGE = `usage:
  switchboard outbox list [--to EMAIL] [--limit N]
  switchboard outbox show ID        (or: show --to EMAIL for the newest mail to that address)

Mail lands in the outbox when SMTP_URL is not set. "show" prints the text part.
`;

export async function runOutbox(argv: readonly string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'list': {
      const args = parseCommandArgs(rest, { to: { type: 'string' }, limit: { type: 'string' } }, 0);
      const limit = Number(stringFlag(args, 'limit') ?? '20');
      if (!Number.isInteger(limit) || limit < 1 || limit > 500)
        throw new UsageError('--limit: expected 1-500');
      return withData(args.config, async ({ repos }) => {
        const { items, total } = await repos.outbox.list({
          tenantId: null,
          to: stringFlag(args, 'to'),
          limit,
        });
        io.out(
          formatTable([
            ['ID', 'CREATED', 'TO', 'SUBJECT'],
            ...items.map((m) => [m.id, m.createdAt.toISOString(), m.to, m.subject]),
          ]),
        );
        io.out(`${items.length} of ${total} mail(s)\n`);
        return 0;
      });
    }
    case 'show': {
      const args = parseCommandArgs(rest, { to: { type: 'string' } }, 1);
      const id = args.positionals[0];
      const to = stringFlag(args, 'to');
      if ((id === undefined) === (to === undefined))
        throw new UsageError('outbox show needs an ID or --to EMAIL');
      return withData(args.config, async ({ repos }) => {
        const mail =
          id !== undefined
            ? /^[0-9a-f-]{36}$/i.test(id)
              ? await repos.outbox.findById(null, id)
              : undefined
            : (await repos.outbox.list({ tenantId: null, to, limit: 1 })).items[0];
        if (!mail)
          throw new CliError(
            id !== undefined ? `no mail ${id} in the outbox` : `no mail to ${to} in the outbox`,
          );
        io.out(
          `To: ${mail.to}\nDate: ${mail.createdAt.toISOString()}\nSubject: ${mail.subject}\n\n${mail.text}`,
        );
        return 0;
      });
    }
    default:
      io.out(OUTBOX_USAGE);
      return sub === undefined || sub === 'help' ? 0 : 2;
  }
}
