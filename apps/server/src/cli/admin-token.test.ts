// `switchboard admin create` and `switchboard token create`, spawned as an operator runs them,
// on PGlite and on a real PostgreSQL.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { argon2idHasher } from '@switchboard/api';
import type { Backend } from '@switchboard/db';
import { useCliWorkspace } from './run-cli.testing.ts';

const BACKENDS: readonly Backend[] = ['pglite', 'postgres'];
const SLOW = 180_000;

describe.each(BACKENDS)('switchboard admin/token on %s', (backend) => {
  const { cli, data } = useCliWorkspace('sb-cli-admin-', backend);

  it(
    'creates a confirmed owner (the first organisation is the default tenant) and prints API tokens',
    { timeout: SLOW },
    async () => {
      const short = await cli(
        'admin',
        'create',
        '--email',
        'ops@example.com',
        '--password',
        'short',
        '--org',
        'Ops',
      );
      expect(short.code).toBe(2);
      expect(short.stderr).toMatch(/--password: needs at least 10 characters/);
      expect(
        (await cli('admin', 'create', '--email', 'ops@example.com', '--password', 'long enough pw')).stderr,
      ).toMatch(/--org is required/);

      const created = await cli(
        'admin',
        'create',
        '--email',
        'Ops@Example.com',
        '--password',
        'long enough pw',
        '--org',
        'Ops Inc',
      );
      expect(created).toMatchObject({
        code: 0,
        stdout: 'created ops@example.com, owner of Ops Inc (SIP domain switchboard.local)\n',
      });
      const again = await cli(
        'admin',
        'create',
        '--email',
        'ops@example.com',
        '--password',
        'long enough pw',
        '--org',
        'Ops Inc',
      );
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/e-mail address exists/);
      // A second admin of the same organisation joins it.
      expect(
        (
          await cli(
            'admin',
            'create',
            '--email',
            'two@example.com',
            '--password',
            'long enough pw',
            '--org',
            'ops inc',
          )
        ).code,
      ).toBe(0);

      const unknown = await cli('token', 'create', '--email', 'nobody@example.com');
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/no user nobody@example.com/);
      const token = await cli('token', 'create', '--email', 'ops@example.com', '--name', 'deploy');
      expect(token.code).toBe(0);
      expect(token.stdout).toMatch(/^sbt_[A-Za-z0-9_-]{43}\n$/);

      // Without SMTP_URL the mail waits in the outbox; operators read it with `outbox`.
      await data(async ({ repos }) => {
        await repos.outbox.add({
          tenantId: null,
          to: 'first@example.com',
          subject: 'Confirm',
          text: 'open https://x/confirm\n',
          html: null,
          attachments: [],
        });
      });
      const listed = await cli('outbox', 'list', '--to', 'first@example.com');
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(/first@example\.com\s+Confirm\n1 of 1 mail\(s\)\n$/);
      const shown = await cli('outbox', 'show', '--to', 'first@example.com');
      expect(shown.stdout).toMatch(
        /^To: first@example\.com\nDate: .*\nSubject: Confirm\n\nopen https:\/\/x\/confirm\n$/,
      );
      expect((await cli('outbox', 'show', '--to', 'nobody@example.com')).code).toBe(1);
      expect((await cli('outbox', 'show')).code).toBe(2);

      await data(async ({ repos }) => {
        const user = await repos.users.findWithHashByEmail('ops@example.com');
        expect(user?.emailConfirmedAt).not.toBeNull();
        expect(await argon2idHasher.verify(user!.passwordHash, 'long enough pw')).toBe(true);
        const org = await repos.users.organisation(user!.tenantId);
        expect(org).toMatchObject({ name: 'Ops Inc', isDefault: true });
        expect((await repos.users.findByEmail('two@example.com'))?.tenantId).toBe(user!.tenantId);
        const hash = createHash('sha256').update(token.stdout.trim()).digest('hex');
        expect((await repos.apiTokens.use(hash, new Date()))?.name).toBe('deploy');
        const audit = await repos.audit.list({ tenantId: user!.tenantId });
        expect(audit.items.map((e) => [e.actor, e.action])).toEqual([
          ['cli', 'token.create'],
          ['cli', 'user.create'],
          ['cli', 'user.create'],
        ]);
      });
    },
  );
});
