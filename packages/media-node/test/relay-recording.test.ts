// Recording a relayed call: the tap on both legs writes both phones' voices to a WAV file —
// mixed into one channel, or caller left and callee right. In-process and on a worker.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { goertzelPower, readWav, signalPower } from '@switchboard/media';
import { createMediaEngine, type MediaEngine } from '../src/index.ts';
import { FakePhone } from './fake-phone.ts';

const PCMU = { name: 'PCMU', payloadType: 0 };
const PCMA = { name: 'PCMA', payloadType: 8 };

/** Share of the block's power at `hz` (a pure tone scores ≈ 1). */
const share = (samples: Int16Array, hz: number): number =>
  goertzelPower(samples, hz) / (2 * Math.max(signalPower(samples), 1e-12));

describe.each([0, 1])('recording a relay (%i workers)', (workers) => {
  let engine: MediaEngine | undefined;
  const phones: FakePhone[] = [];
  let dir = '';
  afterEach(async () => {
    for (const p of phones.splice(0)) p.close();
    await engine?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each([1, 2] as const)('writes both parties (%i channel(s)) until stopped', async (channels) => {
    dir = await mkdtemp(join(tmpdir(), 'sb-rec-'));
    engine = await createMediaEngine({
      workers,
      portRange: { min: 29000 + workers * 200 + channels * 100, max: 29099 + workers * 200 + channels * 100 },
    });
    const alice = await FakePhone.open(0xa);
    const bob = await FakePhone.open(0xb);
    phones.push(alice, bob);
    const relay = await engine.createRelay({
      a: { remote: { address: '127.0.0.1', rtpPort: alice.port }, codec: PCMU },
      b: { remote: { address: '127.0.0.1', rtpPort: bob.port }, codec: PCMA },
    });
    const file = join(dir, 'sub', 'call.wav');
    await relay.record({ file, channels });
    // One second of each phone, sent in real time (a 20 ms frame every 20 ms).
    for (let i = 0; i < 50; i++) {
      await alice.sendTone(relay.a.rtpPort, 440, PCMU, 1);
      await bob.sendTone(relay.b.rtpPort, 1300, PCMA, 1);
      await new Promise((r) => setTimeout(r, 20));
    }
    const result = await relay.stopRecording();
    expect(result?.file).toBe(file);
    expect(result?.durationMs).toBeGreaterThan(800);
    expect(await relay.stopRecording()).toBeUndefined();
    const wav = readWav(new Uint8Array(await readFile(file)));
    if (!wav.ok) throw new Error(wav.error);
    expect(wav.value.channels).toBe(channels);
    expect(wav.value.sampleRate).toBe(8000);
    const { samples } = wav.value;
    if (channels === 1) {
      expect(share(samples, 440)).toBeGreaterThan(0.2);
      expect(share(samples, 1300)).toBeGreaterThan(0.2);
    } else {
      const left = samples.filter((_, i) => i % 2 === 0);
      const right = samples.filter((_, i) => i % 2 === 1);
      expect(share(left, 440)).toBeGreaterThan(0.8);
      expect(share(left, 1300)).toBeLessThan(0.05);
      expect(share(right, 1300)).toBeGreaterThan(0.8);
      expect(share(right, 440)).toBeLessThan(0.05);
    }
    await relay.close();
  });
});
