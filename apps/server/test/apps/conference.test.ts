// A three-party conference on the PBX's mixing bridge with real phones: two baresips dial
// `*8100` (room 100), the owner adds the third by keys (`*1003#`, RFC 4733), and each phone hears the other
// two tones and not its own. Then the API mutes one (the others stop hearing it) and ends the
// room (everyone gets BYE). Call records name the room.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Baresip } from '@switchboard/testkit';
import { adminToken, registeredBaresip } from './phones.ts';
import { startPbx, type PbxHarness } from '../harness.ts';
import { readHeard, share } from './tone-check.ts';

const A = { number: '1001', password: 'conf-1001-secret', name: 'Alice' };
const B = { number: '1002', password: 'conf-1002-secret', name: 'Bob' };
const C = { number: '1003', password: 'conf-1003-secret', name: 'Carol' };
/** `*8` + room number: `*8100` is room 100. */
const ROOM = '100';
const TONES = { [A.number]: 1300, [B.number]: 1700, [C.number]: 2300 };

describe('a three-party conference with baresip phones', () => {
  let pbx: PbxHarness;
  const phones: Baresip[] = [];
  let api: (method: string, path: string, body?: unknown) => Promise<{ status: number; json: unknown }>;

  beforeAll(async () => {
    pbx = await startPbx({ extensions: [A, B, C] });
    const token = await adminToken(pbx, 'admin@conf.test');
    api = async (method, path, body) => {
      const response = await fetch(`http://127.0.0.1:${pbx.httpPort}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      return { status: response.status, json: text ? (JSON.parse(text) as unknown) : undefined };
    };
  });
  afterAll(async () => {
    await Promise.all(phones.map((p) => p.cleanup()));
    await pbx?.close();
  });

  const phone = async (user: typeof A): Promise<Baresip> => {
    const p = await registeredBaresip(pbx, user, TONES[user.number]!, phones);
    return p;
  };
  const room = async (): Promise<{ participants: { id: string; extension: string; muted: boolean }[] }> => {
    const r = await api('GET', `/conferences/${ROOM}`);
    return (r.status === 200 ? r.json : { participants: [] }) as never;
  };
  const until = async (check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> => {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('each party hears the other two; mute and end through the API', async () => {
    const [a, b, c] = await Promise.all([phone(A), phone(B), phone(C)]);
    const established: Record<string, number> = {};
    await a.dial('sip:*8100@127.0.0.1');
    await a.waitFor('CALL_ESTABLISHED', 10_000);
    established[A.number] = Date.now();
    await b.dial('sip:*8100@127.0.0.1');
    await b.waitFor('CALL_ESTABLISHED', 10_000);
    established[B.number] = Date.now();
    await until(async () => (await room()).participants.length === 2, 'two participants');

    // The owner (the first in) calls 1003 into the room with keys.
    for (const key of '*1003#') {
      await a.command('sndcode', key);
      await new Promise((r) => setTimeout(r, 250));
    }
    const incoming = await c.waitFor('CALL_INCOMING', 15_000);
    expect(String(incoming.peeruri ?? '')).toContain('1001');
    await c.answer();
    await c.waitFor('CALL_ESTABLISHED', 10_000);
    established[C.number] = Date.now();
    await until(async () => (await room()).participants.length === 3, 'three participants');
    const view = await room();
    expect(view.participants.map((p) => p.extension).sort()).toEqual([A.number, B.number, C.number]);
    expect((await api('GET', '/conferences')).json).toMatchObject({ total: 1 });

    // Everyone talks for 3 s.
    const allIn = Date.now();
    await new Promise((r) => setTimeout(r, 3_000));
    // The API mutes Bob: the others stop hearing him.
    const bob = view.participants.find((p) => p.extension === B.number)!;
    const muted = await api('PATCH', `/conferences/${ROOM}/participants/${encodeURIComponent(bob.id)}`, {
      muted: true,
    });
    expect(muted.status).toBe(200);
    expect(
      (muted.json as { participants: { extension: string; muted: boolean }[] }).participants,
    ).toContainEqual(expect.objectContaining({ extension: B.number, muted: true }));
    const mutedAt = Date.now();
    await new Promise((r) => setTimeout(r, 2_500));
    const endAt = Date.now();
    expect((await api('DELETE', `/conferences/${ROOM}`)).status).toBe(204);
    await Promise.all([a, b, c].map((p) => p.waitFor('CALL_CLOSED', 10_000)));
    expect((await api('GET', `/conferences/${ROOM}`)).status).toBe(404);

    await Promise.all([a, b, c].map((p) => p.stop()));
    /** What `p` heard between two instants (its recording starts when its call was established). */
    const heardBetween = async (p: Baresip, ext: string, from: number, to: number) => {
      const [file] = (await p.recordings()).heard;
      const heard = await readHeard(file!);
      const at = (t: number): number =>
        Math.max(0, Math.round(((t - established[ext]!) / 1000) * heard.sampleRate));
      const samples = heard.samples.subarray(at(from), at(to));
      return (hz: number): number => share(samples, hz, heard.sampleRate);
    };
    for (const [p, ext] of [
      [a, A.number],
      [b, B.number],
      [c, C.number],
    ] as const) {
      const talk = await heardBetween(p, ext, allIn + 500, mutedAt - 200);
      for (const other of Object.keys(TONES).filter((o) => o !== ext))
        expect(talk(TONES[other]!), `${ext} hears ${other}`).toBeGreaterThan(0.1);
      expect(talk(TONES[ext]!), `${ext} hears itself`).toBeLessThan(0.02);
      const afterMute = await heardBetween(p, ext, mutedAt + 700, endAt - 200);
      if (ext === B.number) {
        // Muted Bob still hears both others.
        expect(afterMute(TONES[A.number]!)).toBeGreaterThan(0.1);
        expect(afterMute(TONES[C.number]!)).toBeGreaterThan(0.1);
      } else {
        expect(afterMute(TONES[B.number]!), `${ext} still hears muted Bob`).toBeLessThan(0.02);
      }
    }

    const cdrs = await pbx.waitForCdrs(3);
    const rooms = cdrs.filter((r) => r.callee === `conference:${ROOM}`);
    expect(rooms.map((r) => r.caller).sort()).toEqual([A.number, B.number]);
    expect(cdrs.find((r) => r.callee === C.number)).toMatchObject({
      caller: A.number,
      disposition: 'answered',
    });
  }, 120_000);
});
