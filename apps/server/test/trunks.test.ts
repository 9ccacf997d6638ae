// SIP trunks with real peers (docs/trunks.md): SIPp plays the provider on 127.0.0.2 (the phones
// are on 127.0.0.1, so only the provider's address is the trunk's). An extension dials an
// external number → the provider gets it with the trunk's caller ID and digits after a 407
// digest round, audio flows, BYE ends it, the CDR is outbound with the trunk; an inbound call to
// a DID rings the extension; unknown DIDs and strangers are refused; external calls are refused
// (403) when the tenant does not allow them; forwarding and blind transfer to an external number
// go out through the trunk; the PBX registers at the provider (401, then 200).
import { createHash, randomBytes } from 'node:crypto';
import type { Socket } from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cdr, Trunk } from '@switchboard/db';
import { freePort, runSipp, type SippOptions, type SippResult } from '@switchboard/testkit';
import { startPbx, type PbxHarness } from './harness.ts';
import {
  PROVIDER_IP,
  explain,
  fromTemplate as writeScenario,
  rtpSink,
  scenarioPath as here,
  waitForUdpPort,
  type RtpSink,
} from './trunk-provider.ts';

const CALLER = { number: '3001', password: 'caller-3001-pw' };
const DID_CALLEE = { number: '3002', password: 'callee-3002-pw' };
const FORWARDER = { number: '3003', password: 'fwd-3003-pw' };
const TRANSFEROR = { number: '3004', password: 'xfer-3004-pw' };
const TRUNK_USER = { user: 'acct-77', password: 'trunk-pw-77' };
const REG_USER = { user: 'reg-88', password: 'reg-pw-88' };
const CALLER_ID = '+442079460000';
const DID = '+442079460001';
const FORWARDED_DID = '+442079460002';

let pbx: PbxHarness;
let providerPort: number;
let registrarPort: number;
let trunk: Trunk;
let scenarios: string;
let registrar: Promise<SippResult>;

/** A scenario from a template, with {{KEY}} filled in (values a SIPp attribute cannot take as -key). */
const fromTemplate = (name: string, values: Record<string, string>): Promise<string> =>
  writeScenario(scenarios, name, values);

const escapeRe = (s: string): string => s.replace(/[+.]/g, (c) => `\\${c}`);

function sipp(
  options: Omit<SippOptions, 'target'> & { target?: SippOptions['target'] },
): Promise<SippResult> {
  return runSipp({ target: { host: '127.0.0.1', port: pbx.sipPort }, timeoutSeconds: 25, ...options });
}

/** The provider answering one call to `number` on the trunk's port; RTP to `media`. */
async function startProvider(number: string, media: Socket): Promise<{ done: Promise<SippResult> }> {
  // RFC 2617 §3.2.2 without qop: the response our trunk must send for this challenge.
  const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
  const nonce = randomBytes(12).toString('hex');
  const uri = `sip:${number}@${PROVIDER_IP}:${providerPort}`;
  const ha1 = md5(`${TRUNK_USER.user}:provider.test:${TRUNK_USER.password}`);
  const scenario = await fromTemplate('trunk-provider-uas', {
    USER: TRUNK_USER.user,
    NONCE: nonce,
    RESPONSE: md5(`${ha1}:${nonce}:${md5(`INVITE:${uri}`)}`),
    NUMBER_RE: escapeRe(number),
    CALLER_ID_RE: escapeRe(CALLER_ID),
    // The trunk prefers PCMA: A-law first, then μ-law, then telephone-event.
    CODECS_RE: '8 0 [0-9]+',
    RTP_IP: PROVIDER_IP,
    RTP_PORT: String(media.address().port),
  });
  const run = sipp({
    scenario,
    localIp: PROVIDER_IP,
    target: { host: '127.0.0.1', port: pbx.sipPort },
    extraArgs: ['-p', String(providerPort), '-mp', String(await freePort(PROVIDER_IP))],
  });
  await Promise.race([
    waitForUdpPort(PROVIDER_IP, providerPort),
    run.then((r) => Promise.reject(new Error(explain(r)))),
  ]);
  return { done: run };
}

