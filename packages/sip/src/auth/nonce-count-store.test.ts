import { describe, expect, it } from 'vitest';
import { InMemoryNonceCountStore } from './nonce-count-store.ts';

const claim = (nonce: string, nc: number, issuedAt = 0, now = 10, expiresAt = 1_000) => ({
  nonce,
  nc,
  issuedAt,
  expiresAt,
  now,
});

describe('InMemoryNonceCountStore', () => {
  it('accepts increasing counts and refuses repeated or lower ones', () => {
    const store = new InMemoryNonceCountStore();
    expect(store.advance(claim('n', 1))).toBe('fresh');
    expect(store.advance(claim('n', 1))).toBe('replay');
    expect(store.advance(claim('n', 3))).toBe('fresh');
    expect(store.advance(claim('n', 2))).toBe('replay');
    expect(store.advance(claim('other', 1))).toBe('fresh');
  });

  it('stays within its bound', () => {
    const store = new InMemoryNonceCountStore({ maxEntries: 10 });
    for (let i = 0; i < 1_000; i++) expect(store.advance(claim(`n${i}`, 1, i))).toBe('fresh');
    expect(store.size).toBe(10);
  });

  it('never forgets into a replay: an evicted live nonce comes back as forgotten', () => {
    const store = new InMemoryNonceCountStore({ maxEntries: 2 });
    expect(store.advance(claim('a', 1, 1))).toBe('fresh');
    expect(store.advance(claim('b', 1, 2))).toBe('fresh');
    expect(store.advance(claim('c', 1, 3))).toBe('fresh'); // evicts a (issued at 1)
    expect(store.advance(claim('a', 1, 1))).toBe('forgotten');
    expect(store.advance(claim('a', 2, 1))).toBe('forgotten');
    // A nonce issued after the newest evicted one is still welcome.
    expect(store.advance(claim('d', 1, 4))).toBe('fresh');
  });

  it('drops expired nonces without raising the forgotten mark', () => {
    const store = new InMemoryNonceCountStore({ maxEntries: 2 });
    expect(store.advance(claim('a', 1, 1, 10, 100))).toBe('fresh');
    expect(store.advance(claim('b', 1, 2, 10, 100))).toBe('fresh');
    // Later, both are expired: they are dropped as expired, not evicted.
    expect(store.advance(claim('c', 1, 150, 200, 500))).toBe('fresh');
    expect(store.size).toBe(1);
    expect(store.advance(claim('d', 1, 3, 200, 500))).toBe('fresh');
  });

  it('refuses a nonce that is already past its expiry', () => {
    const store = new InMemoryNonceCountStore();
    expect(store.advance(claim('x', 1, 0, 2_000, 1_000))).toBe('forgotten');
  });

  it('keeps first-use order through long runs of evictions and expiries (its queue compacts)', () => {
    const store = new InMemoryNonceCountStore({ maxEntries: 100 });
    // 50,000 nonces through a store of 100: evictions walk the queue, which compacts itself.
    for (let i = 0; i < 50_000; i++)
      expect(store.advance(claim(`n${i}`, 1, i, i, i + 1_000_000))).toBe('fresh');
    expect(store.size).toBe(100);
    // The newest 100 are tracked (replays refused); the one before them was evicted, not lost.
    expect(store.advance(claim('n49999', 1, 49_999, 50_000, 1_050_000))).toBe('replay');
    expect(store.advance(claim('n49900', 2, 49_900, 50_000, 1_050_000))).toBe('fresh');
    expect(store.advance(claim('n49899', 2, 49_899, 50_000, 1_050_000))).toBe('forgotten');
    // Time passes: every tracked nonce expires and goes, a few per call, from the front.
    for (let i = 0; i < 20; i++) store.advance(claim(`late${i}`, 1, 2_000_000, 2_000_000, 3_000_000));
    expect(store.size).toBe(20);
  });
});
