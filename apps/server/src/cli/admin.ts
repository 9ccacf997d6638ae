// `switchboard admin create`: a confirmed owner without e-mail, for operators and scripts.
import { PASSWORD_MIN } from '@switchboard/contracts';
import { argon2idHasher, organisationFor } from '@switchboard/api';
import { parseCommandArgs, stringFlag } from './args.ts';
import { withData } from '../data.ts';
import { UsageError } from './errors.ts';
import type { Io } from './io.ts';

export const ADMIN_USAGE = `usage:
  switchboard admin create --email EMAIL --password PASSWORD --org NAME [--first-name F] [--last-name L]

Creates a confirmed owner of the organisation NAME (an existing organisation of that name, or a
new one: on a fresh install the default tenant). Passwords need at least ${PASSWORD_MIN} characters.
`;

export async function runAdmin(argv: readonly string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'create') {
    io.out(ADMIN_USAGE);
    return sub === undefined || sub === 'help' ? 0 : 2;
  }
  const args = parseCommandArgs(
    rest,
    {
      email: { type: 'string' },
      password: { type: 'string' },
      org: { type: 'string' },
      'first-name': { type: 'string' },
      'last-name': { type: 'string' },
    },
    0,
  );
  const email = stringFlag(args, 'email', true).trim().toLowerCase();
  const password = stringFlag(args, 'password', true);
  const org = stringFlag(args, 'org', true).trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new UsageError('--email: expected an e-mail address');
  if (password.length < PASSWORD_MIN)
    throw new UsageError(`--password: needs at least ${PASSWORD_MIN} characters`);
  if (org === '') throw new UsageError('--org: the organisation name is required');
  const local = email.split('@')[0]!;
  return withData(args.config, async ({ repos }) => {
    const tenantId = await organisationFor(repos, org, null, undefined, { reuseByName: true });
    const user = await repos.users.create({
      tenantId,
      email,
      firstName: stringFlag(args, 'first-name') ?? local,
      lastName: stringFlag(args, 'last-name') ?? org,
      passwordHash: await argon2idHasher.hash(password),
      emailConfirmed: true,
    });
    await repos.audit.append({
      tenantId,
      actorUserId: null,
      actor: 'cli',
      action: 'user.create',
      targetType: 'user',
      targetId: user.id,
      details: { email },
      ip: null,
    });
    const organisation = await repos.users.organisation(tenantId);
    io.out(`created ${email}, owner of ${organisation.name} (SIP domain ${organisation.sipDomain})\n`);
    return 0;
  });
}
