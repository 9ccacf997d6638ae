import { createMediaEngine, type MediaEngine } from '@switchboard/media-node';
import { FakeClock } from '@switchboard/testkit';
import { describe, expect, it } from 'vitest';
import { MediaAnchor } from './media-anchor.ts';

/** An anchor on the real media engine (in-process), with nothing listening to it. */
function anchorOn(engine: MediaEngine, callId: string): MediaAnchor {
  return new MediaAnchor(
    {
      media: { createRelay: (options) => engine.createRelay(options) },
      clock: new FakeClock(),
      options: { rtpTimeoutMs: 30_000 },
      sessionId: () => '1',
      log: () => {},
    },
    callId,
    { onDtmf: () => {}, onMediaLost: () => {} },
  );
}

describe('MediaAnchor', () => {
  it('a call that ends while its relay is being made gives the relay ports back (CANCEL during set-up)', async () => {
    const engine = await createMediaEngine({ workers: 0, portRange: { min: 41000, max: 41100 } });
    try {
      const anchor = anchorOn(engine, 'call-1');
      const opening = anchor.open(false, []);
      // The caller's CANCEL ends the call before the engine has answered.
      await anchor.close();
      await opening;
      expect((await engine.counters()).activeLegs).toBe(0);

      // A call that ends after its relay exists closes it as before.
      const later = anchorOn(engine, 'call-2');
      await later.open(false, []);
      expect((await engine.counters()).activeLegs).toBe(2);
      await later.close();
      expect((await engine.counters()).activeLegs).toBe(0);
    } finally {
      await engine.close();
    }
  });
});
