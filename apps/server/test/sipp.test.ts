// SIPp (Debian sip-tester) against the whole server: REGISTER with digest auth, a call with
// RTP (pcap play) and BYE, busy, no answer (ring timeout), CANCEL before answer, an unknown
// extension and wrong passwords. Callee devices are SIPp UAS scenarios that first register from
// the port they then serve on. Every call's CDR is checked by the caller leg's Call-ID.
import { createSocket, type Socket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cdr } from '@switchboard/db';
import { freePort, runSipp, type SippOptions, type SippResult } from '@switchboard/testkit';
import { startPbx, type PbxHarness } from './harness.ts';

const scenario = (name: string): string => fileURLToPath(new URL(`./scenarios/${name}.xml`, import.meta.url));
const PCAP = '/usr/share/sip-tester/g711a.pcap';
const RING_TIMEOUT_MS = 2_000;

const CALLER = { number: '3001', password: 'caller-3001-pw' };
const CALLEES = {
  rtp: { number: '3002', password: 'callee-3002-pw' },
  busy: { number: '3003', password: 'callee-3003-pw' },
  noAnswer: { number: '3004', password: 'callee-3004-pw' },
  cancel: { number: '3005', password: 'callee-3005-pw' },
  registerUdp: { number: '3006', password: 'reg-3006-pw' },
  registerTcp: { number: '3007', password: 'reg-3007-pw' },
};

let pbx: PbxHarness;
beforeAll(async () => {
  pbx = await startPbx({
    extensions: [CALLER, ...Object.values(CALLEES)],
    callOptions: { ringTimeoutMs: RING_TIMEOUT_MS },
  });
});
afterAll(async () => {
  await pbx?.close();
});

function explain(result: SippResult): string {
  return `${result.command}\nexit ${result.exitCode}\n${result.errors}\n${result.output.slice(-3000)}`;
}

function sipp(options: Omit<SippOptions, 'target'>): Promise<SippResult> {
  return runSipp({ target: { host: '127.0.0.1', port: pbx.sipPort }, timeoutSeconds: 20, ...options });
}

const auth = (user: { number: string; password: string }): string[] => [
  '-au',
  user.number,
  '-ap',
  user.password,
];

/** Registers `user` with digest auth from local port `port` (where its UAS will serve). */
async function register(user: { number: string; password: string }, port: number): Promise<void> {
  const result = await sipp({
    scenario: scenario('register-auth'),
    service: user.number,
    extraArgs: [...auth(user), '-key', 'expires', '300', '-p', String(port)],
  });
  expect(result.exitCode, explain(result)).toBe(0);
}

/** Waits (bounded) until something, the SIPp UAS, holds UDP `port` on 127.0.0.1. */
async function waitForUdpPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const free = await new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (!free) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on UDP ${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Registers a callee and starts its UAS scenario on the registered port; resolves when it
 * listens, with the run's outcome in `done` (an object: an async function returning the promise
 * itself would wait for it).
 */
async function startCallee(
  user: { number: string; password: string },
  uasScenario: string,
  keys: Record<string, string> = {},
): Promise<{ done: Promise<SippResult> }> {
  const port = await freePort();
  await register(user, port);
  const run = sipp({
    scenario: scenario(uasScenario),
    service: user.number,
    extraArgs: [
      '-p',
      String(port),
      '-aa',
      '-mp',
      String(await freePort()),
      ...Object.entries(keys).flatMap(([k, v]) => ['-key', k, v]),
    ],
  });
  await Promise.race([waitForUdpPort(port), run.then((r) => Promise.reject(new Error(explain(r))))]);
  return { done: run };
}

/** Runs a caller scenario from 3001 to `callee`; its Call-IDs start with `tag`. */
async function call(
  uacScenario: string,
  callee: string,
  tag: string,
  extra: string[] = [],
): Promise<SippResult> {
  return sipp({
    scenario: scenario(uacScenario),
    service: CALLER.number,
    extraArgs: [
      ...auth(CALLER),
      '-key',
      'callee',
      callee,
      '-mp',
      String(await freePort()),
      '-cid_str',
      `${tag}-%u-%p@%s`,
      ...extra,
    ],
  });
}

