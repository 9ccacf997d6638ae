// A real-time G.711 tone: one 20 ms packet every 20 ms (browsers play through a jitter buffer,
// so bursts would be dropped). Sent from a FakePhone's socket so it latches like a phone.
import { PCMU, ToneGenerator } from '@switchboard/media';
import type { FakePhone } from '../fake-phone.ts';

export class PacedTone {
  readonly #timer: ReturnType<typeof setInterval>;
  readonly #tone: ToneGenerator;
  #next = performance.now();

  constructor(
    private readonly phone: FakePhone,
    private readonly toPort: number,
    frequency: number,
    private readonly payloadType: number,
  ) {
    this.#tone = new ToneGenerator([frequency], { amplitude: 0.5 });
    this.#timer = setInterval(() => this.#pump(), 5);
  }

  #pump(): void {
    // Catch up on timer lateness so the stream keeps 50 packets per second.
    while (performance.now() >= this.#next) {
      this.phone.sendRtp(this.toPort, {
        payloadType: this.payloadType,
        payload: PCMU.encode(this.#tone.next(160)),
      });
      this.phone.timestamp += 160;
      this.#next += 20;
    }
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
