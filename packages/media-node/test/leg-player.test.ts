// Playing audio into a leg (music on hold): the phone hears the file instead of its peer, in its
// own codec, on one continuous stream; stopping gives the peer back. In-process and on workers.
import { afterEach, describe, expect, it } from 'vitest';
import { dominantFrequency, generateTone } from '@switchboard/media';
import { createMediaEngine, type MediaEngine } from '../src/index.ts';
import { FakePhone, until } from './fake-phone.ts';

const PCMU = { name: 'PCMU', payloadType: 0 };
const PCMA = { name: 'PCMA', payloadType: 8 };

describe.each([0, 1])('playing audio into a leg (%i workers)', (workers) => {
  let engine: MediaEngine | undefined;
  const phones: FakePhone[] = [];
  afterEach(async () => {
    for (const p of phones.splice(0)) p.close();
    await engine?.close();
  });

  it('the held phone hears the track in its codec, not its peer; stopping restores the peer', async () => {
    engine = await createMediaEngine({
      workers,
      portRange: { min: 28400 + workers * 100, max: 28499 + workers * 100 },
    });
    const alice = await FakePhone.open(0xa);
    const bob = await FakePhone.open(0xb);
    phones.push(alice, bob);
    const relay = await engine.createRelay({
      a: { remote: { address: '127.0.0.1', rtpPort: alice.port }, codec: PCMU },
      b: { remote: { address: '127.0.0.1', rtpPort: bob.port }, codec: PCMA },
    });
    // 300 ms of 660 Hz, looped.
    await relay.play('b', { sampleRate: 8000, samples: generateTone([660], 300) }, { loop: true });
    await alice.sendTone(relay.a.rtpPort, 440, PCMU, 20);
    await until(() => bob.received.length >= 30, 5000, 'music at bob');
    const heard = bob.received.map((r) => r.packet);
    // Only the player (payload type of bob's codec), never alice's tone.
    expect(heard.every((p) => p.payloadType === 8)).toBe(true);
    expect(dominantFrequency(bob.audio(8, 'PCMA').subarray(0, 4000))).toBe(660);
    // One stream: the same SSRC, sequence numbers one apart (the loop does not restart them).
    expect(new Set(heard.map((p) => p.ssrc)).size).toBe(1);
    const seqs = heard.map((p) => p.sequenceNumber).sort((x, y) => x - y);
    expect(seqs.at(-1)! - seqs[0]!).toBe(seqs.length - 1);
    // Alice still reaches the relay: her packets are counted, just not forwarded to bob.
    expect((await relay.stats()).a.packetsIn).toBe(20);

    await relay.stopPlayback('b');
    bob.received.length = 0;
    await new Promise((r) => setTimeout(r, 60));
    bob.received.length = 0;
    await alice.sendTone(relay.a.rtpPort, 440, PCMU, 50);
    await until(() => bob.received.length >= 50, 5000, 'alice at bob again');
    expect(dominantFrequency(bob.audio(8, 'PCMA'))).toBe(440);
    await relay.close();
  });

  it('a track played once stops by itself', async () => {
    engine = await createMediaEngine({
      workers,
      portRange: { min: 28600 + workers * 100, max: 28699 + workers * 100 },
    });
    const alice = await FakePhone.open(0xa);
    phones.push(alice);
    const relay = await engine.createRelay({
      a: { remote: { address: '127.0.0.1', rtpPort: alice.port }, codec: PCMU },
    });
    await relay.play('a', { sampleRate: 8000, samples: generateTone([1000], 200) });
    await until(() => alice.received.length >= 10, 5000, 'the beep');
    await new Promise((r) => setTimeout(r, 200));
    // 200 ms = 10 frames, then nothing.
    expect(alice.received).toHaveLength(10);
    expect(dominantFrequency(alice.audio(0, 'PCMU'))).toBe(1000);
    await relay.close();
  });
});
