import { describe, expect, it } from 'vitest';
import { RECORDING_POLICIES, recordsCall } from './recording-policy.ts';

describe('recording policies', () => {
  it("record a call when the caller's covers placed calls or the callee's covers received ones", () => {
    const recorded = RECORDING_POLICIES.flatMap((caller) =>
      RECORDING_POLICIES.filter((callee) => recordsCall(caller, callee)).map(
        (callee) => `${caller}>${callee}`,
      ),
    );
    expect(recorded.sort()).toEqual(
      [
        'off>inbound',
        'off>all',
        'inbound>inbound',
        'inbound>all',
        'outbound>off',
        'outbound>inbound',
        'outbound>outbound',
        'outbound>all',
        'all>off',
        'all>inbound',
        'all>outbound',
        'all>all',
      ].sort(),
    );
  });
});
