// Attended transfer by a real phone (issue 7): linphonec talks to Alice (baresip), puts her on
// hold, calls Carol (baresip), then transfers Alice to Carol with REFER + Replaces (RFC 3891).
// The PBX joins Alice and Carol, who then hear each other's tones, and releases linphonec.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeWav } from '@switchboard/media';
import { Baresip, Linphone } from '@switchboard/testkit';
import { startPbx, type PbxHarness } from './harness.ts';
import { describeTimeline, heardTimeline, windowsAt } from './heard-timeline.ts';

const ALICE = { number: '3001', password: 'at-3001-secret', name: 'Alice' };
const DAVE = { number: '3002', password: 'at-3002-secret', name: 'Dave' };
const CAROL = { number: '3003', password: 'at-3003-secret', name: 'Carol' };
const TONE_ALICE = 1500;
const TONE_CAROL = 2000;
const TONE_DAVE = 700;

function toneWav(hz: number, seconds: number, rate = 8000): Uint8Array {
  const samples = new Int16Array(seconds * rate);
  for (let i = 0; i < samples.length; i++)
    samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate));
  return writeWav({ format: 'pcm16', sampleRate: rate, channels: 1, samples });
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('attended transfer with REFER and Replaces (linphonec)', () => {
  let pbx: PbxHarness;
  let dir: string;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    pbx = await startPbx({ extensions: [ALICE, DAVE, CAROL] });
    dir = await mkdtemp(join(tmpdir(), 'attended-'));
  });
  afterAll(async () => {
    await Promise.all(cleanups.map((c) => c()));
    await pbx?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('Dave transfers Alice to Carol after talking to Carol; Alice and Carol talk', async () => {
    const baresip = async (user: typeof ALICE, toneHz: number): Promise<Baresip> => {
      const p = await Baresip.start({
        account: {
          user: user.number,
          password: user.password,
          registrar: pbx.registrar,
          domain: '127.0.0.1',
        },
        toneHz,
      });
      cleanups.push(() => p.cleanup());
      await p.waitForRegistration();
      return p;
    };
    const wav = join(dir, 'dave.wav');
    await writeFile(wav, toneWav(TONE_DAVE, 60));
    const [alice, carol] = await Promise.all([baresip(ALICE, TONE_ALICE), baresip(CAROL, TONE_CAROL)]);
    const dave = await Linphone.start({
      account: { user: DAVE.number, password: DAVE.password, registrar: pbx.registrar },
      playWav: wav,
    });
    cleanups.push(() => dave.cleanup());
    await dave.waitForRegistration(15_000);

    // 1. Dave calls Alice. (linphonec 5.1 here answers incoming INVITEs with 503, its core
    // never reaching the On state; as a caller it works, so Dave places both calls.)
    dave.call(`sip:${ALICE.number}@127.0.0.1`);
    await alice.waitFor('CALL_INCOMING', 10_000);
    await alice.answer();
    await alice.waitFor('CALL_ESTABLISHED', 10_000);
    await pause(1000);
    // 2. Dave holds Alice and calls Carol (his second call).
    let from = dave.output.length;
    dave.send('pause');
    await dave.waitForOutput(/paused|Pausing/i, 10_000, from);
    from = dave.output.length;
    dave.call(`sip:${CAROL.number}@127.0.0.1`);
    await carol.waitFor('CALL_INCOMING', 10_000);
    await carol.answer();
    await carol.waitFor('CALL_ESTABLISHED', 10_000);
    await dave.waitForOutput(/connected/i, 10_000, from);
    await pause(1500);
    // 3. Dave transfers call 1 (Alice) to the party of call 2 (Carol).
    from = dave.output.length;
    dave.send('calls');
    await dave.waitForOutput(/\|\s*2\s*\|/, 5_000, from).catch(() => undefined);
    dave.send('transfer 1 --to-call 2');
    // Dave is released from both calls.
    await dave.waitForOutput(/Call 1 .*(ended|terminated|released)|ended|terminated/i, 15_000, from);
    await pause(3000);
    await alice.hangup();
    await carol.waitFor('CALL_CLOSED', 10_000);
    await Promise.all([alice.stop(), carol.stop()]);

    const atAlice = await heardTimeline((await alice.recordings()).heard.at(-1)!);
    const atCarol = await heardTimeline((await carol.recordings()).heard.at(-1)!);
    const carolAtAlice = windowsAt(atAlice, TONE_CAROL);
    const daveAtAlice = windowsAt(atAlice, TONE_DAVE);
    expect(daveAtAlice.length, describeTimeline(atAlice)).toBeGreaterThan(0);
    expect(carolAtAlice.length, describeTimeline(atAlice)).toBeGreaterThanOrEqual(6);
    expect(daveAtAlice[0]!, describeTimeline(atAlice)).toBeLessThan(carolAtAlice[0]!);
    expect(windowsAt(atCarol, TONE_ALICE).length, describeTimeline(atCarol)).toBeGreaterThanOrEqual(6);
    // Both calls are recorded; the one that carried the transfer ends between Alice and Carol.
    // Three records: Dave with Alice and Dave with Carol, both ended by the transfer, then Carol
    // with Alice (Carol's leg of the replaced call went on in Alice's call, RFC 3891).
    const cdrs = await pbx.waitForCdrs(3);
    const rows = cdrs.map((c) => [c.caller, c.callee, c.disposition, c.hangupCause]);
    expect(rows).toEqual(
      expect.arrayContaining([
        [DAVE.number, ALICE.number, 'answered', 'transferred'],
        [DAVE.number, CAROL.number, 'answered', 'transferred'],
        [CAROL.number, ALICE.number, 'answered', 'normal_clearing'],
      ]),
    );
    const toCarol = cdrs.find((c) => c.callee === CAROL.number)!;
    const joined = cdrs.find((c) => c.caller === CAROL.number)!;
    const carolLeg = toCarol.sipCallIds.find((id) => id !== toCarol.sipCallIds[0]);
    expect(joined.sipCallIds).toContain(carolLeg);
  }, 120_000);
});
