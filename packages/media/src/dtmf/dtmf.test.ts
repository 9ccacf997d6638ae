import { describe, expect, it } from 'vitest';
import { hex, toHex } from '../test-hex.ts';
import { DtmfReceiver } from './dtmf-receiver.ts';
import { planDtmfDigit } from './dtmf-sender.ts';
import { parseTelephoneEvent, serializeTelephoneEvent } from './telephone-event.ts';

describe('RFC 4733 telephone-event', () => {
  it('encodes and decodes the payload (golden bytes)', () => {
    // Digit 5, end bit, volume 10, duration 800 (100 ms at 8 kHz).
    const bytes = hex('05 8a 03 20');
    const r = parseTelephoneEvent(bytes);
    expect(r).toEqual({ ok: true, value: { event: 5, end: true, volume: 10, duration: 800 } });
    expect(toHex(serializeTelephoneEvent({ event: 5, end: true, volume: 10, duration: 800 }))).toBe(
      '058a0320',
    );
    expect(parseTelephoneEvent(hex('05 8a 03')).ok).toBe(false);
  });

  it('plans start, continuation and three end packets', () => {
    const packets = planDtmfDigit('#', 1000, 100);
    expect(packets.map((p) => p.atMs)).toEqual([0, 20, 40, 60, 80, 100, 120, 140]);
    expect(packets.map((p) => p.marker)).toEqual([true, false, false, false, false, false, false, false]);
    expect(new Set(packets.map((p) => p.timestamp))).toEqual(new Set([1000]));
    const events = packets
      .map((p) => parseTelephoneEvent(p.payload))
      .map((r) => (r.ok ? r.value : undefined));
    expect(events.map((e) => e?.event)).toEqual(Array(8).fill(11));
    expect(events.map((e) => e?.duration)).toEqual([160, 320, 480, 640, 800, 800, 800, 800]);
    expect(events.map((e) => e?.end)).toEqual([false, false, false, false, false, true, true, true]);
  });

  it('detects each digit once despite the retransmitted end packets', () => {
    const rx = new DtmfReceiver();
    const heard: string[] = [];
    let ts = 0;
    for (const digit of ['1', '2', '2', '*']) {
      ts += 8000;
      for (const p of planDtmfDigit(digit, ts, 80)) {
        for (const d of rx.receive(p.payload, p.timestamp)) {
          heard.push(d.digit);
          expect(d.durationMs).toBe(80);
          expect(d.endLost).toBe(false);
        }
      }
    }
    expect(heard).toEqual(['1', '2', '2', '*']);
  });

  it('reports a digit whose end packets were lost when the next event starts', () => {
    const rx = new DtmfReceiver();
    const first = planDtmfDigit('7', 100, 60).filter((p) => (p.payload[1]! & 0x80) === 0); // ends lost
    const out = first.flatMap((p) => rx.receive(p.payload, p.timestamp));
    expect(out).toEqual([]);
    const second = planDtmfDigit('8', 5000, 60).flatMap((p) => rx.receive(p.payload, p.timestamp));
    expect(second.map((d) => [d.digit, d.endLost])).toEqual([
      ['7', true],
      ['8', false],
    ]);
  });
});
