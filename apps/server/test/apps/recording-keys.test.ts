// On-demand recording keyed by the *called* phone (recording.test.ts keys it from the caller):
// the callee's baresip sends *1 (RFC 4733), both phones hear the 1.4 kHz start beep, *1 again
// and both hear the two 700 Hz stop beeps; the stored recording (one channel) holds both
// parties' tones, mixed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goertzelPower, readWav, signalPower } from '@switchboard/media';
import type { Baresip } from '@switchboard/testkit';
import { adminToken, registeredBaresip } from './phones.ts';
import { startPbx, type PbxHarness } from '../harness.ts';
import { readHeard, share, type Heard } from './tone-check.ts';

const A = { number: '1001', password: 'rk-1001-secret', name: 'Alice' };
const B = { number: '1002', password: 'rk-1002-secret', name: 'Bob' };
const TONE: Record<string, number> = { [A.number]: 1100, [B.number]: 1900 };

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The highest share of `hz` in any 40 ms block of `[from, to)` seconds (a 120 ms beep fills one). */
function peak(heard: Heard, hz: number, from: number, to: number): number {
  const rate = heard.sampleRate;
  const size = Math.round(rate * 0.04);
  let best = 0;
  for (
    let at = Math.max(0, Math.round(from * rate));
    at + size <= Math.min(heard.samples.length, to * rate);
    at += size / 2
  ) {
    const block = heard.samples.subarray(at, at + size);
    const total = 2 * signalPower(block);
    if (total > 1e-9) best = Math.max(best, goertzelPower(block, hz, rate) / total);
  }
  return best;
}

describe('*1 from the called phone', () => {
  let pbx: PbxHarness;
  let token: string;
  const phones: Baresip[] = [];

  beforeAll(async () => {
    pbx = await startPbx({ extensions: [A, B] });
    token = await adminToken(pbx, 'admin@rk.test');
  });
  afterAll(async () => {
    await Promise.all(phones.map((p) => p.cleanup()));
    await pbx?.close();
  });

  const phone = async (user: typeof A): Promise<Baresip> => {
    const p = await registeredBaresip(pbx, user, TONE[user.number]!, phones);
    return p;
  };
  const keys = async (p: Baresip, typed: string): Promise<void> => {
    for (const key of typed) await p.command('sndcode', key);
  };

  it('the callee starts and stops recording; both hear the beeps; both tones are recorded', async () => {
    const [a, b] = await Promise.all([phone(A), phone(B)]);
    await a.dial(`sip:${B.number}@127.0.0.1`);
    await b.waitFor('CALL_INCOMING', 10_000);
    await b.answer();
    await Promise.all([a.waitFor('CALL_ESTABLISHED', 10_000), b.waitFor('CALL_ESTABLISHED', 10_000)]);
    const established = Date.now();
    await pause(2000);
    const started = Date.now();
    await keys(b, '*1');
    await pause(3000);
    const stopped = Date.now();
    await keys(b, '*1');
    await pause(2000);
    await a.hangup();
    await Promise.all([a.waitFor('CALL_CLOSED', 10_000), b.waitFor('CALL_CLOSED', 10_000)]);
    await Promise.all([a.stop(), b.stop()]);

    // Both phones heard the start beep after the first *1 and the stop beeps after the second,
    // and neither before the keys.
    const s = (t: number): number => (t - established) / 1000;
    for (const p of [a, b]) {
      const heard = await readHeard((await p.recordings()).heard[0]!);
      const who = p === a ? 'Alice' : 'Bob';
      expect(peak(heard, 1400, 0.5, s(started)), `${who}: no beep before *1`).toBeLessThan(0.2);
      expect(peak(heard, 1400, s(started), s(stopped)), `${who}: start beep`).toBeGreaterThan(0.4);
      expect(peak(heard, 700, 0.5, s(stopped)), `${who}: no stop beep before the second *1`).toBeLessThan(
        0.2,
      );
      expect(peak(heard, 700, s(stopped), s(stopped) + 2), `${who}: stop beeps`).toBeGreaterThan(0.4);
    }

    // One on-demand recording of the call, about the 3 s between the keys, both tones mixed.
    const [cdr] = await pbx.waitForCdrs(1);
    const api = (path: string): Promise<Response> =>
      fetch(`http://127.0.0.1:${pbx.httpPort}${path}`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(10_000),
      });
    let items: { trigger: string; channels: number; durationMs: number; audioUrl: string }[] = [];
    const end = Date.now() + 10_000;
    while (items.length === 0 && Date.now() < end) {
      items = ((await (await api(`/api/v1/calls/${cdr!.id}/recordings`)).json()) as { items: typeof items })
        .items;
      if (items.length === 0) await pause(100);
    }
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ trigger: 'on-demand', channels: 1 });
    expect(items[0]!.durationMs).toBeGreaterThan(2000);
    expect(items[0]!.durationMs).toBeLessThan(4500);
    const wav = readWav(new Uint8Array(await (await api(items[0]!.audioUrl)).arrayBuffer()));
    if (!wav.ok) throw new Error(wav.error);
    expect(share(wav.value.samples, TONE[A.number]!, 8000), 'Alice in the recording').toBeGreaterThan(0.2);
    expect(share(wav.value.samples, TONE[B.number]!, 8000), 'Bob in the recording').toBeGreaterThan(0.2);
  }, 60_000);
});
