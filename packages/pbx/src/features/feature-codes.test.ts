import { describe, expect, it } from 'vitest';
import { FakeClock } from '@switchboard/testkit';
import { checkFeatureCodes, featureCodeMap, matchDialledCode, type FeatureMatch } from './feature-codes.ts';
import { DIGIT_TIMEOUT_MS, InCallCodes } from './in-call-codes.ts';

describe('dialled feature codes', () => {
  const defaults = featureCodeMap();

  it('match the default table, with a number where the feature takes one', () => {
    expect(matchDialledCode(defaults, '*78')).toEqual({ feature: 'dnd-on', argument: undefined });
    expect(matchDialledCode(defaults, '*79')).toEqual({ feature: 'dnd-off', argument: undefined });
    expect(matchDialledCode(defaults, '*721002')).toEqual({ feature: 'forward-always-on', argument: '1002' });
    expect(matchDialledCode(defaults, '*73')).toEqual({ feature: 'forward-always-off', argument: undefined });
    expect(matchDialledCode(defaults, '*781')).toBeUndefined();
    expect(matchDialledCode(defaults, '1002')).toBeUndefined();
    // In-call codes are not dialled.
    expect(matchDialledCode(defaults, '*21002')).toBeUndefined();
  });

  it('a tenant replaces codes; the old code no longer works', () => {
    const map = featureCodeMap({ 'dnd-on': '*55' });
    expect(matchDialledCode(map, '*55')).toEqual({ feature: 'dnd-on', argument: undefined });
    expect(matchDialledCode(map, '*78')).toBeUndefined();
  });

  it('overrides are checked: unknown features, shapes, duplicates and prefixes', () => {
    expect(checkFeatureCodes({ 'dnd-on': '*55' })).toEqual([]);
    expect(checkFeatureCodes({ nope: '*55' })).toEqual([{ feature: 'nope', message: 'is not a feature' }]);
    expect(checkFeatureCodes({ 'dnd-on': '55' })[0]?.feature).toBe('dnd-on');
    expect(checkFeatureCodes({ 'dnd-on': '*79' })).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/same code/) }),
    ]);
    // *7 would swallow *72, *73, *76 and *79.
    expect(checkFeatureCodes({ 'dnd-on': '*7' })).toHaveLength(4);
    expect(checkFeatureCodes({})).toEqual([]);
  });
});

describe('in-call codes from DTMF', () => {
  const setup = () => {
    const clock = new FakeClock();
    const seen: FeatureMatch[] = [];
    const codes = new InCallCodes(featureCodeMap(), clock, (m) => seen.push(m));
    const type = (keys: string): void => [...keys].forEach((k) => codes.key(k));
    return { clock, seen, type };
  };

  it('*2 + extension + # is an attended transfer; #1 + extension then a pause is a blind one', () => {
    const { clock, seen, type } = setup();
    type('*21003#');
    expect(seen).toEqual([{ feature: 'transfer-attended', argument: '1003' }]);
    type('#11004');
    expect(seen).toHaveLength(1);
    clock.advance(DIGIT_TIMEOUT_MS);
    expect(seen[1]).toEqual({ feature: 'transfer-blind', argument: '1004' });
  });

  it('other keys are ignored, and a code can start right after them', () => {
    const { clock, seen, type } = setup();
    type('5*3'); // not a code
    type('12*21005#');
    expect(seen).toEqual([{ feature: 'transfer-attended', argument: '1005' }]);
    // A code with no number, then a pause: nothing.
    type('*2');
    clock.advance(DIGIT_TIMEOUT_MS * 2);
    type('#');
    expect(seen).toHaveLength(1);
  });
});