async function cdrOf(tag: string): Promise<Cdr> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = (await pbx.cdrs()).find((c) => c.sipCallIds[0]?.startsWith(`${tag}-`));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no CDR for the call ${tag}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('SIPp against the server', () => {
  it.each(['UDP', 'TCP'] as const)('REGISTER with digest auth over %s (401, then 200)', async (transport) => {
    const user = transport === 'UDP' ? CALLEES.registerUdp : CALLEES.registerTcp;
    const result = await sipp({
      scenario: scenario('register-auth'),
      transport,
      service: user.number,
      extraArgs: [...auth(user), '-key', 'expires', '120'],
    });
    expect(result.exitCode, explain(result)).toBe(0);
    expect(result).toMatchObject({ successful: 1, failed: 0 });
    const added = pbx.events.find(
      (e) =>
        e.type === 'registration' && e.change.kind === 'added' && e.change.binding.username === user.number,
    );
    expect(added?.type === 'registration' && added.change.binding.source.transport).toBe(
      transport.toLowerCase(),
    );
  });

  it('REGISTER with a wrong password: 401, then 403 (no second challenge), an auth failure event', async () => {
    const result = await sipp({
      scenario: scenario('register-wrong-password'),
      service: CALLER.number,
      extraArgs: ['-au', CALLER.number, '-ap', 'not-the-password', '-key', 'expires', '120'],
    });
    expect(result.exitCode, explain(result)).toBe(0);
    expect(pbx.events.some((e) => e.type === 'auth-failure' && e.username === CALLER.number)).toBe(true);
  });

  it('a call with RTP (pcap) and BYE: the callee receives the audio, CDR answered', async () => {
    expect(existsSync(PCAP), `${PCAP} (from Debian's sip-tester)`).toBe(true);
    const media: Socket = createSocket('udp4');
    const packets: Buffer[] = [];
    media.on('message', (packet) => packets.push(packet));
    await new Promise<void>((resolve) => media.bind(0, '127.0.0.1', resolve));
    try {
      const callee = await startCallee(CALLEES.rtp, 'uas-answer', {
        rtp_ip: '127.0.0.1',
        rtp_port: String(media.address().port),
      });
      const caller = await call('uac-call-rtp', CALLEES.rtp.number, 'rtp', ['-d', '3000']);
      const calleeResult = await callee.done;
      expect(caller.exitCode, explain(caller)).toBe(0);
      expect(calleeResult.exitCode, explain(calleeResult)).toBe(0);
    } finally {
      media.close();
    }
    // The pcap sends A-law every 30 ms: ~100 packets in 3 s, relayed by the PBX's anchor.
    const pcma = packets.filter((p) => p.length > 12 && (p[0]! & 0xc0) === 0x80 && (p[1]! & 0x7f) === 8);
    expect(pcma.length).toBeGreaterThanOrEqual(50);
    const cdr = await cdrOf('rtp');
    expect(cdr).toMatchObject({
      disposition: 'answered',
      caller: CALLER.number,
      callee: CALLEES.rtp.number,
      hangupSide: 'caller',
    });
    expect(cdr.billableSeconds).toBeGreaterThan(0);
    expect(cdr.sipCallIds).toHaveLength(2);
  });

  it('busy: the callee answers 486, the caller gets 486, CDR busy', async () => {
    const callee = await startCallee(CALLEES.busy, 'uas-busy');
    const caller = await call('uac-busy', CALLEES.busy.number, 'busy');
    expect(caller.exitCode, explain(caller)).toBe(0);
    const calleeResult = await callee.done;
    expect(calleeResult.exitCode, explain(calleeResult)).toBe(0);
    expect(await cdrOf('busy')).toMatchObject({
      disposition: 'busy',
      callee: CALLEES.busy.number,
      sipStatus: 486,
      hangupSide: 'callee',
      answeredAt: null,
      billableSeconds: 0,
    });
  });

  it('no answer: the ring timeout cancels the callee and gives the caller 408, CDR no_answer', async () => {
    const callee = await startCallee(CALLEES.noAnswer, 'uas-ring');
    const caller = await call('uac-no-answer', CALLEES.noAnswer.number, 'noanswer');
    expect(caller.exitCode, explain(caller)).toBe(0);
    const calleeResult = await callee.done;
    expect(calleeResult.exitCode, explain(calleeResult)).toBe(0);
    expect(await cdrOf('noanswer')).toMatchObject({
      disposition: 'no_answer',
      callee: CALLEES.noAnswer.number,
      sipStatus: 408,
      hangupSide: 'system',
      answeredAt: null,
    });
  });

  it('CANCEL before answer: 200 and 487 to the caller, the callee is cancelled, CDR cancelled', async () => {
    const callee = await startCallee(CALLEES.cancel, 'uas-ring');
    const caller = await call('uac-cancel', CALLEES.cancel.number, 'cancel', ['-d', '500']);
    expect(caller.exitCode, explain(caller)).toBe(0);
    const calleeResult = await callee.done;
    expect(calleeResult.exitCode, explain(calleeResult)).toBe(0);
    expect(await cdrOf('cancel')).toMatchObject({
      disposition: 'cancelled',
      callee: CALLEES.cancel.number,
      hangupSide: 'caller',
      answeredAt: null,
    });
  });

  it('unknown extension: 404, CDR failed', async () => {
    const caller = await call('uac-unknown', '3999', 'unknown');
    expect(caller.exitCode, explain(caller)).toBe(0);
    expect(await cdrOf('unknown')).toMatchObject({
      disposition: 'failed',
      caller: CALLER.number,
      callee: '3999',
      sipStatus: 404,
    });
  });

  it('INVITE with a wrong password: 407, then 403 (no second challenge), no CDR', async () => {
    const result = await sipp({
      scenario: scenario('uac-wrong-password'),
      service: CALLER.number,
      extraArgs: [
        '-au',
        CALLER.number,
        '-ap',
        'not-the-password',
        '-key',
        'callee',
        CALLEES.rtp.number,
        '-cid_str',
        'badpw-%u-%p@%s',
      ],
    });
    expect(result.exitCode, explain(result)).toBe(0);
    // An unauthenticated INVITE is nobody's call attempt: it leaves no record.
    await new Promise((r) => setTimeout(r, 300));
    expect((await pbx.cdrs()).some((c) => c.sipCallIds.some((id) => id.startsWith('badpw-')))).toBe(false);
  });
});
