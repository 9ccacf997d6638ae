// Call recording with real phones: a policy records a whole call (both parties mixed in one
// channel), the in-call code *1 records part of another (caller left, callee right), the API
// lists each call's recordings and serves the WAV, and the retention job deletes old ones.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWav } from '@switchboard/media';
import { Baresip } from '@switchboard/testkit';
import { MediaFiles } from '../../src/pbx/media-files.ts';
import { purgeExpiredRecordings } from '../../src/pbx/recording-store.ts';
import { adminToken } from './phones.ts';
import { startPbx, type PbxHarness } from '../harness.ts';
import { share } from './tone-check.ts';

const A = { number: '1001', password: 'rec-1001-secret', name: 'Alice' };
const B = { number: '1002', password: 'rec-1002-secret', name: 'Bob' };
const TONE_A = 620;
const TONE_B = 1900;

interface RecordingView {
  id: string;
  callId: string;
  channels: number;
  durationMs: number;
  trigger: string;
  audioUrl: string;
}

describe('call recording with baresip phones', () => {
  let pbx: PbxHarness;
  const phones: Baresip[] = [];
  let token: string;
  const api = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> => {
    const response = await fetch(
      `http://127.0.0.1:${pbx.httpPort}${path.startsWith('/api') ? path : `/api/v1${path}`}`,
      {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(10_000),
      },
    );
    if (response.headers.get('content-type') === 'audio/wav')
      return { status: response.status, json: new Uint8Array(await response.arrayBuffer()) };
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as unknown) : undefined };
  };

  beforeAll(async () => {
    pbx = await startPbx({ extensions: [A, B] });
    token = await adminToken(pbx, 'admin@rec.test');
  });
  afterAll(async () => {
    await Promise.all(phones.map((p) => p.cleanup()));
    await pbx?.close();
  });

  /** A call from A to B; `during` runs once both answered; returns the call's CDR id. */
  const call = async (during: (a: Baresip) => Promise<void>): Promise<string> => {
    const start = (user: typeof A, toneHz: number): Promise<Baresip> =>
      Baresip.start({
        account: {
          user: user.number,
          password: user.password,
          registrar: pbx.registrar,
          domain: '127.0.0.1',
        },
        toneHz,
      }).then((p) => (phones.push(p), p));
    const [a, b] = await Promise.all([start(A, TONE_A), start(B, TONE_B)]);
    await Promise.all([a.waitForRegistration(), b.waitForRegistration()]);
    const before = (await pbx.cdrs()).length;
    await a.dial(`sip:${B.number}@127.0.0.1`);
    await b.waitFor('CALL_INCOMING', 10_000);
    await b.answer();
    await Promise.all([a.waitFor('CALL_ESTABLISHED', 10_000), b.waitFor('CALL_ESTABLISHED', 10_000)]);
    await during(a);
    await a.hangup();
    await Promise.all([a.waitFor('CALL_CLOSED', 10_000), b.waitFor('CALL_CLOSED', 10_000)]);
    await Promise.all([a.cleanup(), b.cleanup()]);
    const [cdr] = await pbx.waitForCdrs(before + 1);
    return cdr!.id;
  };
  const recordingsOf = async (cdrId: string, count: number): Promise<RecordingView[]> => {
    const end = Date.now() + 10_000;
    for (;;) {
      const r = await api('GET', `/calls/${cdrId}/recordings`);
      expect(r.status).toBe(200);
      const items = (r.json as { items: RecordingView[] }).items;
      if (items.length >= count || Date.now() > end) return items;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const audioOf = async (recording: RecordingView): Promise<{ channels: number; samples: Int16Array }> => {
    const r = await api('GET', recording.audioUrl);
    expect(r.status).toBe(200);
    const wav = readWav(r.json as Uint8Array);
    if (!wav.ok) throw new Error(wav.error);
    return wav.value;
  };

  it("the caller's outbound policy records the whole call, both parties mixed", async () => {
    expect(
      (await api('PUT', `/extensions/${A.number}/recording-policy`, { policy: 'outbound' })).status,
    ).toBe(200);
    expect((await api('GET', `/extensions/${A.number}/recording-policy`)).json).toEqual({
      policy: 'outbound',
    });
    const cdrId = await call(() => new Promise((r) => setTimeout(r, 3_000)));
    const [recording, ...more] = await recordingsOf(cdrId, 1);
    expect(more).toEqual([]);
    expect(recording).toMatchObject({ trigger: 'policy', channels: 1 });
    expect(recording!.durationMs).toBeGreaterThan(2_000);
    const audio = await audioOf(recording!);
    expect(audio.channels).toBe(1);
    expect(share(audio.samples, TONE_A, 8000), 'the caller').toBeGreaterThan(0.2);
    expect(share(audio.samples, TONE_B, 8000), 'the callee').toBeGreaterThan(0.2);
  }, 60_000);

  it('*1 starts and stops recording during a call; two channels keep the parties apart', async () => {
    await api('PUT', `/extensions/${A.number}/recording-policy`, { policy: 'off' });
    expect((await api('PATCH', '/recording-settings', { channels: 2 })).json).toEqual({
      channels: 2,
      retentionDays: null,
    });
    let between = 0; // from the first code sent to the second one sent, as this test saw it
    const cdrId = await call(async (a) => {
      await new Promise((r) => setTimeout(r, 1_000));
      const first = Date.now();
      for (const key of '*1') await a.command('sndcode', key);
      await new Promise((r) => setTimeout(r, 2_500));
      for (const key of '*1') await a.command('sndcode', key);
      between = Date.now() - first;
      await new Promise((r) => setTimeout(r, 1_500));
    });
    const [recording, ...more] = await recordingsOf(cdrId, 1);
    expect(more).toEqual([]);
    expect(recording).toMatchObject({ trigger: 'on-demand', channels: 2 });
    // The stretch between the two codes, not the whole call (≥ 2.5 s more: before and after).
    expect(recording!.durationMs).toBeGreaterThan(1_500);
    expect(recording!.durationMs).toBeLessThan(between + 1_400);
    const audio = await audioOf(recording!);
    const left = audio.samples.filter((_, i) => i % 2 === 0);
    const right = audio.samples.filter((_, i) => i % 2 === 1);
    expect(share(left, TONE_A, 8000)).toBeGreaterThan(0.5);
    expect(share(left, TONE_B, 8000)).toBeLessThan(0.05);
    expect(share(right, TONE_B, 8000)).toBeGreaterThan(0.5);
    expect(share(right, TONE_A, 8000)).toBeLessThan(0.05);
  }, 60_000);

  it('retention deletes recordings (file and row) older than the tenant keeps them', async () => {
    const all = (await api('GET', '/recordings')).json as { items: RecordingView[] };
    expect(all.items.length).toBe(2);
    await api('PATCH', '/recording-settings', { retentionDays: 1 });
    const files = new MediaFiles(pbx.dataDir);
    const rows = await pbx.repos.recordings.list(pbx.tenant.id);
    for (const r of rows) await access(join(pbx.dataDir, r.file));
    // Today nothing is old enough; two days from now everything is.
    expect(await purgeExpiredRecordings(pbx.repos, files, new Date())).toBe(0);
    expect(await purgeExpiredRecordings(pbx.repos, files, new Date(Date.now() + 2 * 86_400_000))).toBe(2);
    expect(await pbx.repos.recordings.list(pbx.tenant.id)).toEqual([]);
    for (const r of rows) await expect(access(join(pbx.dataDir, r.file))).rejects.toThrow();
    expect((await api('GET', `/recordings/${rows[0]!.id}/audio`)).status).toBe(404);
  });
});
