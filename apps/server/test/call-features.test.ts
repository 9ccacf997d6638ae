// Call features with real phones (issue 7): baresip puts a call on hold and the other party
// hears the PBX's music; baresip transfers a call with REFER and the remaining parties talk.
// Each phone sends its own tone and records what it hears.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Baresip } from '@switchboard/testkit';
import { startPbx, type PbxHarness } from './harness.ts';
import { describeTimeline, heardTimeline, windowsAt, windowsBetween } from './heard-timeline.ts';

const ALICE = { number: '1001', password: 'cf-1001-secret', name: 'Alice' };
const BOB = { number: '1002', password: 'cf-1002-secret', name: 'Bob' };
const CAROL = { number: '1003', password: 'cf-1003-secret', name: 'Carol' };
const TONE = { [ALICE.number]: 1500, [BOB.number]: 1200, [CAROL.number]: 2000 } as Record<string, number>;

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('call features with baresip phones', () => {
  let pbx: PbxHarness;
  let phones: Baresip[] = [];

  beforeAll(async () => {
    pbx = await startPbx({ extensions: [ALICE, BOB, CAROL] });
  });
  afterEach(async () => {
    await Promise.all(phones.map((p) => p.cleanup()));
    phones = [];
  });
  afterAll(async () => {
    await pbx?.close();
  });

  const phone = async (user: typeof ALICE): Promise<Baresip> => {
    const p = await Baresip.start({
      account: { user: user.number, password: user.password, registrar: pbx.registrar, domain: '127.0.0.1' },
      toneHz: TONE[user.number]!,
    });
    phones.push(p);
    await p.waitForRegistration();
    return p;
  };

  /** A calls B, B answers; both established. */
  const connect = async (a: Baresip, b: Baresip, number: string): Promise<void> => {
    await a.dial(`sip:${number}@127.0.0.1`);
    await b.waitFor('CALL_INCOMING', 10_000);
    await b.answer();
    await Promise.all([a.waitFor('CALL_ESTABLISHED', 10_000), b.waitFor('CALL_ESTABLISHED', 10_000)]);
  };

  const heard = async (p: Baresip): Promise<Awaited<ReturnType<typeof heardTimeline>>> => {
    const files = (await p.recordings()).heard;
    expect(files.length).toBeGreaterThan(0);
    return heardTimeline(files.at(-1)!);
  };

  it('hold: the held party hears music on hold, resume brings the caller back', async () => {
    const [a, b] = await Promise.all([phone(ALICE), phone(BOB)]);
    await connect(a, b, BOB.number);
    await pause(1500);
    expect((await a.command('hold')).ok).toBe(true);
    await pause(3000);
    expect((await a.command('resume')).ok).toBe(true);
    await pause(2000);
    await a.hangup();
    await b.waitFor('CALL_CLOSED', 10_000);
    await Promise.all([a.stop(), b.stop()]);

    const atB = await heard(b);
    const picture = describeTimeline(atB);
    const alice = windowsAt(atB, TONE[ALICE.number]!);
    const music = windowsBetween(atB, 200, 900);
    // Alice's tone, then at least two seconds of music, then Alice's tone again.
    expect(music.length, picture).toBeGreaterThanOrEqual(8);
    expect(
      alice.some((i) => i < music[0]!),
      picture,
    ).toBe(true);
    expect(
      alice.some((i) => i > music.at(-1)!),
      picture,
    ).toBe(true);
    // The music is a melody, not one tone.
    expect(new Set(music.map((i) => Math.round(atB[i]!.frequency / 50))).size, picture).toBeGreaterThan(2);
    // Nobody hung up on the held call: one CDR, answered.
    const [cdr] = await pbx.waitForCdrs(1);
    expect(cdr).toMatchObject({ disposition: 'answered', caller: ALICE.number, callee: BOB.number });
  }, 60_000);
});
