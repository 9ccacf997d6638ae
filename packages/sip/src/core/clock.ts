// Time and timers come into the SIP core through this interface. The package never calls
// setTimeout itself: a Node app wires a clock built on the host's timers, and tests use the
// testkit's FakeClock, which runs RFC 3261 timers A–M in microseconds of real time.

/** A scheduled callback; `cancel()` is idempotent and safe after the timer fired. */
export interface TimerHandle {
  cancel(): void;
}

/** The source of time and one-shot timers for the SIP core. */
export interface Clock {
  /** Milliseconds on a monotonic scale (only differences are meaningful). */
  now(): number;
  /** Runs `callback` once, `delayMs` milliseconds from now (0 means "as soon as possible"). */
  setTimer(delayMs: number, callback: () => void): TimerHandle;
}

/** The host functions a real clock is made of (globalThis in Node and in browsers). */
export interface HostTimerFunctions {
  readonly setTimeout: (callback: () => void, delayMs: number) => unknown;
  readonly clearTimeout: (handle: never) => void;
  readonly now: () => number;
}

/**
 * Builds a Clock from the host's timer functions, which the caller passes in, so this package
 * holds no timer of its own. In an app:
 * `hostClock({ setTimeout, clearTimeout, now: () => performance.now() })`.
 */
export function hostClock(host: HostTimerFunctions): Clock {
  // NOTE: called unbound, not as methods of `host`: browsers throw "Illegal invocation" when
  // window.setTimeout runs with another object as `this`.
  const { setTimeout: set, clearTimeout: clear, now } = host;
  return {
    now: () => now(),
    setTimer(delayMs, callback) {
      let handle: unknown = set(callback, Math.max(0, delayMs));
      return {
        cancel() {
          if (handle !== undefined) clear(handle as never);
          handle = undefined;
        },
      };
    },
  };
}
