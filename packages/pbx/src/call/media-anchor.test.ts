import { createMediaEngine } from '@switchboard/media-node';
import { FakeClock } from '@switchboard/testkit';
import { describe, expect, it } from 'vitest';
import { MediaAnchor } from './media-anchor.ts';

describe('MediaAnchor', () => {
  it('a call that ends while its relay is being made gives the relay ports back (CANCEL during set-up)', async () => {
    const engine = await createMediaEngine({ workers: 0, portRange: { min: 41000, max: 41100 } });
    try {
      const anchor = new MediaAnchor(
        {
          media: { createRelay: (options) => engine.createRelay(options) },
          clock: new FakeClock(),
          options: { rtpTimeoutMs: 30_000 },
          sessionId: () => '1',
          log: () => {},
        },
        'call-1',
        { onDtmf: () => {}, onMediaLost: () => {} },
      );
      const opening = anchor.open(false, []);
      // The caller's CANCEL ends the call before the engine has answered.
      await anchor.close();
      await opening;
      expect((await engine.counters()).activeLegs).toBe(0);

      // A call that ends after its relay exists closes it as before.
      const later = new MediaAnchor(
        {
          media: { createRelay: (options) => engine.createRelay(options) },
          clock: new FakeClock(),
          options: { rtpTimeoutMs: 30_000 },
          sessionId: () => '2',
          log: () => {},
        },
        'call-2',
        { onDtmf: () => {}, onMediaLost: () => {} },
      );
      await later.open(false, []);
      expect((await engine.counters()).activeLegs).toBe(2);
      await later.close();
      expect((await engine.counters()).activeLegs).toBe(0);
    } finally {
      await engine.close();
    }
  });
});
