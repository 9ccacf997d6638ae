import { describe, expect, it } from 'vitest';
import { OutboundStream } from './outbound-stream.ts';
import { ReceiveStatistics } from './receive-statistics.ts';
import { LatchDecision, SourceLatch } from './source-latch.ts';

describe('ReceiveStatistics (RFC 3550 A.1, A.3, A.8)', () => {
  it('counts loss across a sequence wrap and reports the fraction lost', () => {
    const stats = new ReceiveStatistics();
    let seq = 65530;
    for (let i = 0; i < 100; i++, seq = (seq + 1) & 0xffff) {
      if (i % 10 === 3) continue; // lose 10 of 100
      stats.update(42, seq, i * 160, i * 20);
    }
    expect(stats.expected).toBe(100);
    expect(stats.received).toBe(90);
    expect(stats.cumulativeLost).toBe(10);
    expect(stats.extendedHighestSequence).toBe(65536 + 93);
    const block = stats.reportBlock();
    expect(block.fractionLost).toBe(Math.floor((10 * 256) / 100));
    expect(block.cumulativeLost).toBe(10);
    expect(stats.jitter).toBe(0); // perfectly paced
    expect(stats.reportBlock().fractionLost).toBe(0); // nothing new since the last report
  });

  it('measures interarrival jitter', () => {
    const stats = new ReceiveStatistics();
    // Arrivals alternate 10 ms early / late: |D| = 20 ms = 160 units each time after the first.
    for (let i = 0; i < 400; i++) stats.update(1, i, i * 160, i * 20 + (i % 2 === 0 ? 0 : 20));
    expect(stats.jitter).toBeGreaterThan(150);
    expect(stats.jitter).toBeLessThanOrEqual(160);
    expect(stats.jitterMs).toBeCloseTo(stats.jitter / 8, 5);
  });

  it('restarts on a new SSRC and keeps the earlier loss in totalLost', () => {
    const stats = new ReceiveStatistics();
    stats.update(1, 0, 0, 0);
    stats.update(1, 5, 800, 100); // 4 lost
    stats.update(2, 9000, 0, 120);
    expect(stats.ssrc).toBe(2);
    expect(stats.cumulativeLost).toBe(0);
    expect(stats.totalLost).toBe(4);
  });
});

describe('OutboundStream', () => {
  it('passes one source through unchanged', () => {
    const out = new OutboundStream();
    out.map(7, 100, 1000, 0);
    out.map(7, 101, 1160, 20);
    expect([out.ssrc, out.seq, out.timestamp, out.passthrough]).toEqual([7, 101, 1160, true]);
  });

  it('continues seq and timestamp when the source changes', () => {
    const out = new OutboundStream();
    out.map(7, 100, 1000, 0);
    out.map(7, 101, 1160, 20);
    out.map(9, 5000, 777, 60); // a new source 40 ms later
    expect(out.sourceChanged).toBe(true);
    expect([out.ssrc, out.seq, out.timestamp]).toEqual([7, 102, 1160 + 320]);
    out.map(9, 5001, 937, 80);
    expect([out.ssrc, out.seq, out.timestamp, out.sourceChanged, out.passthrough]).toEqual([
      7,
      103,
      1640,
      false,
      false,
    ]);
  });

  it('ignores reordered packets when keeping the newest numbers', () => {
    const out = new OutboundStream(8000, 0xabc);
    out.map(1, 10, 0, 0);
    out.map(1, 12, 320, 40);
    out.map(1, 11, 160, 41); // late
    out.map(2, 0, 0, 60);
    expect([out.ssrc, out.seq, out.timestamp]).toEqual([0xabc, 13, 320 + 160]);
  });
});

describe('SourceLatch', () => {
  it('latches to the first source, rejects strangers, follows NAT rebinding and a silent move', () => {
    const latch = new SourceLatch(1000);
    expect(latch.check('203.0.113.5', 4000, 11, 0)).toBe(LatchDecision.Latched);
    expect(latch.check('203.0.113.5', 4000, 11, 20)).toBe(LatchDecision.Accept);
    expect(latch.check('198.51.100.9', 6000, 99, 40)).toBe(LatchDecision.Reject);
    expect(latch.port).toBe(4000);
    expect(latch.check('203.0.113.5', 4010, 11, 60)).toBe(LatchDecision.Latched); // same SSRC, new port
    expect(latch.port).toBe(4010);
    expect(latch.check('198.51.100.9', 6000, 99, 1059)).toBe(LatchDecision.Reject);
    expect(latch.check('198.51.100.9', 6000, 99, 1060)).toBe(LatchDecision.Latched); // old one silent 1 s
    latch.reset();
    expect(latch.latched).toBe(false);
    expect(latch.check('192.0.2.1', 5000, 3, 1100)).toBe(LatchDecision.Latched);
  });
});