/** Runs `fn` while the provider answers one call to `number`; its RTP sink is closed after. */
async function withProvider(
  number: string,
  fn: (provider: { done: Promise<SippResult> }, media: RtpSink) => Promise<void>,
): Promise<void> {
  const media = await rtpSink(PROVIDER_IP);
  try {
    await fn(await startProvider(number, media.socket), media);
  } finally {
    media.socket.close();
  }
}

/** Runs `fn` with the tenant's external calls off, and turns them on again after. */
async function withExternalCallsOff(fn: () => Promise<void>): Promise<void> {
  await pbx.repos.trunks.setPolicy(pbx.tenant.id, { externalCalls: false });
  try {
    await fn();
  } finally {
    await pbx.repos.trunks.setPolicy(pbx.tenant.id, { externalCalls: true });
  }
}

/** Runs `fn` while FORWARDER forwards every call to `target`, and clears it after. */
async function withForwardAlways(target: string, fn: () => Promise<void>): Promise<void> {
  await pbx.repos.callSettings.updateForExtension(pbx.tenant.id, FORWARDER.number, {
    forwardAlways: target,
  });
  try {
    await fn();
  } finally {
    await pbx.repos.callSettings.updateForExtension(pbx.tenant.id, FORWARDER.number, {
      forwardAlways: null,
    });
  }
}

const auth = (user: { number: string; password: string }): string[] => [
  '-au',
  user.number,
  '-ap',
  user.password,
];

/** An extension calling `callee` with audio (uac-call-rtp.xml); its Call-IDs start with `tag`. */
async function call(user: typeof CALLER, callee: string, tag: string, talkMs: number): Promise<SippResult> {
  return sipp({
    scenario: here('uac-call-rtp.xml'),
    service: user.number,
    extraArgs: [
      ...auth(user),
      ...['-key', 'callee', callee, '-mp', String(await freePort()), '-cid_str', `${tag}-%u-%p@%s`],
      ...['-d', String(talkMs)],
    ],
  });
}

/** Registers `user` from a free port and runs the scenario file there (a SIPp phone that answers). */
async function startPhone(
  user: { number: string; password: string },
  scenario: string,
  keys: Record<string, string> = {},
): Promise<{ done: Promise<SippResult> }> {
  const port = await freePort();
  const registered = await sipp({
    scenario: here('register-auth.xml'),
    service: user.number,
    extraArgs: [...auth(user), '-key', 'expires', '300', '-p', String(port)],
  });
  expect(registered.exitCode, explain(registered)).toBe(0);
  const run = sipp({
    scenario,
    service: user.number,
    extraArgs: [
      ...['-p', String(port), '-aa', '-mp', String(await freePort())],
      ...Object.entries(keys).flatMap(([k, v]) => ['-key', k, v]),
    ],
  });
  await Promise.race([
    waitForUdpPort('127.0.0.1', port),
    run.then((r) => Promise.reject(new Error(explain(r)))),
  ]);
  return { done: run };
}

