import { describe, expect, it } from 'vitest';
import { PortAllocator } from './port-allocator.ts';

describe('PortAllocator', () => {
  it('hands out even ports with room for RTCP, then runs out', () => {
    const ports = new PortAllocator({ min: 10001, max: 10010 });
    const got: number[] = [];
    for (let p = ports.allocate(); p !== undefined; p = ports.allocate()) got.push(p);
    expect(got).toEqual([10002, 10004, 10006, 10008]); // 10010 has no 10011 in range
    expect(ports.available).toBe(0);
  });

  it('reuses released ports last (FIFO) and refuses double or foreign releases', () => {
    const ports = new PortAllocator({ min: 20000, max: 20007 });
    const a = ports.allocate()!;
    expect(ports.release(a)).toBe(true);
    expect(ports.release(a)).toBe(false);
    expect(ports.release(20001)).toBe(false);
    expect(ports.release(30000)).toBe(false);
    expect([ports.allocate(), ports.allocate(), ports.allocate(), ports.allocate()]).toEqual([
      20002, 20004, 20006, 20000,
    ]);
  });

  it('leaks nothing over thousands of allocate/release cycles', () => {
    const ports = new PortAllocator({ min: 10000, max: 10999 });
    const held: number[] = [];
    let seed = 1;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    for (let i = 0; i < 20_000; i++) {
      if (held.length > 0 && (rnd() % 3 === 0 || ports.available === 0)) {
        const [p] = held.splice(rnd() % held.length, 1);
        expect(ports.release(p!)).toBe(true);
      } else {
        const p = ports.allocate();
        expect(p).toBeDefined();
        expect(held).not.toContain(p);
        held.push(p!);
      }
      expect(ports.inUse).toBe(held.length);
    }
    for (const p of held) ports.release(p);
    expect(ports.available).toBe(ports.capacity);
    expect(ports.capacity).toBe(500);
  });

  it('splits a range into disjoint per-worker ranges', () => {
    const parts = PortAllocator.split({ min: 10000, max: 19999 }, 3);
    expect(parts).toEqual([
      { min: 10000, max: 13331 },
      { min: 13332, max: 16663 },
      { min: 16664, max: 19995 },
    ]);
  });
});
