// In-call codes keyed on the phone's keypad (RFC 4733 events the relay detects): `*2` then an
// extension (attended transfer), `#1` then an extension (blind transfer). Asterisk's habit: the
// number ends with `#` or when no key comes for a few seconds.
//
//   idle ──(a key that starts a code)──▶ code ──(whole code)──▶ number ──(# or pause)──▶ done
//     ▲              (anything else: back to idle)                  │
//     └──────────────────────────────────────────────────────────────┘
import type { Clock, TimerHandle } from '@switchboard/sip';
import type { FeatureCodeMap, FeatureMatch } from './feature-codes.ts';

/** A pause this long ends the number (Asterisk's featuredigittimeout is 1 s, transferdigittimeout 3 s). */
export const DIGIT_TIMEOUT_MS = 3000;

export class InCallCodes {
  private keys = '';
  private feature: string | undefined;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly codes: FeatureCodeMap,
    private readonly clock: Clock,
    private readonly onCode: (match: FeatureMatch) => void,
  ) {}

  /** One key from the phone. */
  key(digit: string): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.feature !== undefined) {
      if (digit === '#' && this.keys.length > 0) return this.complete();
      if (/^[0-9]$/.test(digit)) this.keys += digit;
      else return this.reset();
      this.timer = this.clock.setTimer(DIGIT_TIMEOUT_MS, () => this.complete());
      return;
    }
    const typed = this.keys + digit;
    const candidates = [...this.codes.values()].filter(
      (d) => d.kind === 'in-call' && d.implemented && d.code.startsWith(typed),
    );
    const whole = candidates.find((d) => d.code === typed);
    if (whole?.takesNumber) {
      this.feature = whole.feature;
      this.keys = '';
      this.timer = this.clock.setTimer(DIGIT_TIMEOUT_MS, () => this.reset());
    } else if (whole) {
      this.reset();
      this.onCode({ feature: whole.feature, argument: undefined });
    } else if (candidates.length > 0) {
      this.keys = typed;
      this.timer = this.clock.setTimer(DIGIT_TIMEOUT_MS, () => this.reset());
    } else {
      // Not a code: start again, this key perhaps being the first of one.
      const restart = this.keys !== '';
      this.reset();
      if (restart) this.key(digit);
    }
  }

  /** Forgets what was typed (the call ended, or a transfer took over). */
  reset(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.keys = '';
    this.feature = undefined;
  }

  private complete(): void {
    const feature = this.feature;
    const argument = this.keys;
    this.reset();
    if (feature !== undefined && argument !== '') this.onCode({ feature, argument });
  }
}
