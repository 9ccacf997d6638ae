// Two real baresip phones register with digest auth and call each other through the PBX, over
// UDP and over TCP: each sends its own tone and records what it hears; the CDR must match.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Baresip } from '@switchboard/testkit';
import { analyseHeard } from './audio.ts';
import { startPbx, type PbxHarness } from './harness.ts';

const ALICE = { number: '1001', password: 's1001-secret', name: 'Alice' };
const BOB = { number: '1002', password: 's1002-secret', name: 'Bob' };
const TONE_A = 440;
const TONE_B = 1200;

describe.each(['udp', 'tcp'] as const)('two baresip phones over %s', (transport) => {
  let pbx: PbxHarness;
  const phones: Baresip[] = [];

  beforeAll(async () => {
    pbx = await startPbx({ extensions: [ALICE, BOB] });
  });
  afterAll(async () => {
    await Promise.all(phones.map((p) => p.cleanup()));
    await pbx?.close();
  });

  it('register with digest auth, talk with each other tone, and leave a correct CDR', async () => {
    const start = (user: typeof ALICE, toneHz: number): Promise<Baresip> =>
      Baresip.start({
        account: {
          user: user.number,
          password: user.password,
          registrar: pbx.registrar,
          domain: '127.0.0.1',
          transport,
        },
        toneHz,
      }).then((p) => (phones.push(p), p));
    const [a, b] = await Promise.all([start(ALICE, TONE_A), start(BOB, TONE_B)]);
    await Promise.all([a.waitForRegistration(), b.waitForRegistration()]);
    const bindings = pbx.events.flatMap((e) =>
      e.type === 'registration' && e.change.kind === 'added' ? [e.change.binding] : [],
    );
    expect(bindings.map((x) => [x.username, x.source.transport]).sort()).toEqual([
      [ALICE.number, transport],
      [BOB.number, transport],
    ]);

    await a.dial(`sip:${BOB.number}@127.0.0.1`);
    await b.waitFor('CALL_INCOMING', 10_000);
    await b.answer();
    await Promise.all([a.waitFor('CALL_ESTABLISHED', 10_000), b.waitFor('CALL_ESTABLISHED', 10_000)]);
    // Talk for a while: enough audio for a clean frequency, and a billable second.
    await new Promise((r) => setTimeout(r, 2_500));
    await a.hangup();
    await Promise.all([a.waitFor('CALL_CLOSED', 10_000), b.waitFor('CALL_CLOSED', 10_000)]);

    const [cdr] = await pbx.waitForCdrs(1);
    // Stop the phones so their recordings are complete on disk.
    await Promise.all([a.stop(), b.stop()]);
    const heardByA = (await a.recordings()).heard;
    const heardByB = (await b.recordings()).heard;
    expect(heardByA).toHaveLength(1);
    expect(heardByB).toHaveLength(1);
    const atA = await analyseHeard(heardByA[0]!);
    const atB = await analyseHeard(heardByB[0]!);
    expect(Math.abs(atA.frequency - TONE_B), `A heard ${atA.frequency} Hz`).toBeLessThanOrEqual(20);
    expect(Math.abs(atB.frequency - TONE_A), `B heard ${atB.frequency} Hz`).toBeLessThanOrEqual(20);

    expect(cdr).toMatchObject({
      disposition: 'answered',
      caller: ALICE.number,
      callee: BOB.number,
      direction: 'internal',
      hangupSide: 'caller',
    });
    expect(cdr!.answeredAt).not.toBeNull();
    expect(cdr!.billableSeconds).toBeGreaterThan(0);
    expect(cdr!.sipCallIds).toHaveLength(2);
    const callIdA = a.events.find((e) => e.type === 'CALL_ESTABLISHED')?.id;
    const callIdB = b.events.find((e) => e.type === 'CALL_ESTABLISHED')?.id;
    expect(new Set(cdr!.sipCallIds)).toEqual(new Set([callIdA, callIdB]));
  }, 60_000);
});
