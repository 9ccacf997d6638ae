import { describe, expect, it } from 'vitest';
import { DEFAULT_CALL_SETTINGS } from './call-settings.ts';
import { DiversionChain, forwardTarget, MAX_FORWARD_HOPS } from './forwarding.ts';

describe('call forwarding', () => {
  it('picks the target for each reason', () => {
    const settings = { ...DEFAULT_CALL_SETTINGS, forwardBusy: '1002', forwardNoAnswer: '1003' };
    expect(forwardTarget(settings, 'busy')).toBe('1002');
    expect(forwardTarget(settings, 'no-answer')).toBe('1003');
    expect(forwardTarget(settings, 'always')).toBeUndefined();
    expect(forwardTarget(settings, 'unavailable')).toBeUndefined();
  });

  it('never loops back to an extension already reached, and stops after the hop limit', () => {
    const start = new DiversionChain(['1001']);
    const two = start.to('1002');
    expect(two?.reached).toEqual(['1001', '1002']);
    expect(two?.to('1001')).toBeUndefined();
    expect(two?.to('1002')).toBeUndefined();
    let chain: DiversionChain | undefined = start;
    let hops = 0;
    while (chain) {
      chain = chain.to(String(2000 + hops));
      if (chain) hops = chain.hops;
    }
    expect(hops).toBe(MAX_FORWARD_HOPS);
  });
});
