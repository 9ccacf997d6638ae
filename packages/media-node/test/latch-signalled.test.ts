// A leg whose phone was replaced (transfer: configure with the newcomer's SDP) may latch to the
// leaving phone's last packets; packets from the newcomer's signalled address take it back at
// once instead of after the 1 s re-latch delay.
import { afterEach, describe, expect, it } from 'vitest';
import { dominantFrequency } from '@switchboard/media';
import { createMediaEngine, type MediaEngine } from '../src/index.ts';
import { FakePhone, until } from './fake-phone.ts';

const PCMU = { name: 'PCMU', payloadType: 0 };

describe('latching prefers the signalled address', () => {
  let engine: MediaEngine | undefined;
  const phones: FakePhone[] = [];
  afterEach(async () => {
    for (const p of phones.splice(0)) p.close();
    await engine?.close();
  });

  it('the newcomer is heard at once although the old phone sent after the change', async () => {
    engine = await createMediaEngine({ portRange: { min: 28800, max: 28899 } });
    const [alice, bob, carol] = await Promise.all([
      FakePhone.open(0xa),
      FakePhone.open(0xb),
      FakePhone.open(0xc),
    ]);
    phones.push(alice, bob, carol);
    const relay = await engine.createRelay({
      a: { remote: { address: '127.0.0.1', rtpPort: alice.port }, codec: PCMU },
      b: { remote: { address: '127.0.0.1', rtpPort: bob.port }, codec: PCMU },
    });
    await bob.sendTone(relay.b.rtpPort, 1200, PCMU, 10);
    await until(() => alice.received.length >= 10, 5000, 'bob at alice');
    // Carol takes Bob's place; Bob's last packets arrive first.
    await relay.configure({ b: { remote: { address: '127.0.0.1', rtpPort: carol.port } } });
    await bob.sendTone(relay.b.rtpPort, 1200, PCMU, 5);
    await until(() => alice.received.length >= 15, 5000, 'bob again');
    alice.received.length = 0;
    await carol.sendTone(relay.b.rtpPort, 2000, PCMU, 20);
    await until(() => alice.received.length >= 20, 5000, 'carol at alice');
    expect(dominantFrequency(alice.audio(0, 'PCMU'))).toBe(2000);
    // And the relay now sends to Carol.
    await alice.sendTone(relay.a.rtpPort, 700, PCMU, 5);
    await until(() => carol.received.length >= 5, 5000, 'alice at carol');
    await relay.close();
  });
});
