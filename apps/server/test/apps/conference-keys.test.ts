// The conference keys of docs/conference.md, end to end with baresip phones sending RFC 4733
// events: `1` mutes and unmutes yourself (the others stop and start hearing you), the owner's
// `2` mutes everyone else, `3` holds everyone else (they hear music on hold and are not heard),
// `*` + extension + `#` calls that extension in, and `9` ends the conference (everyone gets BYE).
// A participant who is not the owner cannot use the owner's keys. Each phone sends its own
// tone; what it heard is cut into the stretches between key presses and checked tone by tone.
import { readFile, stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dominantFrequency } from '@switchboard/media';
import type { Baresip } from '@switchboard/testkit';
import { adminToken, registeredBaresip, rtpReceived } from './phones.ts';
import { startPbx, type PbxHarness } from '../harness.ts';
import { readHeard, share, type Heard } from './tone-check.ts';

const A = { number: '1001', password: 'ck-1001-secret', name: 'Alice' };
const B = { number: '1002', password: 'ck-1002-secret', name: 'Bob' };
const C = { number: '1003', password: 'ck-1003-secret', name: 'Carol' };
const ROOM = '200';
const TONES: Record<string, number> = { [A.number]: 1250, [B.number]: 1650, [C.number]: 2250 };
/** Heard: a tone's share of the power above this; not heard: below NOT. */
const HEARD = 0.1;
const NOT = 0.02;

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface RoomView {
  participants: { id: string; extension: string; muted: boolean; held: boolean; owner: boolean }[];
}

/**
 * How far a phone's recording of what it hears has got, in bytes of its WAV file (baresip's
 * sndfile writes as it decodes). Stretches are cut at these positions, not at wall-clock times:
 * on a loaded machine the recording lags or skips, and a time-based cut would miss the stretch.
 */
async function heardBytes(p: Baresip): Promise<number> {
  const file = (await p.recordings()).heard[0];
  return file ? (await stat(file)).size : 0;
}

/** Sample index (channel 0) of byte position `bytes` of the WAV `file` once it is complete. */
async function sampleAt(file: string, bytes: number): Promise<number> {
  const wav = new Uint8Array(await readFile(file));
  const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  const channels = view.getUint16(22, true);
  let at = 12; // RIFF chunks after "RIFF", size, "WAVE"
  while (at + 8 <= wav.length && String.fromCharCode(...wav.subarray(at, at + 4)) !== 'data')
    at += 8 + view.getUint32(at + 4, true);
  return Math.max(0, Math.floor((bytes - (at + 8)) / (2 * channels)));
}

