// Media application endpoints (voicemail, conferences): playing to a phone, recording it,
// its RFC 4733 digits, and a bridge where each of three phones hears the two others and not
// itself; mute and hold. In-process and on a worker thread.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateTone, goertzelPower, readWav, signalPower, writeWav } from '@switchboard/media';
import { createEndpointEngine, type EndpointEngine } from '../src/index.ts';
import { FakePhone, until } from './fake-phone.ts';

const PCMU = { name: 'PCMU', payloadType: 0 };
const PCMA = { name: 'PCMA', payloadType: 8 };
const share = (samples: Int16Array, hz: number): number =>
  goertzelPower(samples, hz) / (2 * Math.max(signalPower(samples), 1e-12));

/** Each phone sends its tone to its port, one 20 ms frame every 20 ms, for `frames` frames. */
async function talk(
  phones: readonly { phone: FakePhone; port: number; hz: number; codec: typeof PCMU }[],
  frames: number,
): Promise<void> {
  // Paced on the wall clock, as a phone's sound card paces it: frame i goes out at 20 ms × i.
  const start = performance.now();
  for (let i = 0; i < frames; i++) {
    for (const p of phones) await p.phone.sendTone(p.port, p.hz, p.codec, 1);
    const wait = start + 20 * (i + 1) - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}

describe.each([0, 1])('media endpoints (%i workers)', (workers) => {
  let engine: EndpointEngine | undefined;
  const phones: FakePhone[] = [];
  let dir = '';
  const start = async (base: number): Promise<EndpointEngine> => {
    engine = await createEndpointEngine({
      workers,
      portRange: { min: base + workers * 100, max: base + 99 + workers * 100 },
    });
    return engine;
  };
  const phone = async (ssrc: number): Promise<FakePhone> => {
    const p = await FakePhone.open(ssrc);
    phones.push(p);
    return p;
  };
  afterEach(async () => {
    for (const p of phones.splice(0)) p.close();
    await engine?.close();
    engine = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('plays a tone then a WAV file to the phone in its codec, and reports the end', async () => {
    const e = await start(30000);
    dir = await mkdtemp(join(tmpdir(), 'sb-ep-'));
    const file = join(dir, 'prompt.wav');
    // A 16 kHz stereo file: mixed down and resampled to 8 kHz.
    const stereo = new Int16Array(16000 * 2 * 0.4);
    const tone = generateTone([1000], 400, { sampleRate: 16000 });
    tone.forEach((v, i) => ((stereo[i * 2] = v), (stereo[i * 2 + 1] = v)));
    await writeFile(file, writeWav({ format: 'pcm16', sampleRate: 16000, channels: 2, samples: stereo }));
    const alice = await phone(0xa);
    const ep = await e.allocate();
    await ep.configure({ remote: { address: '127.0.0.1', rtpPort: alice.port }, codec: PCMA });
    const end = await ep.play([{ tone: [600], durationMs: 400 }, { silenceMs: 100 }, { file }]);
    expect(end).toBe('finished');
    await until(() => alice.received.length >= 45, 3000, 'the prompt');
    const heard = alice.audio(8, 'PCMA');
    const first = heard.subarray(0, 2400);
    expect(share(first, 600)).toBeGreaterThan(0.8);
    // The file's part: find 1 kHz somewhere after the silence.
    const rest = heard.subarray(4400, 6400);
    expect(share(rest, 1000)).toBeGreaterThan(0.8);
    expect(new Set(alice.received.map((r) => r.packet.ssrc)).size).toBe(1);
    // A missing file fails; a stopped loop says so.
    expect(await ep.play([{ file: join(dir, 'nope.wav') }])).toBe('failed');
    const looping = ep.play([{ tone: [500], durationMs: 100 }], { loop: true });
    await new Promise((r) => setTimeout(r, 150));
    await ep.stopPlayback();
    expect(await looping).toBe('stopped');
    await ep.release();
  });

  it('records what the phone says up to the maximum length, and reports its digits', async () => {
    const e = await start(30400);
    dir = await mkdtemp(join(tmpdir(), 'sb-ep-'));
    const alice = await phone(0xa);
    const digits: string[] = [];
    const ep = await e.allocate({ delegate: { onDtmf: (d) => digits.push(d) } });
    await ep.configure({
      remote: { address: '127.0.0.1', rtpPort: alice.port },
      codec: PCMU,
      telephoneEventPayloadType: 101,
    });
    const file = join(dir, 'msg', 'message.wav');
    const recorded = ep.record({ file, maxDurationMs: 700 });
    await talk([{ phone: alice, port: ep.local.rtpPort, hz: 700, codec: PCMU }], 50);
    const outcome = await recorded;
    expect(outcome.end).toBe('max-duration');
    expect(outcome.durationMs).toBe(700);
    const wav = readWav(new Uint8Array(await readFile(file)));
    if (!wav.ok) throw new Error(wav.error);
    expect(wav.value.samples.length).toBe(5600);
    expect(share(wav.value.samples.subarray(2000), 700)).toBeGreaterThan(0.8);

    await alice.sendDigit(ep.local.rtpPort, '5', 101);
    await alice.sendDigit(ep.local.rtpPort, '#', 101);
    await until(() => digits.length === 2, 3000, 'two digits');
    expect(digits).toEqual(['5', '#']);

    // Stopped by hand, and closed by release.
    const stopped = ep.record({ file: join(dir, 'two.wav') });
    await new Promise((r) => setTimeout(r, 100));
    await ep.stopRecording();
    expect((await stopped).end).toBe('stopped');
    const closed = ep.record({ file: join(dir, 'three.wav') });
    await ep.release();
    expect((await closed).end).toBe('closed');
  });

  it('a bridge: each of three phones hears the other two, not itself; mute and hold', async () => {
    const e = await start(30800);
    const tones = [
      { hz: 440, codec: PCMU },
      { hz: 1000, codec: PCMA },
      { hz: 1700, codec: PCMU },
    ];
    const bridge = await e.createBridge();
    const members = await Promise.all(
      tones.map(async (t, i) => {
        const p = await phone(0x10 + i);
        const ep = await e.allocate({ near: bridge });
        await ep.configure({ remote: { address: '127.0.0.1', rtpPort: p.port }, codec: t.codec });
        await bridge.join(ep);
        return { phone: p, ep, port: ep.local.rtpPort, ...t };
      }),
    );
    const listen = async (): Promise<Int16Array[]> => {
      for (const m of members) m.phone.received.length = 0;
      await talk(members, 40);
      return members.map((m) => m.phone.audio(m.codec.payloadType, m.codec.name).subarray(2400));
    };
    let heard = await listen();
    members.forEach((m, i) => {
      const others = members.filter((o) => o !== m);
      for (const o of others) expect(share(heard[i]!, o.hz), `${m.hz} hears ${o.hz}`).toBeGreaterThan(0.2);
      expect(share(heard[i]!, m.hz), `${m.hz} hears itself`).toBeLessThan(0.02);
    });

    // Muting the first: the others no longer hear it; it still hears them.
    await bridge.update(members[0]!.ep, { muted: true });
    heard = await listen();
    expect(share(heard[1]!, 440)).toBeLessThan(0.02);
    expect(share(heard[2]!, 440)).toBeLessThan(0.02);
    expect(share(heard[0]!, 1000)).toBeGreaterThan(0.2);

    // Holding the second: it hears nothing, and nobody hears it.
    await bridge.update(members[0]!.ep, { muted: false });
    await bridge.update(members[1]!.ep, { held: true });
    heard = await listen();
    expect(signalPower(heard[1]!)).toBeLessThan(1e-6);
    expect(share(heard[0]!, 1000)).toBeLessThan(0.02);
    expect(share(heard[0]!, 1700)).toBeGreaterThan(0.5);
    expect(share(heard[2]!, 440)).toBeGreaterThan(0.5);

    // Leaving: the one left hears only the other member.
    await bridge.update(members[1]!.ep, { held: false });
    await bridge.leave(members[2]!.ep);
    heard = await listen();
    expect(share(heard[0]!, 1700)).toBeLessThan(0.02);
    expect(share(heard[0]!, 1000)).toBeGreaterThan(0.5);
    expect(signalPower(heard[2]!)).toBeLessThan(1e-6);
    const counters = await e.counters();
    expect(counters.endpoints).toBe(3);
    expect(counters.bridges).toBe(1);
    await bridge.close();
    await Promise.all(members.map((m) => m.ep.release()));
    expect((await e.counters()).endpoints).toBe(0);
  });
});
