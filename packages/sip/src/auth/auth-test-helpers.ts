// Helpers shared by this folder's tests: a clock the test moves by hand and a seeded random
// source, so every run is the same. Not exported from the package.

export class ManualClock {
  constructor(public time = 1_763_000_000_000) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

/** xorshift32 bytes: deterministic, not for production. */
export function seededRandomBytes(seed = 0x2545f491): (n: number) => Uint8Array {
  let x = seed >>> 0 || 1;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      out[i] = x & 0xff;
    }
    return out;
  };
}

export const TEST_SECRET = new TextEncoder().encode('switchboard-test-secret-32-bytes');
