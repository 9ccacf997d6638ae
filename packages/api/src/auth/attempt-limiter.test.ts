import { describe, expect, it } from 'vitest';
import { MemoryAttemptLimiter } from './attempt-limiter.ts';

describe('MemoryAttemptLimiter', () => {
  it('blocks a key after max failures until its window ends; keys are independent', () => {
    const limiter = new MemoryAttemptLimiter({ max: 3, windowMs: 1000 });
    for (let i = 0; i < 2; i++) limiter.fail('a', 100);
    expect(limiter.blockedFor('a', 100)).toBe(0);
    limiter.fail('a', 200);
    expect(limiter.blockedFor('a', 300)).toBe(800);
    expect(limiter.blockedFor('b', 300)).toBe(0);
    expect(limiter.blockedFor('a', 1100)).toBe(0);
    limiter.fail('a', 1100);
    expect(limiter.blockedFor('a', 1100)).toBe(0);
  });

  it('forgets a key on reset', () => {
    const limiter = new MemoryAttemptLimiter({ max: 1, windowMs: 1000 });
    limiter.fail('a', 0);
    expect(limiter.blockedFor('a', 1)).toBeGreaterThan(0);
    limiter.reset('a');
    expect(limiter.blockedFor('a', 1)).toBe(0);
  });
});