describe('conference keys with baresip phones', () => {
  let pbx: PbxHarness;
  const phones: Baresip[] = [];
  let token: string;

  beforeAll(async () => {
    pbx = await startPbx({ extensions: [A, B, C] });
    token = await adminToken(pbx, 'admin@keys.test');
  });
  afterAll(async () => {
    await Promise.all(phones.map((p) => p.cleanup()));
    await pbx?.close();
  });

  const room = async (): Promise<{ status: number; view: RoomView }> => {
    const response = await fetch(`http://127.0.0.1:${pbx.httpPort}/api/v1/conferences/${ROOM}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
    const view = (response.status === 200 ? await response.json() : { participants: [] }) as RoomView;
    return { status: response.status, view };
  };
  /** Polls the room view (bounded) until `check` holds; returns when it did. */
  const until = async (check: (view: RoomView) => boolean, what: string, ms = 10_000): Promise<number> => {
    const end = Date.now() + ms;
    for (;;) {
      const { view } = await room();
      if (check(view)) return Date.now();
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(view)}`);
      await pause(100);
    }
  };
  const flag = (view: RoomView, ext: string, what: 'muted' | 'held'): boolean | undefined =>
    view.participants.find((p) => p.extension === ext)?.[what];
  const keys = async (p: Baresip, typed: string): Promise<void> => {
    for (const key of typed) {
      await p.command('sndcode', key);
      await pause(250);
    }
  };

  const phone = async (user: typeof A): Promise<Baresip> => {
    const p = await registeredBaresip(pbx, user, TONES[user.number]!, phones);
    return p;
  };

  it('1 mutes yourself; the owner mutes (2), holds (3), calls in (*ext#) and ends (9)', async () => {
    const [a, b, c] = await Promise.all([phone(A), phone(B), phone(C)]);
    await a.dial(`sip:*8${ROOM}@127.0.0.1`);
    await a.waitFor('CALL_ESTABLISHED', 10_000);
    await b.dial(`sip:*8${ROOM}@127.0.0.1`);
    await b.waitFor('CALL_ESTABLISHED', 10_000);
    await until((v) => v.participants.length === 2, 'two participants');

    // `*` + extension + `#`: Carol's phone rings (from the owner), she answers and is in.
    await keys(a, `*${C.number}#`);
    const incoming = await c.waitFor('CALL_INCOMING', 15_000);
    expect(String(incoming.peeruri ?? '')).toContain(A.number);
    await c.answer();
    await c.waitFor('CALL_ESTABLISHED', 10_000);
    await until((v) => v.participants.length === 3, 'three participants');
    expect((await room()).view.participants.find((p) => p.owner)?.extension).toBe(A.number);

    /** Stretches of the call: each phone's recording position at their start and end. */
    const marks: Record<string, { from: number[]; to: number[] }> = {};
    const positions = (): Promise<number[]> => Promise.all([a, b, c].map(heardBytes));
    const stretch = async (name: string, ms: number): Promise<void> => {
      await pause(1200); // the keys' effect, the jitter buffers, the pips; wide, for a loaded machine
      const from = await positions();
      await pause(ms - 1400);
      marks[name] = { from, to: await positions() };
      await pause(200);
    };

    await stretch('all', 3000);
    // A participant's owner keys do nothing: Bob's 9 ends nothing, his 2 mutes nobody.
    await keys(b, '92');
    await pause(1500);
    expect((await room()).view.participants.map((p) => [p.extension, p.muted, p.held])).toEqual([
      [A.number, false, false],
      [B.number, false, false],
      [C.number, false, false],
    ]);
    expect([a, b, c].map((p) => p.events.some((e) => e.type === 'CALL_CLOSED'))).toEqual([
      false,
      false,
      false,
    ]);

    // 1: Bob mutes himself; then unmutes.
    await keys(b, '1');
    await until((v) => flag(v, B.number, 'muted') === true, 'Bob muted');
    await stretch('bobMuted', 3000);
    await keys(b, '1');
    await until((v) => flag(v, B.number, 'muted') === false, 'Bob unmuted');
    await stretch('bobUnmuted', 3000);

    // 2: the owner mutes everyone else; 2 again unmutes them.
    await keys(a, '2');
    await until(
      (v) => flag(v, B.number, 'muted') === true && flag(v, C.number, 'muted') === true,
      'all muted',
    );
    expect(flag((await room()).view, A.number, 'muted')).toBe(false);
    await stretch('othersMuted', 3000);
    await keys(a, '2');
    await until((v) => v.participants.every((p) => !p.muted), 'all unmuted');

    // 3: the owner holds everyone else (music for them); 3 again brings them back.
    await keys(a, '3');
    await until((v) => flag(v, B.number, 'held') === true && flag(v, C.number, 'held') === true, 'all held');
    expect(flag((await room()).view, A.number, 'held')).toBe(false);
    await stretch('othersHeld', 3500);
    await keys(a, '3');
    await until((v) => v.participants.every((p) => !p.held), 'all resumed');
    await stretch('resumed', 3000);

    // 9: the owner ends the conference: everyone gets BYE.
    await keys(a, '9');
    await Promise.all([a, b, c].map((p) => p.waitFor('CALL_CLOSED', 10_000)));
    expect((await room()).status).toBe(404);
    await Promise.all([a, b, c].map((p) => p.stop()));

    const heard: Record<string, Heard> = {};
    /** Each stretch's [from, to] sample indexes in each phone's recording. */
    const cuts: Record<string, Record<string, [number, number]>> = {};
    for (const [i, p, ext] of [
      [0, a, A.number],
      [1, b, B.number],
      [2, c, C.number],
    ] as const) {
      const file = (await p.recordings()).heard[0]!;
      heard[ext] = await readHeard(file);
      for (const [name, { from, to }] of Object.entries(marks))
        (cuts[name] ??= {})[ext] = [await sampleAt(file, from[i]!), await sampleAt(file, to[i]!)];
    }
    /** The samples `ext` heard in a stretch. */
    const during = (ext: string, name: string): Int16Array => {
      const [from, to] = cuts[name]![ext]!;
      return heard[ext]!.samples.subarray(from, to);
    };
    const hears = (ext: string, name: string, other: string): number =>
      share(during(ext, name), TONES[other]!, heard[ext]!.sampleRate);
    const others = (ext: string): string[] => Object.keys(TONES).filter((o) => o !== ext);
    const report: string[] = [];
    for (const name of Object.keys(marks))
      for (const ext of Object.keys(TONES))
        report.push(
          `${name} ${ext}: ${others(ext)
            .map((o) => `${o}=${hears(ext, name, o).toFixed(3)}`)
            .join(' ')}`,
        );
    const why = report.join('\n');

    for (const ext of Object.keys(TONES))
      for (const other of others(ext)) {
        // Everyone hears everyone with nobody muted or held.
        for (const name of ['all', 'bobUnmuted', 'resumed'])
          expect(hears(ext, name, other), `${name}: ${ext} hears ${other}\n${why}`).toBeGreaterThan(HEARD);
        // Bob muted himself: nobody hears him; he still hears both others.
        if (other === B.number)
          expect(hears(ext, 'bobMuted', other), `bobMuted: ${ext} hears Bob\n${why}`).toBeLessThan(NOT);
        else
          expect(hears(ext, 'bobMuted', other), `bobMuted: ${ext} hears ${other}\n${why}`).toBeGreaterThan(
            HEARD,
          );
        // The owner muted the others: only Alice is heard.
        if (other === A.number)
          expect(hears(ext, 'othersMuted', other), `othersMuted: ${ext} hears Alice\n${why}`).toBeGreaterThan(
            HEARD,
          );
        else
          expect(hears(ext, 'othersMuted', other), `othersMuted: ${ext} hears ${other}\n${why}`).toBeLessThan(
            NOT,
          );
        // The owner held the others: nobody hears anybody.
        expect(hears(ext, 'othersHeld', other), `othersHeld: ${ext} hears ${other}\n${why}`).toBeLessThan(
          NOT,
        );
      }
    // The held parties heard music on hold meanwhile (the built-in melody: 200–900 Hz notes).
    for (const ext of [B.number, C.number]) {
      const samples = during(ext, 'othersHeld');
      const rate = heard[ext]!.sampleRate;
      const quarter = Math.floor(rate / 4);
      const notes: number[] = [];
      for (let at = 0; at + quarter <= samples.length; at += quarter)
        notes.push(
          dominantFrequency(samples.subarray(at, at + quarter), {
            sampleRate: rate,
            min: 100,
            max: 3800,
            step: 10,
          }),
        );
      const music = notes.filter((hz) => hz >= 200 && hz <= 900);
      expect(music.length, `${ext} on hold heard ${notes.join(' ')}`).toBeGreaterThanOrEqual(
        notes.length - 2,
      );
      expect(
        new Set(music.map((hz) => Math.round(hz / 50))).size,
        `${ext}: ${notes.join(' ')}`,
      ).toBeGreaterThan(1);
    }
  }, 150_000);

  it('a phone that holds the conference itself is out of the mix until it resumes', async () => {
    const [a, b, c] = await Promise.all([phone(A), phone(B), phone(C)]);
    for (const p of [a, b, c]) {
      await p.dial(`sip:*8${ROOM}@127.0.0.1`);
      await p.waitFor('CALL_ESTABLISHED', 10_000);
    }
    await until((v) => v.participants.length === 3, 'three participants');
    const marks: Record<string, { from: number[]; to: number[] }> = {};
    const positions = (): Promise<number[]> => Promise.all([a, b, c].map(heardBytes));
    const stretch = async (name: string, ms: number): Promise<void> => {
      await pause(1200);
      const from = await positions();
      await pause(ms - 1400);
      marks[name] = { from, to: await positions() };
      await pause(200);
    };
    await stretch('before', 3000);
    expect((await b.command('hold')).ok).toBe(true); // re-INVITE a=sendonly
    await until((v) => flag(v, B.number, 'held') === true, 'Bob on hold');
    await pause(500);
    const holding = await rtpReceived(b);
    await stretch('bobHolds', 3000);
    const held = await rtpReceived(b);
    expect((await b.command('resume')).ok).toBe(true); // re-INVITE a=sendrecv
    await until((v) => flag(v, B.number, 'held') === false, 'Bob back');
    await pause(500);
    const resumed = await rtpReceived(b);
    await stretch('bobBack', 3000);
    const talking = await rtpReceived(b);
    await Promise.all([a, b, c].map((p) => p.hangup()));
    await Promise.all([a, b, c].map((p) => p.waitFor('CALL_CLOSED', 10_000)));
    await Promise.all([a, b, c].map((p) => p.stop()));

    const hears = async (i: number, p: Baresip, name: string, other: string): Promise<number> => {
      const file = (await p.recordings()).heard[0]!;
      const h = await readHeard(file);
      const { from, to } = marks[name]!;
      const cut = h.samples.subarray(await sampleAt(file, from[i]!), await sampleAt(file, to[i]!));
      return share(cut, TONES[other]!, h.sampleRate);
    };
    for (const [i, p, ext, other] of [
      [0, a, A.number, C.number],
      [2, c, C.number, A.number],
    ] as const) {
      for (const name of ['before', 'bobHolds', 'bobBack'])
        expect(await hears(i, p, name, other), `${name}: ${ext} hears ${other}`).toBeGreaterThan(HEARD);
      expect(await hears(i, p, 'before', B.number), `${ext} hears Bob`).toBeGreaterThan(HEARD);
      expect(await hears(i, p, 'bobHolds', B.number), `${ext} hears Bob holding`).toBeLessThan(NOT);
      expect(await hears(i, p, 'bobBack', B.number), `${ext} hears Bob back`).toBeGreaterThan(HEARD);
    }
    // Bob is sent nothing while he holds (RFC 3264 §6.1: a sendonly offer is answered recvonly,
    // and the answerer does not send), and the room again once he resumed. NOTE: counted from
    // baresip's RTCP statistics: baresip 1.0 stops recording what it hears after a hold.
    expect(held - holding, 'packets to Bob while he holds').toBeLessThan(10);
    expect(talking - resumed, 'packets to Bob in 3 s after resuming').toBeGreaterThan(100);
  }, 120_000);

  it('when the owner leaves, the longest-present participant owns the room and its 9 ends it', async () => {
    const [a, b, c] = await Promise.all([phone(A), phone(B), phone(C)]);
    for (const p of [a, b, c]) {
      await p.dial(`sip:*8${ROOM}@127.0.0.1`);
      await p.waitFor('CALL_ESTABLISHED', 10_000);
      await pause(300); // joined in this order
    }
    await until((v) => v.participants.length === 3, 'three participants');
    expect((await room()).view.participants.find((p) => p.owner)?.extension).toBe(A.number);
    // Carol is no owner: her 9 does nothing.
    await keys(c, '9');
    await pause(1000);
    expect((await room()).view.participants).toHaveLength(3);
    await a.hangup();
    await a.waitFor('CALL_CLOSED', 10_000);
    await until(
      (v) => v.participants.length === 2 && v.participants.find((p) => p.owner)?.extension === B.number,
      'Bob owns the room',
    );
    await keys(b, '9');
    await Promise.all([b, c].map((p) => p.waitFor('CALL_CLOSED', 10_000)));
    expect((await room()).status).toBe(404);
  }, 60_000);
});
