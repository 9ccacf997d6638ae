// `switchboard token create --email …`: prints a new API token for scripts (shown once).
import { createApiToken } from '@switchboard/api';
import { parseCommandArgs, stringFlag } from './args.ts';
import { withData } from '../data.ts';
import { CliError } from './errors.ts';
import type { Io } from './io.ts';

export const TOKEN_USAGE = `usage:
  switchboard token create --email EMAIL [--name NAME]

Prints a new API token of that user on stdout (use it as "Authorization: Bearer <token>").
Only its hash is stored: it cannot be shown again. Revoke it in the portal or with
DELETE /api/v1/auth/tokens/{id}.
`;

export async function runToken(argv: readonly string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'create') {
    io.out(TOKEN_USAGE);
    return sub === undefined || sub === 'help' ? 0 : 2;
  }
  const args = parseCommandArgs(rest, { email: { type: 'string' }, name: { type: 'string' } }, 0);
  const email = stringFlag(args, 'email', true);
  const name = stringFlag(args, 'name') ?? 'cli';
  return withData(args.config, async ({ repos }) => {
    const user = await repos.users.findByEmail(email);
    if (!user) throw new CliError(`no user ${email}: create one with "switchboard admin create"`);
    const { token, record } = await createApiToken(repos, user.id, name);
    await repos.audit.append({
      tenantId: user.tenantId,
      actorUserId: null,
      actor: 'cli',
      action: 'token.create',
      targetType: 'api_token',
      targetId: record.id,
      details: { name, email: user.email },
      ip: null,
    });
    io.out(`${token}\n`);
    return 0;
  });
}
