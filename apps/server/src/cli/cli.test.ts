// The real `switchboard` binary, spawned as an operator would run it, against a temp DATA_DIR
// (embedded PGlite) and against a real PostgreSQL server (DATABASE_URL).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Backend } from '@switchboard/db';
import { loadConfig } from '../config.ts';
import { withData } from '../data.ts';
import { runSwitchboard, useCliWorkspace } from './run-cli.testing.ts';

const BACKENDS: readonly Backend[] = ['pglite', 'postgres'];
/** Each CLI run starts Node, tsx and the database (1-3 s); a test runs several. */
const SLOW = 180_000;

describe.each(BACKENDS)('switchboard CLI on %s', (backend) => {
  const workspace = useCliWorkspace('sb-cli-', backend);
  const { cli, data } = workspace;

  it('migrates, then says the schema is current', { timeout: SLOW }, async () => {
    const first = await cli('migrate');
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toMatch(/applied 1 \(initial\)(, \d+ \([\w-]+\))*; schema at version (\d+)\n$/);
    const version = /version (\d+)/.exec(first.stdout)![1];
    const again = await cli('migrate');
    expect(again.stdout).toMatch(new RegExp(`schema already at version ${version}\n$`));
  });

  it('adds tenants and extensions, with exit codes 0 / 1 / 2', { timeout: SLOW }, async () => {
    const none = await cli('extension', 'add', '--number', '1001', '--password', 'x');
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/there is no tenant yet/);

    expect((await cli('tenant', 'add', 'Acme Corp', '--domain', 'Acme.Example')).stdout).toMatch(
      /added tenant Acme Corp \(acme\.example\), the default tenant/,
    );
    expect((await cli('tenant', 'add', 'Beta', '--domain', 'beta.example')).code).toBe(0);
    expect((await cli('tenant', 'add', 'Again', '--domain', 'beta.example')).code).toBe(1);

    const add = await cli(
      'extension',
      'add',
      '--number',
      '1001',
      '--password',
      's3cret!',
      '--name',
      'Alice Smith',
    );
    expect(add).toMatchObject({ code: 0, stdout: 'added extension 1001 (Alice Smith) to acme.example\n' });
    expect(
      (await cli('extension', 'add', '--domain', 'beta.example', '--number', '1001', '--password', 'b')).code,
    ).toBe(0);
    const dup = await cli('extension', 'add', '--number', '1001', '--password', 'x');
    expect(dup).toMatchObject({
      code: 1,
      stderr: 'switchboard: extension 1001 already exists in acme.example\n',
    });
    const bad = await cli('extension', 'add', '--number', '10 01', '--password', '');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--number: .*; --password: is required/);
    expect((await cli('extension', 'add', '--number', '1002')).code).toBe(2);
    expect((await cli('extension', 'add', '--number', '1002', '--password', 'x', '--bogus')).code).toBe(2);
    expect((await cli('extension', 'frobnicate')).code).toBe(2);
  });

  it(
    'lists and removes tenants and extensions; passwords never leave encrypted storage',
    { timeout: SLOW },
    async () => {
      const list = await cli('extension', 'list', '--json');
      expect(JSON.parse(list.stdout)).toEqual([
        expect.objectContaining({
          domain: 'acme.example',
          number: '1001',
          name: 'Alice Smith',
          enabled: true,
        }),
        expect.objectContaining({ domain: 'beta.example', number: '1001', name: '' }),
      ]);
      expect(list.stdout).not.toContain('s3cret');
      const table = await cli('extension', 'list', '--domain', 'beta.example');
      expect(table.stdout).toBe('DOMAIN        NUMBER  NAME  ENABLED\nbeta.example  1001          yes\n');

      const tenants = JSON.parse((await cli('tenant', 'list', '--json')).stdout) as {
        sipDomain: string;
        extensions: number;
      }[];
      expect(tenants.map((t) => [t.sipDomain, t.extensions])).toEqual([
        ['acme.example', 1],
        ['beta.example', 1],
      ]);

      const guarded = await cli('tenant', 'remove', 'beta.example');
      expect(guarded.code).toBe(1);
      expect(guarded.stderr).toMatch(/has 1 SIP account\(s\); remove them first, or add --force/);
      expect((await cli('extension', 'remove', '1001', '--domain', 'beta.example')).code).toBe(0);
      expect((await cli('extension', 'remove', '1001', '--domain', 'beta.example')).code).toBe(1);
      expect((await cli('tenant', 'remove', 'acme.example')).code).toBe(1); // the default, while others exist
      expect((await cli('tenant', 'remove', 'beta.example')).code).toBe(0);

      // The password is stored encrypted, readable with the key in DATA_DIR (or SECRET_KEY).
      await data(async ({ repos, db }) => {
        const acme = (await repos.tenants.findBySipDomain('acme.example'))!;
        expect((await repos.sipAccounts.findCredentials(acme.id, '1001'))?.revealPassword()).toBe('s3cret!');
        const { rows } = await db.sql.query(
          "SELECT count(*) AS n FROM sip_accounts WHERE password_enc LIKE '%s3cret%'",
        );
        expect(rows[0]).toEqual({ n: 0 });
      });
    },
  );

  it('imports 5,000 extensions from a CSV file in one go', { timeout: SLOW }, async () => {
    const lines = ['number,password,name'];
    for (let i = 0; i < 5000; i++) lines.push(`${20000 + i},pw-${i},"User ${i}, ""the"" ${i % 7}"`);
    const file = join(workspace.dir, 'many.csv');
    writeFileSync(file, `${lines.join('\r\n')}\r\n`);
    const run = await cli('extension', 'import', file);
    expect(run.stderr).toBe('');
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toMatch(/^imported 5000 extensions into acme\.example in [\d.]+ s\n$/);
    await data(async ({ repos }) => {
      const acme = (await repos.tenants.findBySipDomain('acme.example'))!;
      expect(await repos.sipAccounts.count({ tenantId: acme.id })).toBe(5001);
      expect((await repos.sipAccounts.findExtension(acme.id, '24321'))?.displayName).toBe(
        'User 4321, "the" 2',
      );
      expect((await repos.sipAccounts.findCredentials(acme.id, '24999'))?.revealPassword()).toBe('pw-4999');
    });
  });

  it('reports each bad row with its line number and imports nothing', { timeout: SLOW }, async () => {
    const file = join(workspace.dir, 'bad.csv');
    writeFileSync(
      file,
      [
        'name,number,password', // columns in any order
        '"Multi',
        'line",30001,ok', // a record spanning lines 2-3: reported at 2 (no line breaks in a SIP name)
        'Fine,30002,ok',
        'No password,30003,',
        'Dup,30002,again',
        'Bad number,30 05,ok',
        'Taken,20001,ok',
      ].join('\n'),
    );
    const run = await cli('extension', 'import', file, '--domain', 'acme.example');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`4 problem(s) in ${file}; nothing was imported`);
    expect(run.stderr).toContain(`${file}:2: name contains control characters`);
    expect(run.stderr).toContain(`${file}:5: password is required`);
    expect(run.stderr).toContain(`${file}:6: number 30002 appears more than once`);
    expect(run.stderr).toMatch(new RegExp(`${file}:7: number expected`));

    // Rows that are fine on their own but clash with the database: found in the transaction.
    writeFileSync(file, 'number,password,name\n30001,a,A\n"20001",b,B\n');
    const clash = await cli('extension', 'import', file);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain(`${file}:3: number 20001 already exists`);

    writeFileSync(file, 'number,password\n30001,a\n30002,"unterminated\n');
    const broken = await cli('extension', 'import', file);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`${file}:3: a quoted field is not closed`);

    await data(async ({ db }) => {
      const { rows } = await db.sql.query(
        "SELECT count(*) AS n FROM sip_accounts WHERE username LIKE '3000%'",
      );
      expect(rows[0]).toEqual({ n: 0 });
    });
  });

  it('lists call records newest first, per tenant and with a limit', { timeout: SLOW }, async () => {
    await data(async ({ repos }) => {
      const acme = (await repos.tenants.findBySipDomain('acme.example'))!;
      const base = {
        tenantId: acme.id,
        direction: 'internal' as const,
        caller: '1001',
        sipCallIds: ['c1@pbx'],
      };
      await repos.cdrs.insert({
        ...base,
        callee: '20000',
        // Dialled 1500, which forwards to 20000.
        dialled: '1500',
        divertedFrom: ['1500'],
        startedAt: new Date('2025-01-01T10:00:00Z'),
        answeredAt: new Date('2025-01-01T10:00:03Z'),
        endedAt: new Date('2025-01-01T10:01:03.200Z'),
        disposition: 'answered',
        hangupCause: 'normal_clearing',
        hangupSide: 'callee',
      });
      await repos.cdrs.insert({
        ...base,
        callee: '20001',
        startedAt: new Date('2025-01-01T11:00:00Z'),
        endedAt: new Date('2025-01-01T11:00:04Z'),
        disposition: 'busy',
        sipStatus: 486,
        hangupCause: 'busy_here',
        hangupSide: 'callee',
      });
    });
    const json = JSON.parse((await cli('cdr', 'list', '--json', '--domain', 'acme.example')).stdout) as {
      callee: string;
      billableSeconds: number;
      disposition: string;
      dialled: string | null;
      divertedFrom: string[];
    }[];
    expect(json.map((c) => [c.callee, c.disposition, c.billableSeconds])).toEqual([
      ['20001', 'busy', 0],
      ['20000', 'answered', 61],
    ]);
    expect(json.map((c) => [c.dialled, c.divertedFrom])).toEqual([
      [null, []],
      ['1500', ['1500']],
    ]);
    expect((await cli('cdr', 'list', '--limit', '2')).stdout.split('\n')[2]).toMatch(
      /\s1001\s+20000 \(via 1500\)\s+answered\s/,
    );
    const table = await cli('cdr', 'list', '--limit', '1');
    expect(table.stdout.split('\n')[1]).toMatch(
      /^2025-01-01 11:00:00\s+acme\.example\s+1001\s+20001\s+busy \(486\)\s+0s\s+4\.0s\s+busy_here by callee$/,
    );
    expect((await cli('cdr', 'list', '--limit', 'lots')).code).toBe(2);
  });

  it(
    'refuses a SECRET_KEY other than the one the passwords were encrypted with',
    { timeout: SLOW },
    async () => {
      const run = await cli(
        'extension',
        'add',
        '--number',
        '999',
        '--password',
        'x',
        '--secret-key',
        'cd'.repeat(32),
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/encrypted with key [0-9a-f]{8}, but the configured key is [0-9a-f]{8}/);
      expect((await cli('extension', 'list', '--secret-key', 'not-a-key')).code).toBe(2);
    },
  );
});

describe('switchboard CLI while another process (the server) has the embedded database open', () => {
  it('works through the owner, and says who holds DATA_DIR when it cannot', { timeout: SLOW }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-cli-shared-'));
    try {
      await withData(loadConfig({ DATA_DIR: dir }, {}), async ({ repos }) => {
        const add = await runSwitchboard(['tenant', 'add', 'Live', '--domain', 'live.example'], {
          DATA_DIR: dir,
        });
        expect(add).toMatchObject({ code: 0 });
        const ext = await runSwitchboard(['extension', 'add', '--number', '7001', '--password', 'pw'], {
          DATA_DIR: dir,
        });
        expect(ext).toMatchObject({ code: 0 });
        // The owner sees the rows at once, and the password decrypts with the shared key file.
        const live = (await repos.tenants.findBySipDomain('live.example'))!;
        expect((await repos.sipAccounts.findCredentials(live.id, '7001'))?.revealPassword()).toBe('pw');

        rmSync(join(dir, '.s.PGSQL.5432'));
        const run = await runSwitchboard(['tenant', 'list'], { DATA_DIR: dir });
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(/is in use by process \d+/);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
