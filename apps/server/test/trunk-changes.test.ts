// Trunk changes made while the server runs reach it through the database's change
// notifications (migration 0010; docs/trunks.md, "How changes reach a running server"). The
// server reads trunks again only on a notification or after its 5-minute safety re-read, so
// whatever this test sees within its bounded waits came by notification:
// - `switchboard trunk add` in another process (the embedded database's share socket): the very
//   next INVITE from the trunk's address is a trunk call (404 for a number that is no DID, where
//   a stranger is challenged with 407), and the server registers at the provider (401, 200);
// - another handle on the database turns registration off: the registration stops;
// - `switchboard trunk remove`: the next INVITE from that address is a stranger's again.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runSipp } from '@switchboard/testkit';
import { runSwitchboard } from '../src/cli/run-cli.testing.ts';
import { startPbx, type PbxHarness } from './harness.ts';
import { PROVIDER_IP, explain, fromTemplate, waitForUdpPort } from './trunk-provider.ts';

const SLOW = 180_000;
const PROVIDER = { user: 'acct-55', password: 'trunk-pw-55' };

describe('trunk changes in the running server', () => {
  let pbx: PbxHarness;
  let scenarios = '';

  beforeAll(async () => {
    scenarios = await mkdtemp(join(tmpdir(), 'trunk-changes-'));
    pbx = await startPbx({ extensions: [{ number: '5001', password: 'Secret-pass-5001' }] });
  }, SLOW);
  afterAll(async () => {
    await pbx?.close();
    if (scenarios) await rm(scenarios, { recursive: true, force: true });
  });

  /** An INVITE from the provider's address to a number that is no DID; passes on `status`. */
  async function inviteFromProvider(status: 404 | 407): Promise<void> {
    const result = await runSipp({
      target: { host: '127.0.0.1', port: pbx.sipPort },
      scenario: await fromTemplate(scenarios, 'trunk-provider-uac-refused', { STATUS: String(status) }),
      localIp: PROVIDER_IP,
      timeoutSeconds: 20,
      extraArgs: ['-key', 'did', '+442079469999', '-mp', String(await freePort(PROVIDER_IP))],
    });
    expect(result.exitCode, explain(result)).toBe(0);
  }

  /** Waits (bounded) for the trunk registration event `state` of trunk `name`. */
  async function registrationEvent(name: string, state: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const seen = (): boolean =>
      pbx.events.some((e) => e.type === 'trunk-registration' && e.name === name && e.state === state);
    while (!seen()) {
      if (Date.now() > deadline) throw new Error(`no ${state} registration of trunk ${name}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  const cli = (...args: string[]) => runSwitchboard(args, { DATA_DIR: pbx.dataDir });

  it('sees a trunk added, changed and removed by other processes at once', { timeout: SLOW }, async () => {
    // No trunk yet: the provider's address is a stranger's. This also fills the server's trunk
    // list (empty), which it keeps until told otherwise.
    await inviteFromProvider(407);

    const registrarPort = await freePort(PROVIDER_IP);
    const registrar = runSipp({
      target: { host: '127.0.0.1', port: 9 },
      scenario: await fromTemplate(scenarios, 'trunk-provider-register', {
        USER: PROVIDER.user,
        PASS: PROVIDER.password,
        EXPIRES: '120',
      }),
      localIp: PROVIDER_IP,
      timeoutSeconds: 60,
      extraArgs: ['-p', String(registrarPort)],
    });
    await waitForUdpPort(PROVIDER_IP, registrarPort);

    const add = await cli(
      ...['trunk', 'add', 'carrier', '--host', PROVIDER_IP, '--port', String(registrarPort)],
      ...['--username', PROVIDER.user, '--password', PROVIDER.password, '--from-domain', 'provider.test'],
      '--register',
    );
    expect(add, add.stderr).toMatchObject({ code: 0 });
    await inviteFromProvider(404);
    await registrationEvent('carrier', 'registered');
    const registered = await registrar;
    expect(registered.exitCode, explain(registered)).toBe(0);

    // Another handle on the database (the share socket) turns registration off.
    const trunk = (await pbx.repos.trunks.findByName(pbx.tenant.id, 'carrier'))!;
    await pbx.repos.trunks.update(pbx.tenant.id, trunk.id, { register: false });
    await registrationEvent('carrier', 'stopped');
    await inviteFromProvider(404);

    const remove = await cli('trunk', 'remove', 'carrier');
    expect(remove, remove.stderr).toMatchObject({ code: 0 });
    await inviteFromProvider(407);
  });
});
