// `switchboard trunk …` and `switchboard did …`, the real binary against a temp DATA_DIR: a trunk
// with encrypted credentials, a route, the external-call policy and a DID; bad flags exit 2 with
// a message naming the flag; what cannot be done exits 1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { withData } from '../data.ts';
import { runSwitchboard } from './run-cli.testing.ts';

const SLOW = 180_000;

describe('switchboard trunk and did', () => {
  let dir = '';
  const env: Record<string, string> = {};
  const cli = (...args: string[]) => runSwitchboard(args, env);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sb-trunk-cli-'));
    env.DATA_DIR = join(dir, 'data');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('adds, lists and removes trunks, routes, the policy and DIDs', { timeout: SLOW }, async () => {
    expect((await cli('tenant', 'add', 'Acme', '--domain', 'acme.example')).code).toBe(0);
    expect((await cli('extension', 'add', '--number', '1001', '--password', 'pw-1001')).code).toBe(0);

    const add = await cli(
      'trunk',
      'add',
      'carrier',
      '--host',
      'sip.carrier.example',
      '--username',
      'acct-9',
      '--password',
      'trunk-secret-9',
      '--caller-id',
      '+442079460000',
      '--register',
      '--codecs',
      'pcma',
    );
    expect(add, add.stderr).toMatchObject({ code: 0 });
    expect(add.stdout).toMatch(/added trunk carrier \(sip\.carrier\.example:5060\/udp\) to acme\.example/);

    const listed = await cli('trunk', 'list', '--json');
    expect(listed.stdout).not.toContain('trunk-secret-9');
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { name: 'carrier', authUsername: 'acct-9', hasPassword: true, register: true, codecs: ['PCMA'] },
    ]);
    expect((await cli('trunk', 'list')).stdout).toMatch(/carrier\s+udp:sip\.carrier\.example:5060\s+acct-9/);

    const route = await cli(
      'trunk',
      'route',
      'add',
      '--trunk',
      'carrier',
      '--pattern',
      '0X.',
      '--strip',
      '1',
      '--prepend',
      '+44',
    );
    expect(route, route.stderr).toMatchObject({ code: 0 });
    expect((await cli('trunk', 'policy', '--external', 'on', '--extensions', '1001')).stdout).toMatch(
      /acme\.example: external calls on \(1001\)/,
    );
    const did = await cli('did', 'add', '+442079460001', '--extension', '1001', '--trunk', 'carrier');
    expect(did, did.stderr).toMatchObject({ code: 0 });
    expect((await cli('did', 'list')).stdout).toMatch(/\+442079460001\s+1001\s+carrier/);

    await withData(loadConfig({ DATA_DIR: env.DATA_DIR! }, {}), async ({ repos }) => {
      const tenant = (await repos.tenants.getDefault())!;
      const trunk = (await repos.trunks.findByName(tenant.id, 'carrier'))!;
      expect(await repos.trunks.revealPassword(tenant.id, trunk.id)).toBe('trunk-secret-9');
      expect(await repos.trunks.listRoutes(tenant.id)).toMatchObject([
        { pattern: '0X.', strip: 1, prepend: '+44' },
      ]);
      expect(await repos.trunks.policy(tenant.id)).toEqual({
        externalCalls: true,
        allowedExtensions: ['1001'],
      });
    });

    expect((await cli('did', 'remove', '+442079460001')).code).toBe(0);
    expect((await cli('trunk', 'remove', 'carrier')).code).toBe(0);
    expect((await cli('trunk', 'list')).stdout).toBe('no trunks\n');
    expect((await cli('trunk', 'route', 'list')).stdout).toBe('no outbound routes\n');
  });

  it('bad flags exit 2 naming the flag; impossible requests exit 1', { timeout: SLOW }, async () => {
    const noHost = await cli('trunk', 'add', 'x');
    expect(noHost).toMatchObject({ code: 2 });
    expect(noHost.stderr).toMatch(/--host is required/);
    const bad = await cli('trunk', 'add', 'x', '--host', 'bad host', '--port', '70000', '--caller-id', 'abc');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--host: .*--port: .*--caller-id: /);
    expect((await cli('trunk', 'add', 'x', '--host', 'h.example', '--transport', 'sctp')).stderr).toMatch(
      /--transport: expected udp, tcp or tls/,
    );
    expect((await cli('trunk', 'add', 'x', '--host', 'h.example', '--username', 'u')).stderr).toMatch(
      /--username and --password go together/,
    );
    expect((await cli('trunk', 'add', 'x', '--host', 'h.example', '--bogus')).code).toBe(2);
    const pattern = await cli('trunk', 'route', 'add', '--trunk', 'nope', '--pattern', '0X.');
    expect(pattern).toMatchObject({ code: 1 });
    expect(pattern.stderr).toMatch(/no trunk named "nope"/);
    expect((await cli('trunk', 'add', 'y', '--host', 'h.example')).code).toBe(0);
    const badPattern = await cli(
      'trunk',
      'route',
      'add',
      '--trunk',
      'y',
      '--pattern',
      'abc',
      '--strip',
      'two',
    );
    expect(badPattern).toMatchObject({ code: 2 });
    expect(badPattern.stderr).toMatch(/--strip: expected a whole number/);
    expect((await cli('trunk', 'route', 'add', '--trunk', 'y', '--pattern', 'abc')).stderr).toMatch(
      /--pattern: /,
    );
    expect((await cli('trunk', 'add', 'y', '--host', 'h.example')).code).toBe(1);
    const noExt = await cli('did', 'add', '+15550100', '--extension', '4242');
    expect(noExt).toMatchObject({ code: 1 });
    expect(noExt.stderr).toMatch(/no extension 4242/);
    expect((await cli('did', 'add', 'letters', '--extension', '1001')).stderr).toMatch(/NUMBER: /);
    expect((await cli('trunk', 'policy', '--external', 'maybe')).code).toBe(2);
  });
});