async function cdrsOf(tag: string, count = 1): Promise<Cdr[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = (await pbx.cdrs()).filter((c) => c.sipCallIds.some((id) => id.startsWith(`${tag}-`)));
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`no CDR for the call ${tag}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  scenarios = await mkdtemp(join(tmpdir(), 'trunk-scenarios-'));
  providerPort = await freePort(PROVIDER_IP);
  registrarPort = await freePort(PROVIDER_IP);
  pbx = await startPbx({
    extensions: [CALLER, DID_CALLEE, FORWARDER, TRANSFEROR],
    startOptions: { trunkRegistrationRetryMs: 300 },
    beforeStart: async (repos, tenant) => {
      trunk = await repos.trunks.create({
        tenantId: tenant.id,
        name: 'provider',
        host: PROVIDER_IP,
        port: providerPort,
        authUsername: TRUNK_USER.user,
        password: TRUNK_USER.password,
        fromDomain: 'provider.test',
        callerId: CALLER_ID,
        codecs: ['PCMA', 'PCMU'],
      });
      await repos.trunks.create({
        tenantId: tenant.id,
        name: 'registering',
        host: PROVIDER_IP,
        port: registrarPort,
        authUsername: REG_USER.user,
        password: REG_USER.password,
        fromDomain: 'provider.test',
        register: true,
      });
      await repos.trunks.addRoute(tenant.id, { trunkId: trunk.id, pattern: '0X.', strip: 1, prepend: '+44' });
      await repos.trunks.addDid(tenant.id, { number: DID, extension: DID_CALLEE.number });
      await repos.trunks.addDid(tenant.id, { number: FORWARDED_DID, extension: FORWARDER.number });
      await repos.trunks.setPolicy(tenant.id, { externalCalls: true });
      // The provider's registrar is up before the server registers (it retries anyway).
      registrar = runSipp({
        target: { host: '127.0.0.1', port: 9 },
        scenario: await fromTemplate('trunk-provider-register', {
          USER: REG_USER.user,
          PASS: REG_USER.password,
          EXPIRES: '120',
        }),
        localIp: PROVIDER_IP,
        timeoutSeconds: 60,
        extraArgs: ['-p', String(registrarPort)],
      });
      await waitForUdpPort(PROVIDER_IP, registrarPort);
    },
  });
}, 120_000);

afterAll(async () => {
  await pbx?.close();
  if (scenarios) await rm(scenarios, { recursive: true, force: true });
});

describe('SIP trunks with SIPp as the provider', { timeout: 90_000 }, () => {
  it('registers at the provider: 401, then 200 with digest credentials and a Contact naming the trunk', async () => {
    const result = await registrar;
    expect(result.exitCode, explain(result)).toBe(0);
    const deadline = Date.now() + 10_000;
    let metrics = '';
    while (Date.now() < deadline) {
      metrics = await (await fetch(`http://127.0.0.1:${pbx.httpPort}/metrics`)).text();
      if (/switchboard_trunk_registration_changes_total\{state="registered"\} [1-9]/.test(metrics)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(metrics).toMatch(/switchboard_trunk_registration_changes_total\{state="registered"\} [1-9]/);
  });

  it('an extension dials 0… → +44… at the provider with the trunk caller ID after a 407, audio flows, CDR outbound', async () => {
    await withProvider('+442079460999', async (provider, media) => {
      const caller = await call(CALLER, '02079460999', 'out', 3000);
      const providerResult = await provider.done;
      expect(caller.exitCode, explain(caller)).toBe(0);
      expect(providerResult.exitCode, explain(providerResult)).toBe(0);
      // The caller's pcap (A-law every 30 ms) reached the provider through the relay.
      expect(media.pcma()).toBeGreaterThanOrEqual(50);
    });
    const [cdr] = await cdrsOf('out');
    expect(cdr).toMatchObject({
      direction: 'outbound',
      caller: CALLER.number,
      callee: '+442079460999',
      disposition: 'answered',
      hangupSide: 'caller',
      trunkId: trunk.id,
    });
    expect(cdr!.billableSeconds).toBeGreaterThan(0);
  });

  it('an inbound call to a DID rings its extension; the CDR is inbound with the trunk', async () => {
    const media = await rtpSink('127.0.0.1');
    try {
      const phone = await startPhone(DID_CALLEE, here('uas-answer.xml'), {
        rtp_ip: '127.0.0.1',
        rtp_port: String(media.socket.address().port),
      });
      const provider = await sipp({
        scenario: here('trunk-provider-uac.xml'),
        localIp: PROVIDER_IP,
        extraArgs: [
          // From the provider's SIP port: two trunks share its address, the port tells them apart.
          ...['-p', String(providerPort), '-key', 'did', DID, '-d', '3000'],
          ...['-mp', String(await freePort(PROVIDER_IP))],
          ...['-cid_str', `in-%u-%p@%s`],
        ],
      });
      const phoneResult = await phone.done;
      expect(provider.exitCode, explain(provider)).toBe(0);
      expect(phoneResult.exitCode, explain(phoneResult)).toBe(0);
      expect(media.pcma()).toBeGreaterThanOrEqual(50);
    } finally {
      media.socket.close();
    }
    const [cdr] = await cdrsOf('in');
    expect(cdr).toMatchObject({
      direction: 'inbound',
      caller: '+447700900123',
      callee: DID_CALLEE.number,
      disposition: 'answered',
      trunkId: trunk.id,
    });
  });

  it('refuses a number that is no DID (404), and a stranger calling the DID is only challenged (407)', async () => {
    const notFound = await sipp({
      scenario: await fromTemplate('trunk-provider-uac-refused', { STATUS: '404' }),
      localIp: PROVIDER_IP,
      extraArgs: ['-key', 'did', '+442079469999', '-mp', String(await freePort(PROVIDER_IP))],
    });
    expect(notFound.exitCode, explain(notFound)).toBe(0);
    const stranger = await sipp({
      scenario: await fromTemplate('trunk-provider-uac-refused', { STATUS: '407' }),
      localIp: '127.0.0.1',
      extraArgs: ['-key', 'did', DID, '-mp', String(await freePort())],
    });
    expect(stranger.exitCode, explain(stranger)).toBe(0);
  });

  it('refuses external calls with 403 when the tenant does not allow them (CDR outbound, failed)', async () => {
    await withExternalCallsOff(async () => {
      const refused = await sipp({
        scenario: await fromTemplate('trunk-uac-refused', { STATUS: '403' }),
        service: CALLER.number,
        extraArgs: [
          ...auth(CALLER),
          ...['-key', 'callee', '02079460999', '-mp', String(await freePort()), '-cid_str', 'deny-%u-%p@%s'],
        ],
      });
      expect(refused.exitCode, explain(refused)).toBe(0);
    });
    const [cdr] = await cdrsOf('deny');
    expect(cdr).toMatchObject({ direction: 'outbound', caller: CALLER.number, sipStatus: 403 });
  });

  it('forwards a call to an external number through the trunk', async () => {
    await withForwardAlways('02079460998', () =>
      withProvider('+442079460998', async (provider, media) => {
        const caller = await call(CALLER, FORWARDER.number, 'fwd', 2000);
        const providerResult = await provider.done;
        expect(caller.exitCode, explain(caller)).toBe(0);
        expect(providerResult.exitCode, explain(providerResult)).toBe(0);
        expect(media.pcma()).toBeGreaterThanOrEqual(30);
      }),
    );
    const [cdr] = await cdrsOf('fwd');
    expect(cdr).toMatchObject({
      direction: 'outbound',
      caller: CALLER.number,
      callee: '+442079460998',
      disposition: 'answered',
      trunkId: trunk.id,
    });
  });

  it('an inbound call to a DID whose extension forwards to a mobile goes back out through the trunk', async () => {
    await withForwardAlways('07700900995', () =>
      withProvider('+447700900995', async (provider, media) => {
        const caller = await sipp({
          scenario: here('trunk-provider-uac.xml'),
          localIp: PROVIDER_IP,
          extraArgs: [
            ...['-key', 'did', FORWARDED_DID, '-d', '2000', '-mp', String(await freePort(PROVIDER_IP))],
            ...['-cid_str', `hairpin-%u-%p@%s`],
          ],
        });
        const providerResult = await provider.done;
        expect(caller.exitCode, explain(caller)).toBe(0);
        expect(providerResult.exitCode, explain(providerResult)).toBe(0);
        // The caller's audio came in on the trunk and went back out on it.
        expect(media.pcma()).toBeGreaterThanOrEqual(30);
      }),
    );
    const [cdr] = await cdrsOf('hairpin');
    expect(cdr).toMatchObject({
      direction: 'outbound',
      caller: '+447700900123',
      callee: '+447700900995',
      disposition: 'answered',
      trunkId: trunk.id,
    });
  });

  it('a blind transfer (REFER) to an external number goes out through the trunk', async () => {
    await withProvider('+442079460997', async (provider, media) => {
      const transferor = await startPhone(TRANSFEROR, here('trunk-uas-refer.xml'), { target: '02079460997' });
      const caller = await call(CALLER, TRANSFEROR.number, 'xfer', 6000);
      const [transferorResult, providerResult] = await Promise.all([transferor.done, provider.done]);
      expect(transferorResult.exitCode, explain(transferorResult)).toBe(0);
      expect(caller.exitCode, explain(caller)).toBe(0);
      expect(providerResult.exitCode, explain(providerResult)).toBe(0);
      expect(media.pcma()).toBeGreaterThanOrEqual(30);
    });
    const records = await cdrsOf('xfer', 2);
    const view = records.map((c) => [c.caller, c.callee, c.hangupCause, c.direction, c.trunkId]);
    expect(view.sort()).toEqual(
      [
        [CALLER.number, TRANSFEROR.number, 'transferred', 'internal', null],
        // The stretch after the transfer goes to an external number: outbound, with the trunk.
        [CALLER.number, '+442079460997', 'normal_clearing', 'outbound', trunk.id],
      ].sort(),
    );
  });
  it('#1 + an external number keyed during a call (RFC 4733) transfers it out through the trunk', async () => {
    // Each key: its telephone-event pcap, a pause between keys so the events do not run together.
    // NOTE: no key twice in a row: replaying one pcap twice repeats its RTP timestamp, and a
    // repeated timestamp is the same event (RFC 4733 §2.5.1.3), so the second would be lost.
    const keys = ['pound', '1', ...'02079460985'.split(''), 'pound'];
    const dtmf = keys
      .map(
        (k) =>
          `  <nop><action><exec play_pcap_audio="/usr/share/sip-tester/dtmf_2833_${k}.pcap"/></action></nop>`,
      )
      // No pause after the last key: the PBX's BYE may come at once (a message in a pause is unexpected).
      .join('\n  <pause milliseconds="400"/>\n');
    await withProvider('+442079460985', async (provider) => {
      const transferor = await startPhone(
        TRANSFEROR,
        await fromTemplate('trunk-uas-dtmf-transfer', { DTMF: dtmf }),
      );
      const caller = await call(CALLER, TRANSFEROR.number, 'keyed', 12000);
      const [transferorResult, providerResult] = await Promise.all([transferor.done, provider.done]);
      expect(transferorResult.exitCode, explain(transferorResult)).toBe(0);
      expect(caller.exitCode, explain(caller)).toBe(0);
      expect(providerResult.exitCode, explain(providerResult)).toBe(0);
    });
    const records = await cdrsOf('keyed', 2);
    expect(records.map((c) => [c.callee, c.hangupCause, c.direction]).sort()).toEqual(
      [
        [TRANSFEROR.number, 'transferred', 'internal'],
        ['+442079460985', 'normal_clearing', 'outbound'],
      ].sort(),
    );
  });

  it('a blind transfer to an external number is refused (NOTIFY 403) when the tenant does not allow it; the call goes on', async () => {
    await withExternalCallsOff(async () => {
      const transferor = await startPhone(TRANSFEROR, here('trunk-uas-refer-refused.xml'), {
        target: '02079460996',
      });
      // The caller talks on after the refused transfer, then hangs up: BYE reaches the transferor.
      const caller = await call(CALLER, TRANSFEROR.number, 'noxfer', 3000);
      const transferorResult = await transferor.done;
      expect(caller.exitCode, explain(caller)).toBe(0);
      expect(transferorResult.exitCode, explain(transferorResult)).toBe(0);
    });
    const records = await cdrsOf('noxfer');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      caller: CALLER.number,
      callee: TRANSFEROR.number,
      disposition: 'answered',
      hangupCause: 'normal_clearing',
      hangupSide: 'caller',
    });
  });
});
