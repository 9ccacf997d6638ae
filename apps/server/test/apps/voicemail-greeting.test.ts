// Voicemail with a greeting recorded by phone, and the mailbox menu's play-again and next keys,
// with baresip phones (RFC 4733 keys). The owner dials *97, presses 0, speaks (its 1850 Hz tone)
// and # — that is the greeting. A caller reaching the mailbox (Do Not Disturb) hears 1850 Hz
// before the 1 kHz beep, not the default chime, and leaves a message with its own tone; a second
// caller leaves another. The owner dials *97 again: hears the first message, 1 plays it again,
// 2 goes on to the second.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWav } from '@switchboard/media';
import type { Baresip } from '@switchboard/testkit';
import { describeTimeline, heardTimeline, windowsAt, windowsBetween } from '../heard-timeline.ts';
import { adminToken, registeredBaresip } from './phones.ts';
import { startPbx, type PbxHarness } from '../harness.ts';
import { share } from './tone-check.ts';

const ALICE = { number: '1001', password: 'vg-1001-secret', name: 'Alice' };
const OWNER = { number: '1002', password: 'vg-1002-secret', name: 'Bob' };
const CAROL = { number: '1003', password: 'vg-1003-secret', name: 'Carol' };
/** What each phone sends: the owner's is its greeting, the callers' are their messages. */
const TONE: Record<string, number> = { [ALICE.number]: 1300, [OWNER.number]: 1850, [CAROL.number]: 2200 };

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('a voicemail greeting recorded by phone; the menu keys 1 and 2', () => {
  let pbx: PbxHarness;
  let token: string;
  const phones: Baresip[] = [];
  /** The phone started for each extension. */
  const phoneOf: Record<string, Baresip> = {};

  beforeAll(async () => {
    pbx = await startPbx({ extensions: [ALICE, OWNER, CAROL] });
    token = await adminToken(pbx, 'admin@vg.test');
    await pbx.repos.voicemail.update(pbx.tenant.id, OWNER.number, { enabled: true });
    // The owner's phone stays registered (to dial *97): Do Not Disturb sends callers to voicemail.
    await pbx.repos.callSettings.updateForExtension(pbx.tenant.id, OWNER.number, { dnd: true });
  });
  afterAll(async () => {
    await Promise.all(phones.map((p) => p.cleanup()));
    await pbx?.close();
  });

  const phone = async (user: typeof ALICE): Promise<Baresip> => {
    const p = await registeredBaresip(pbx, user, TONE[user.number]!, phones);
    phoneOf[user.number] = p;
    return p;
  };
  const mailbox = async (): Promise<{ hasGreeting: boolean; newMessages: number; oldMessages: number }> => {
    const response = await fetch(`http://127.0.0.1:${pbx.httpPort}/api/v1/voicemail/${OWNER.number}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as never;
  };
  const until = async <T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> => {
    const end = Date.now() + 20_000;
    for (;;) {
      const value = await read();
      if (ok(value)) return value;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
      await pause(100);
    }
  };
  /** Calls that ended on `p` so far. */
  const closed = (p: Baresip): number => p.events.filter((e) => e.type === 'CALL_CLOSED').length;
  const established = (p: Baresip): number => p.events.filter((e) => e.type === 'CALL_ESTABLISHED').length;
  /** Dials and waits until this call (not an earlier one) is established. */
  const dial = async (p: Baresip, uri: string): Promise<void> => {
    const before = established(p);
    await p.dial(uri);
    await until(
      async () => established(p),
      (n) => n > before,
      `${uri} answered`,
    );
  };
  const hangupAndWait = async (p: Baresip, before: number): Promise<void> => {
    await until(
      async () => closed(p),
      (n) => n > before,
      'the call to end',
    );
  };
  /** A caller reaches the owner's mailbox, stays `ms`, hangs up; returns the timeline it heard. */
  const leaveMessage = async (caller: Baresip, ms: number) => {
    const ended = closed(caller);
    await dial(caller, `sip:${OWNER.number}@127.0.0.1`);
    await pause(ms);
    await caller.hangup();
    await hangupAndWait(caller, ended);
    return heardTimeline((await caller.recordings()).heard.at(-1)!);
  };

  it('the owner records a greeting with *97 0 … #; callers hear it before the beep', async () => {
    const owner = await phone(OWNER);
    expect(await mailbox()).toMatchObject({ hasGreeting: false, newMessages: 0 });
    // *97 on an empty mailbox: no-messages tones and the menu; 0 records after the beep.
    const ended = closed(owner);
    await dial(owner, 'sip:*97@127.0.0.1');
    await pause(2500);
    await owner.command('sndcode', '0');
    await pause(3500); // the beep, then about 3 s of the owner's tone
    await owner.command('sndcode', '#');
    await until(mailbox, (m) => m.hasGreeting, 'the greeting stored');
    await pause(2000);
    await owner.command('sndcode', '#'); // goodbye
    await hangupAndWait(owner, ended);

    // The stored greeting is the owner's tone.
    const row = await pbx.repos.voicemail.mailbox(pbx.tenant.id, OWNER.number);
    expect(row?.greetingFile).toBeTruthy();
    const wav = readWav(new Uint8Array(await readFile(join(pbx.dataDir, row!.greetingFile!))));
    if (!wav.ok) throw new Error(wav.error);
    const seconds = wav.value.samples.length / wav.value.sampleRate;
    expect(seconds).toBeGreaterThan(2);
    expect(seconds).toBeLessThan(5);
    expect(share(wav.value.samples, TONE[OWNER.number]!, wav.value.sampleRate)).toBeGreaterThan(0.7);

    // A caller reaches the mailbox: the greeting (1850 Hz), then the beep (1 kHz), not the chime.
    const alice = await phone(ALICE);
    const atAlice = await leaveMessage(alice, seconds * 1000 + 3500);
    const picture = describeTimeline(atAlice);
    const greeting = windowsAt(atAlice, TONE[OWNER.number]!);
    const beep = windowsAt(atAlice, 1000, 30);
    expect(greeting.length, picture).toBeGreaterThanOrEqual(Math.floor(seconds * 4) - 3);
    expect(beep.length, picture).toBeGreaterThan(0);
    expect(greeting.at(-1)!, picture).toBeLessThan(beep[0]!);
    // The default greeting's chime (523/659/784 Hz) does not play.
    expect(windowsBetween(atAlice, 480, 820), picture).toEqual([]);
    await until(mailbox, (m) => m.newMessages === 1, 'the message');
  }, 120_000);

  it('*97: a message, 1 plays it again, 2 goes on to the next one', async () => {
    // A second message, with Carol's tone.
    const carol = await phone(CAROL);
    const greeting = await pbx.repos.voicemail.mailbox(pbx.tenant.id, OWNER.number);
    expect(greeting?.greetingFile).toBeTruthy();
    await leaveMessage(carol, 7000);
    await until(mailbox, (m) => m.newMessages === 2, 'the second message');
    const [first, second] = (await pbx.repos.voicemail.messages(pbx.tenant.id, OWNER.number)).sort(
      (a, b) => +a.createdAt - +b.createdAt,
    );
    expect([first?.caller, second?.caller]).toEqual([ALICE.number, CAROL.number]);

    const owner = phoneOf[OWNER.number]!;
    const ended = closed(owner);
    await dial(owner, 'sip:*97@127.0.0.1');
    // Two pips, the message header and Alice's message; then it is no longer new.
    await until(mailbox, (m) => m.newMessages === 1, 'the first message heard');
    await pause(1000);
    await owner.command('sndcode', '1'); // again
    await pause(first!.durationMs + 1500);
    await owner.command('sndcode', '2'); // next: Carol's
    await until(mailbox, (m) => m.newMessages === 0, 'the second message heard');
    await pause(1000);
    await owner.command('sndcode', '#');
    await hangupAndWait(owner, ended);

    const atOwner = await heardTimeline((await owner.recordings()).heard.at(-1)!);
    const picture = describeTimeline(atOwner);
    const alice = windowsAt(atOwner, TONE[ALICE.number]!);
    const carolHeard = windowsAt(atOwner, TONE[CAROL.number]!);
    // Alice's message twice (two runs with the menu between them), then Carol's.
    const runs = alice.filter((w, i) => i === 0 || w - alice[i - 1]! > 2);
    expect(runs.length, picture).toBe(2);
    expect(alice.length, picture).toBeGreaterThanOrEqual(8);
    expect(carolHeard.length, picture).toBeGreaterThanOrEqual(4);
    expect(carolHeard[0]!, picture).toBeGreaterThan(alice.at(-1)!);
  }, 120_000);

  it('resetGreeting through the API brings the default chime back', async () => {
    const patched = await fetch(`http://127.0.0.1:${pbx.httpPort}/api/v1/voicemail/${OWNER.number}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ resetGreeting: true }),
      signal: AbortSignal.timeout(10_000),
    });
    expect(await patched.json()).toMatchObject({ hasGreeting: false });
    const alice = phoneOf[ALICE.number]!;
    const heard = await leaveMessage(alice, 4000);
    const picture = describeTimeline(heard);
    const beep = windowsAt(heard, 1000, 30);
    const chime = windowsBetween(heard, 480, 820);
    expect(beep.length, picture).toBeGreaterThan(0);
    expect(chime.length, picture).toBeGreaterThanOrEqual(2);
    expect(chime.at(-1)!, picture).toBeLessThan(beep[0]!);
    expect(windowsAt(heard, TONE[OWNER.number]!), picture).toEqual([]);
  }, 60_000);
});
