// Graceful shutdown of the real process: `switchboard start` runs as a child with a temp
// DATA_DIR; two baresip phones are in an answered call through it; SIGTERM must end the call
// with a BYE to both phones, exit 0, and leave the call's CDR in the database.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Baresip } from '@switchboard/testkit';
import { openData } from '../src/data.ts';
import { freeRtpPorts, seedData } from './harness.ts';

const BIN = fileURLToPath(new URL('../bin/switchboard.mjs', import.meta.url));
const ALICE = { number: '5001', password: 'alice-5001-pw' };
const BOB = { number: '5002', password: 'bob-5002-pw' };

interface Started {
  readonly child: ChildProcess;
  readonly sipPort: number;
  readonly httpPort: number;
  output(): string;
}

/** Runs `switchboard start` and waits (bounded) for its "switchboard started" log line. */
async function startProcess(dataDir: string): Promise<Started> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'start',
      '--data-dir',
      dataDir,
      '--host',
      '127.0.0.1',
      '--http-port',
      '0',
      '--sip-port',
      '0',
      '--rtp-ports',
      await freeRtpPorts(),
      '--log-level',
      'info',
    ],
    // No inherited environment: only the flags configure it.
    { env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const started = await new Promise<{ sip: number; http: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${output}`)), 60_000);
    const check = (): void => {
      for (const line of output.split('\n')) {
        if (!line.includes('"switchboard started"')) continue;
        const log = JSON.parse(line) as { http: string; sip: string[] };
        const sip = log.sip.find((s) => s.startsWith('udp:'));
        clearTimeout(timer);
        resolve({ sip: Number(sip?.split(':').pop()), http: Number(log.http.split(':').pop()) });
        return;
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before starting:\n${output}`));
    });
  });
  return { child, sipPort: started.sip, httpPort: started.http, output: () => output };
}

describe('SIGTERM', () => {
  let dataDir: string | undefined;
  let server: Started | undefined;
  const phones: Baresip[] = [];

  afterAll(async () => {
    await Promise.all(phones.map((p) => p.cleanup()));
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('ends the call in progress with BYE to both phones, exits 0, and the CDR is stored', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'switchboard-sigterm-'));
    const tenant = await seedData(dataDir, 'acme.test', [ALICE, BOB]);
    server = await startProcess(dataDir);
    const registrar = `127.0.0.1:${server.sipPort}`;
    const start = (user: typeof ALICE, toneHz: number): Promise<Baresip> =>
      Baresip.start({
        account: { user: user.number, password: user.password, registrar, domain: '127.0.0.1' },
        toneHz,
      }).then((p) => (phones.push(p), p));
    const [a, b] = await Promise.all([start(ALICE, 600), start(BOB, 900)]);
    await Promise.all([a.waitForRegistration(), b.waitForRegistration()]);

    await a.dial(`sip:${BOB.number}@127.0.0.1`);
    await b.waitFor('CALL_INCOMING', 15_000);
    await b.answer();
    await Promise.all([a.waitFor('CALL_ESTABLISHED', 15_000), b.waitFor('CALL_ESTABLISHED', 15_000)]);
    await new Promise((r) => setTimeout(r, 1_500));

    const child = server.child;
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    child.kill('SIGTERM');
    // Both phones see the call end while the server is still shutting down: by its BYE.
    const [closedA, closedB] = await Promise.all([
      a.waitFor('CALL_CLOSED', 15_000),
      b.waitFor('CALL_CLOSED', 15_000),
    ]);
    const exit = await Promise.race([
      exited,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no exit 20 s after SIGTERM:\n${server?.output()}`)), 20_000),
      ),
    ]);
    expect(exit, server.output().slice(-3000)).toEqual({ code: 0, signal: null });
    // baresip names the reason a call closed: a BYE from the other side is "Connection reset by peer".
    expect([closedA.param, closedB.param]).toEqual(['Connection reset by peer', 'Connection reset by peer']);
    expect(a.log + b.log).not.toMatch(/408|timeout/i);

    // The process is gone: open its database ourselves.
    const data = await openData({ dataDir, databaseUrl: undefined, secretKey: undefined });
    try {
      const cdrs = await data.repos.cdrs.list({ tenantId: tenant.id });
      expect(cdrs).toHaveLength(1);
      const callIdA = a.events.find((e) => e.type === 'CALL_ESTABLISHED')?.id;
      const callIdB = b.events.find((e) => e.type === 'CALL_ESTABLISHED')?.id;
      expect(cdrs[0]).toMatchObject({
        disposition: 'answered',
        caller: ALICE.number,
        callee: BOB.number,
        hangupCause: 'shutdown',
        hangupSide: 'system',
      });
      expect(cdrs[0]!.billableSeconds).toBeGreaterThan(0);
      expect(new Set(cdrs[0]!.sipCallIds)).toEqual(new Set([callIdA, callIdB]));
    } finally {
      await data.db.close();
    }
  }, 150_000);
});
