// Call features with real phones (issue 7): baresip puts a call on hold and the other party
// hears the PBX's music; baresip transfers a call with REFER and the remaining parties talk.
// Each phone sends its own tone and records what it hears.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { musicWav } from '@switchboard/pbx';
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

  it("hold plays the organisation's own music once uploaded", async () => {
    const samples = new Int16Array(8000 * 3).map((_, i) =>
      Math.round(7000 * Math.sin((2 * Math.PI * 1700 * i) / 8000)),
    );
    await pbx.repos.musicOnHold.put(pbx.tenant.id, {
      name: 'tone.wav',
      wav: musicWav({ sampleRate: 8000, samples }),
      durationMs: 3000,
    });
    try {
      const [a, b] = await Promise.all([phone(ALICE), phone(BOB)]);
      await connect(a, b, BOB.number);
      await pause(500);
      expect((await a.command('hold')).ok).toBe(true);
      await pause(2500);
      await a.hangup();
      await b.waitFor('CALL_CLOSED', 10_000);
      await b.stop();
      const atB = await heard(b);
      expect(windowsAt(atB, 1700).length, describeTimeline(atB)).toBeGreaterThanOrEqual(6);
      expect(windowsBetween(atB, 200, 900), describeTimeline(atB)).toEqual([]);
    } finally {
      await pbx.repos.musicOnHold.remove(pbx.tenant.id);
    }
  }, 60_000);

  it('blind transfer: Bob REFERs Alice to Carol, Alice and Carol talk, Bob is released', async () => {
    const [a, b, c] = await Promise.all([phone(ALICE), phone(BOB), phone(CAROL)]);
    await connect(a, b, BOB.number);
    await pause(1000);
    expect((await b.command('transfer', `sip:${CAROL.number}@127.0.0.1`)).ok).toBe(true);
    await c.waitFor('CALL_INCOMING', 10_000);
    await c.answer();
    await c.waitFor('CALL_ESTABLISHED', 10_000);
    // The transferor is released once the target answered.
    await b.waitFor('CALL_CLOSED', 10_000);
    await pause(2500);
    await a.hangup();
    await Promise.all([a.waitFor('CALL_CLOSED', 10_000), c.waitFor('CALL_CLOSED', 10_000)]);
    await Promise.all([a.stop(), b.stop(), c.stop()]);

    const atC = await heard(c);
    const atA = await heard(a);
    // Carol hears Alice, and Alice hears Carol after having heard Bob.
    expect(windowsAt(atC, TONE[ALICE.number]!).length, describeTimeline(atC)).toBeGreaterThanOrEqual(6);
    const carolAtA = windowsAt(atA, TONE[CAROL.number]!);
    const bobAtA = windowsAt(atA, TONE[BOB.number]!);
    expect(carolAtA.length, describeTimeline(atA)).toBeGreaterThanOrEqual(6);
    expect(bobAtA.length, describeTimeline(atA)).toBeGreaterThan(0);
    expect(bobAtA[0]!, describeTimeline(atA)).toBeLessThan(carolAtA[0]!);
    // Two records: Alice with Bob until the transfer, then Alice with Carol — each user's history
    // shows whom they talked to.
    const cdrs = await pbx.waitForCdrs(2);
    expect(cdrs.slice(0, 2).map((c) => [c.caller, c.callee, c.disposition, c.hangupCause])).toEqual([
      [ALICE.number, CAROL.number, 'answered', 'normal_clearing'],
      [ALICE.number, BOB.number, 'answered', 'transferred'],
    ]);
    const callIdC = c.events.find((e) => e.type === 'CALL_ESTABLISHED')?.id;
    expect(cdrs[0]!.sipCallIds).toContain(callIdC);
  }, 60_000);

  it('a failed transfer returns the call to the transferor (REFER: NOTIFY with the failure; #1: back on the line)', async () => {
    const [a, b, c] = await Promise.all([phone(ALICE), phone(BOB), phone(CAROL)]);
    // REFER: Bob is told (NOTIFY sipfrag "486 Busy Here"); baresip then hangs up by itself.
    await connect(a, b, BOB.number);
    expect((await b.command('transfer', `sip:${CAROL.number}@127.0.0.1`)).ok).toBe(true);
    await c.waitFor('CALL_INCOMING', 10_000);
    await c.hangup(); // 486 Busy Here
    expect(String((await b.waitFor('TRANSFER_FAILED', 10_000)).param)).toMatch(/486/);
    await a.waitFor('CALL_CLOSED', 10_000);
    await pause(500);

    // #1: the PBX keeps Bob on the line; when Carol refuses he is back with Alice.
    const closedA = a.events.filter((e) => e.type === 'CALL_CLOSED').length;
    const closedB = b.events.filter((e) => e.type === 'CALL_CLOSED').length;
    const incomingC = c.events.filter((e) => e.type === 'CALL_INCOMING').length;
    await a.dial(`sip:${BOB.number}@127.0.0.1`);
    await b.waitFor(
      'CALL_INCOMING',
      10_000,
      () => b.events.filter((e) => e.type === 'CALL_INCOMING').length > 1,
    );
    await b.answer();
    await a.waitFor(
      'CALL_ESTABLISHED',
      10_000,
      () => a.events.filter((e) => e.type === 'CALL_ESTABLISHED').length > 1,
    );
    await pause(500);
    await keys(b, `#1${CAROL.number}#`);
    await c.waitFor(
      'CALL_INCOMING',
      10_000,
      () => c.events.filter((e) => e.type === 'CALL_INCOMING').length > incomingC,
    );
    await c.hangup();
    await pause(2500);
    expect(a.events.filter((e) => e.type === 'CALL_CLOSED').length).toBe(closedA);
    expect(b.events.filter((e) => e.type === 'CALL_CLOSED').length).toBe(closedB);
    await a.hangup();
    await b.waitFor(
      'CALL_CLOSED',
      10_000,
      () => b.events.filter((e) => e.type === 'CALL_CLOSED').length > closedB,
    );
    await Promise.all([a.stop(), b.stop()]);
    // Alice heard Bob after the failed transfer; Bob heard the refusal tone (950/1400/1800 Hz).
    const recordings = (await a.recordings()).heard;
    const atA = await heardTimeline(recordings.at(-1)!);
    const bob = windowsAt(atA, TONE[BOB.number]!);
    expect(bob.length, describeTimeline(atA)).toBeGreaterThanOrEqual(4);
    expect(bob.at(-1)!, describeTimeline(atA)).toBeGreaterThan(atA.length - 6);
    const atB = await heardTimeline((await b.recordings()).heard.at(-1)!, 100);
    expect(windowsAt(atB, 1400, 30).length, describeTimeline(atB)).toBeGreaterThan(0);
  }, 60_000);

  const settings = (number: string, patch: Record<string, unknown>): Promise<unknown> =>
    pbx.repos.callSettings.updateForExtension(pbx.tenant.id, number, patch);

  it('forwarding on busy: Bob rejects, the call reaches Carol', async () => {
    await settings(BOB.number, { forwardBusy: CAROL.number });
    try {
      const [a, b, c] = await Promise.all([phone(ALICE), phone(BOB), phone(CAROL)]);
      const before = (await pbx.cdrs()).length;
      await a.dial(`sip:${BOB.number}@127.0.0.1`);
      await b.waitFor('CALL_INCOMING', 10_000);
      await b.hangup(); // baresip refuses a ringing call with 486 Busy Here
      await c.waitFor('CALL_INCOMING', 10_000);
      await c.answer();
      await a.waitFor('CALL_ESTABLISHED', 10_000);
      await pause(2000);
      await a.hangup();
      await c.waitFor('CALL_CLOSED', 10_000);
      await Promise.all([a.stop(), c.stop()]);
      expect(windowsAt(await heard(a), TONE[CAROL.number]!).length).toBeGreaterThanOrEqual(4);
      const cdrs = (await pbx.waitForCdrs(before + 2)).slice(0, 2);
      expect(cdrs.map((r) => [r.caller, r.callee, r.disposition]).sort()).toEqual([
        [ALICE.number, BOB.number, 'busy'],
        [ALICE.number, CAROL.number, 'answered'],
      ]);
    } finally {
      await settings(BOB.number, { forwardBusy: null });
    }
  }, 60_000);

  it('forwarding on no answer: Bob rings for the configured time, then Carol', async () => {
    await settings(BOB.number, { forwardNoAnswer: CAROL.number, noAnswerSeconds: 5 });
    try {
      const [a, b, c] = await Promise.all([phone(ALICE), phone(BOB), phone(CAROL)]);
      const before = (await pbx.cdrs()).length;
      await a.dial(`sip:${BOB.number}@127.0.0.1`);
      await b.waitFor('CALL_INCOMING', 10_000);
      // Bob does not answer: after 5 s his phone stops ringing and Carol's starts.
      await c.waitFor('CALL_INCOMING', 15_000);
      await b.waitFor('CALL_CLOSED', 5_000);
      await c.answer();
      await a.waitFor('CALL_ESTABLISHED', 10_000);
      await pause(1500);
      await c.hangup();
      await a.waitFor('CALL_CLOSED', 10_000);
      const cdrs = (await pbx.waitForCdrs(before + 2)).slice(0, 2);
      expect(cdrs.map((r) => [r.caller, r.callee, r.disposition]).sort()).toEqual([
        [ALICE.number, BOB.number, 'no_answer'],
        [ALICE.number, CAROL.number, 'answered'],
      ]);
    } finally {
      await settings(BOB.number, { forwardNoAnswer: null, noAnswerSeconds: 20 });
    }
  }, 60_000);

  it('forwarding is loop-safe: Bob → Carol → Bob stops at Carol, whose phone rings', async () => {
    await settings(BOB.number, { forwardAlways: CAROL.number });
    await settings(CAROL.number, { forwardAlways: BOB.number });
    try {
      const [a, b, c] = await Promise.all([phone(ALICE), phone(BOB), phone(CAROL)]);
      await a.dial(`sip:${BOB.number}@127.0.0.1`);
      await c.waitFor('CALL_INCOMING', 10_000);
      await c.answer();
      await a.waitFor('CALL_ESTABLISHED', 10_000);
      expect(b.events.some((e) => e.type === 'CALL_INCOMING')).toBe(false);
      await a.hangup();
      await c.waitFor('CALL_CLOSED', 10_000);
    } finally {
      await settings(BOB.number, { forwardAlways: null });
      await settings(CAROL.number, { forwardAlways: null });
    }
  }, 60_000);

  it('feature codes: *78 turns DND on (calls refused with 480), *79 off; *72+number forwards everything', async () => {
    const [a, b, c] = await Promise.all([phone(ALICE), phone(BOB), phone(CAROL)]);
    const dial = async (p: Baresip, code: string): Promise<void> => {
      const closed = p.events.filter((e) => e.type === 'CALL_CLOSED').length;
      await p.dial(`sip:${code}@127.0.0.1`);
      // The PBX answers, beeps and hangs up.
      await p.waitFor('CALL_ESTABLISHED', 10_000);
      await p.waitFor(
        'CALL_CLOSED',
        10_000,
        () => p.events.filter((e) => e.type === 'CALL_CLOSED').length > closed,
      );
    };
    const settingsOf = async (number: string) =>
      pbx.repos.callSettings.findForExtension(pbx.tenant.id, number);

    await dial(b, '*78');
    expect((await settingsOf(BOB.number))?.dnd).toBe(true);
    await a.dial(`sip:${BOB.number}@127.0.0.1`);
    const refused = await a.waitFor('CALL_CLOSED', 10_000);
    expect(String(refused.param)).toMatch(/480/);
    expect(b.events.some((e) => e.type === 'CALL_INCOMING')).toBe(false);
    // Outgoing calls still work with DND on.
    await connect(b, c, CAROL.number);
    await b.hangup();
    await c.waitFor('CALL_CLOSED', 10_000);

    await dial(b, '*79');
    expect((await settingsOf(BOB.number))?.dnd).toBe(false);
    await dial(b, `*72${CAROL.number}`);
    expect((await settingsOf(BOB.number))?.forwardAlways).toBe(CAROL.number);
    const carolCalls = c.events.filter((e) => e.type === 'CALL_INCOMING').length;
    await a.dial(`sip:${BOB.number}@127.0.0.1`);
    await c.waitFor(
      'CALL_INCOMING',
      10_000,
      () => c.events.filter((e) => e.type === 'CALL_INCOMING').length > carolCalls,
    );
    await a.hangup();
    await dial(b, '*73');
    expect((await settingsOf(BOB.number))?.forwardAlways).toBeNull();
    // Bob heard the confirmation beeps (660, 880, 1100 Hz).
    await b.stop();
    const beeps = await heardTimeline((await b.recordings()).heard[0]!, 100);
    expect(windowsAt(beeps, 880, 30).length, describeTimeline(beeps)).toBeGreaterThan(0);
  }, 90_000);

  /** Keys typed on a phone during a call, sent as RFC 4733 events. */
  const keys = async (p: Baresip, digits: string): Promise<void> => {
    for (const digit of digits) {
      expect((await p.command('sndcode', digit)).ok).toBe(true);
      await pause(250);
    }
  };

  it('#1 + extension: a blind transfer keyed on the phone', async () => {
    const [a, b, c] = await Promise.all([phone(ALICE), phone(BOB), phone(CAROL)]);
    await connect(a, b, BOB.number);
    await pause(500);
    await keys(b, `#1${CAROL.number}#`);
    await c.waitFor('CALL_INCOMING', 10_000);
    await c.answer();
    await b.waitFor('CALL_CLOSED', 10_000);
    await pause(2000);
    await c.hangup();
    await a.waitFor('CALL_CLOSED', 10_000);
    await Promise.all([a.stop(), c.stop()]);
    const atA = await heard(a);
    expect(windowsAt(atA, TONE[CAROL.number]!).length, describeTimeline(atA)).toBeGreaterThanOrEqual(4);
    const atC = await heard(c);
    expect(windowsAt(atC, TONE[ALICE.number]!).length, describeTimeline(atC)).toBeGreaterThanOrEqual(4);
  }, 60_000);

  it('*2 + extension: Bob consults Carol while Alice hears music, hangs up, Alice and Carol talk', async () => {
    const [a, b, c] = await Promise.all([phone(ALICE), phone(BOB), phone(CAROL)]);
    await connect(a, b, BOB.number);
    await pause(1000);
    await keys(b, `*2${CAROL.number}#`);
    await c.waitFor('CALL_INCOMING', 10_000);
    await c.answer();
    await c.waitFor('CALL_ESTABLISHED', 10_000);
    await pause(2000); // Bob and Carol talk; Alice is parked with music.
    await b.hangup();
    await b.waitFor('CALL_CLOSED', 10_000);
    await pause(2500); // Alice and Carol talk.
    await a.hangup();
    await c.waitFor('CALL_CLOSED', 10_000);
    await Promise.all([a.stop(), b.stop(), c.stop()]);

    const atA = await heard(a);
    const picture = describeTimeline(atA);
    const bob = windowsAt(atA, TONE[BOB.number]!);
    const music = windowsBetween(atA, 200, 900);
    const carol = windowsAt(atA, TONE[CAROL.number]!);
    // Alice: Bob, then music while Bob consults, then Carol.
    expect(bob.length, picture).toBeGreaterThan(0);
    expect(music.length, picture).toBeGreaterThanOrEqual(4);
    expect(carol.length, picture).toBeGreaterThanOrEqual(4);
    expect(bob[0]!, picture).toBeLessThan(music[0]!);
    expect(music[0]!, picture).toBeLessThan(carol[0]!);
    // Carol: Bob first (the consultation), then Alice.
    const atC = await heard(c);
    const pictureC = describeTimeline(atC);
    const bobAtC = windowsAt(atC, TONE[BOB.number]!);
    const aliceAtC = windowsAt(atC, TONE[ALICE.number]!);
    expect(bobAtC.length, pictureC).toBeGreaterThanOrEqual(2);
    expect(aliceAtC.length, pictureC).toBeGreaterThanOrEqual(4);
    expect(bobAtC[0]!, pictureC).toBeLessThan(aliceAtC[0]!);
  }, 60_000);

  it('call waiting: a phone in a call gets the second INVITE, holds the first (music) and answers', async () => {
    const [a, b, c] = await Promise.all([phone(ALICE), phone(BOB), phone(CAROL)]);
    await connect(a, b, BOB.number);
    await pause(500);
    await c.dial(`sip:${BOB.number}@127.0.0.1`);
    const second = await b.waitFor('CALL_INCOMING', 10_000, (e) => String(e.peeruri).includes(CAROL.number));
    await c.waitFor('CALL_RINGING', 10_000);
    // Bob puts Alice on hold and takes Carol's call.
    const first = b.events.find((e) => e.type === 'CALL_ESTABLISHED');
    expect((await b.command('callfind', String(first?.id))).ok).toBe(true);
    expect((await b.command('hold')).ok).toBe(true);
    expect((await b.command('callfind', String(second.id))).ok).toBe(true);
    expect((await b.answer()).ok).toBe(true);
    await c.waitFor('CALL_ESTABLISHED', 10_000);
    await pause(2500);
    await c.hangup();
    await a.hangup();
    await Promise.all([a.stop(), c.stop()]);
    const atA = await heard(a);
    expect(windowsBetween(atA, 200, 900).length, describeTimeline(atA)).toBeGreaterThanOrEqual(4);
    const atC = await heard(c);
    expect(windowsAt(atC, TONE[BOB.number]!).length, describeTimeline(atC)).toBeGreaterThanOrEqual(4);
  }, 60_000);
});
