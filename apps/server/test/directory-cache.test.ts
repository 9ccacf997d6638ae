// The PBX's directory cache in the running server (issue 3): changes made while the server runs
// — by the CLI in another process, through the embedded database's share socket, or by another
// handle on that socket — reach the cache, so the very next REGISTER sees them: a new extension
// registers (after having been refused: the not-found answer was cached), a changed password
// refuses the old one, a disabled or removed extension is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSwitchboard } from '../src/cli/run-cli.testing.ts';
import { startPbx, type PbxHarness } from './harness.ts';
import { TestPhone } from './sip-phone.ts';

const SLOW = 180_000;

describe('directory cache in the running server', () => {
  let pbx: PbxHarness;
  const phones: TestPhone[] = [];

  beforeAll(async () => {
    pbx = await startPbx({ extensions: [{ number: '1001', password: 'Secret-pass-1001' }] });
  }, SLOW);
  afterAll(async () => {
    await Promise.all(phones.map((p) => p.close()));
    await pbx?.close();
  });

  async function register(user: string, password: string): Promise<number> {
    const phone = await TestPhone.start({ user, password, domain: 'acme.test', pbxPort: pbx.sipPort });
    phones.push(phone);
    return (await phone.register()).status;
  }

  it('sees CLI and share-socket changes on the next REGISTER', { timeout: SLOW }, async () => {
    // Warm the cache: the known extension's credentials, and the unknown one's "not found".
    expect(await register('1001', 'Secret-pass-1001')).toBe(200);
    expect(await register('1001', 'Secret-pass-1001')).toBe(200);
    expect(await register('1002', 'Secret-pass-1002')).toBeGreaterThanOrEqual(400);
    expect(await register('1002', 'Secret-pass-1002')).toBeGreaterThanOrEqual(400);

    // `switchboard extension add` in its own process, writing through the server's socket.
    const add = await runSwitchboard(
      ['extension', 'add', '--number', '1002', '--password', 'Secret-pass-1002'],
      { DATA_DIR: pbx.dataDir },
    );
    expect(add).toMatchObject({ code: 0 });
    expect(await register('1002', 'Secret-pass-1002')).toBe(200);

    // A new password: the old one is refused at once, the new one accepted.
    const accounts = await pbx.repos.sipAccounts.list({ tenantId: pbx.tenant.id });
    const id = (n: string): string => accounts.find((a) => a.username === n)!.id;
    await pbx.repos.sipAccounts.update(pbx.tenant.id, id('1001'), { password: 'Changed-pass-1001' });
    expect(await register('1001', 'Secret-pass-1001')).toBeGreaterThanOrEqual(400);
    expect(await register('1001', 'Changed-pass-1001')).toBe(200);

    // Disabled: refused with the right password.
    await pbx.repos.sipAccounts.update(pbx.tenant.id, id('1002'), { enabled: false });
    expect(await register('1002', 'Secret-pass-1002')).toBeGreaterThanOrEqual(400);

    // `switchboard extension remove`: refused too.
    const remove = await runSwitchboard(['extension', 'remove', '1001'], { DATA_DIR: pbx.dataDir });
    expect(remove).toMatchObject({ code: 0 });
    expect(await register('1001', 'Changed-pass-1001')).toBeGreaterThanOrEqual(400);
  });
});
