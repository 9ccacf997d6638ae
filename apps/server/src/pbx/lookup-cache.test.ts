// LookupCache alone: single flight, a load that races with an invalidation is not kept, found and
// not-found entries have separate caps (least recently used go first), the TTL, failed loads.
import { describe, expect, it } from 'vitest';
import { LookupCache } from './lookup-cache.ts';

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: Error) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('LookupCache', () => {
  let now = 0;
  const cache = <V>(over: Partial<ConstructorParameters<typeof LookupCache<V>>[0]> = {}) =>
    new LookupCache<V>({ maxEntries: 3, maxMisses: 2, ttlMs: 1_000, now: () => now, ...over });

  it('shares one load among concurrent misses and then answers from memory', async () => {
    const c = cache<string>();
    let loads = 0;
    const load = async () => `v${++loads}`;
    expect(await Promise.all([c.get('k', load), c.get('k', load), c.get('k', load)])).toEqual([
      'v1',
      'v1',
      'v1',
    ]);
    expect(await c.get('k', load)).toBe('v1');
    expect(loads).toBe(1);
  });

  it('does not keep a load that was invalidated while in flight', async () => {
    const c = cache<string>();
    const slow = deferred<string>();
    const first = c.get('k', () => slow.promise);
    c.delete('k');
    slow.resolve('old');
    expect(await first).toBe('old');
    expect(await c.get('k', async () => 'new')).toBe('new');
    c.deletePrefix('k');
    const racing = deferred<string>();
    void c.get('k2', () => racing.promise);
    c.clear();
    racing.resolve('old');
    await racing.promise;
    expect(await c.get('k2', async () => 'fresh')).toBe('fresh');
  });

  it('caps found and not-found entries separately, least recently used first', async () => {
    const c = cache<string | undefined>();
    for (const k of ['a', 'b', 'c']) await c.get(k, async () => k);
    await c.get('a', async () => 'reloaded'); // a is now the most recently used
    await c.get('d', async () => 'd'); // evicts b
    for (let i = 0; i < 100; i++) await c.get(`unknown${i}`, async () => undefined);
    expect(c.stats()).toMatchObject({ entries: 3, misses: 2 });
    expect(await c.get('a', async () => 'reloaded')).toBe('a');
    expect(await c.get('b', async () => 'b again')).toBe('b again');
  });

  it('loads again once the TTL has passed; a failed load is not cached', async () => {
    const c = cache<number>();
    let n = 0;
    const load = async () => ++n;
    expect(await c.get('k', load)).toBe(1);
    now += 500;
    expect(await c.get('k', load)).toBe(1);
    now += 501;
    expect(await c.get('k', load)).toBe(2);
    await expect(c.get('f', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await c.get('f', load)).toBe(3);
  });
});
