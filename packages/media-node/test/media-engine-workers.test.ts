import { describe, expect, it } from 'vitest';
import { dominantFrequency } from '@switchboard/media';
import { createMediaEngine } from '../src/index.ts';
import { eventually, FakePhone, until } from './fake-phone.ts';

const PCMU = { name: 'PCMU', payloadType: 0 };
const PCMA = { name: 'PCMA', payloadType: 8 };

describe('media engine on worker threads', () => {
  it('spreads relays over workers (TypeScript loaded through tsx) and carries audio and events', async () => {
    const engine = await createMediaEngine({ workers: 2, portRange: { min: 30000, max: 30999 } });
    const phones = await Promise.all([1, 2, 3, 4].map((n) => FakePhone.open(n)));
    try {
      const [a1, b1, a2, b2] = phones as [FakePhone, FakePhone, FakePhone, FakePhone];
      const digits: string[] = [];
      const r1 = await engine.createRelay({
        a: {
          remote: { address: '127.0.0.1', rtpPort: a1.port },
          codec: PCMU,
          telephoneEventPayloadType: 101,
        },
        b: {
          remote: { address: '127.0.0.1', rtpPort: b1.port },
          codec: PCMA,
          telephoneEventPayloadType: 101,
        },
        delegate: { onDtmf: (leg, digit) => digits.push(`${leg}:${digit}`) },
      });
      const r2 = await engine.createRelay();
      await r2.configure({
        a: { remote: { address: '127.0.0.1', rtpPort: a2.port }, codec: PCMU },
        b: { remote: { address: '127.0.0.1', rtpPort: b2.port }, codec: PCMU },
      });
      // The two relays landed on different workers, each with its own slice of the range.
      expect(r1.id.slice(0, 3)).not.toBe(r2.id.slice(0, 3));
      expect(r1.a.rtpPort < 30500).not.toBe(r2.a.rtpPort < 30500);

      await Promise.all([
        a1.sendTone(r1.a.rtpPort, 440, PCMU, 30),
        b1.sendTone(r1.b.rtpPort, 1000, PCMA, 30),
        a2.sendTone(r2.a.rtpPort, 600, PCMU, 30),
        b2.sendTone(r2.b.rtpPort, 2000, PCMU, 30),
      ]);
      await b1.sendDigit(r1.b.rtpPort, '9', 101);
      await until(
        () => phones.every((p) => p.received.length >= 30) && digits.length === 1,
        5000,
        'audio and digit',
      );
      expect(dominantFrequency(b1.audio(8, 'PCMA'))).toBe(440);
      expect(dominantFrequency(a1.audio(0, 'PCMU'))).toBe(1000);
      expect(dominantFrequency(b2.audio(0, 'PCMU'))).toBe(600);
      expect(dominantFrequency(a2.audio(0, 'PCMU'))).toBe(2000);
      expect(digits).toEqual(['b:9']);
      // Every packet counted, the DTMF end retransmissions included.
      const counters = await eventually(
        () => engine.counters(),
        (c) => c.packetsIn === 126,
        'all packets counted',
      );
      expect(counters.activeLegs).toBe(4);
      expect(counters.packetsIn).toBe(120 + 6);
      expect(counters.dtmfDigits).toBe(1);
      // Legs on different threads cannot be connected: allocate the second `near` the first.
      const lone = await engine.allocateLeg({ near: r2.legs.a });
      await expect(engine.connect(r1.legs.a, lone)).rejects.toThrow(/different threads/);
      await lone.release();
      const final = await r1.close();
      expect(final?.a.packetsIn).toBe(30);
      expect(await r1.close()).toBe(final); // idempotent
      expect((await engine.counters()).activeLegs).toBe(2);
    } finally {
      for (const p of phones) p.close();
      await engine.close();
    }
  });
});
