import { describe, expect, it } from 'vitest';
import { matchesDialPattern, normaliseDialled, rewriteNumber } from './dial-pattern.ts';

describe('outbound dial patterns', () => {
  it.each([
    ['0X.', '02079460000', true],
    ['0X.', '0', false],
    ['00X.', '00442079460000', true],
    ['NXXNXXXXXX', '2125550100', true],
    ['NXXNXXXXXX', '1125550100', false],
    ['NXXNXXXXXX', '21255501000', false],
    ['+X.', '+442079460000', true],
    ['+X.', '442079460000', false],
    ['9!', '9', true],
    ['9!', '912', true],
    ['[1-3]XX', '250', true],
    ['[1-3]XX', '450', false],
    ['[2469]X', '62', true],
    ['112', '112', true],
    ['112', '1122', false],
    ['X.X', '123', false],
    ['[', '1', false],
    ['Z.', '0', false],
  ])('%s against %s → %s', (pattern, number, expected) => {
    expect(matchesDialPattern(pattern, number)).toBe(expected);
  });

  it('rewrites by stripping and prepending', () => {
    expect(rewriteNumber('02079460000', 1, '+44')).toBe('+442079460000');
    expect(rewriteNumber('00442079460000', 2, '+')).toBe('+442079460000');
    expect(rewriteNumber('12', 5, '')).toBe('');
  });

  it('reads dialled strings as numbers', () => {
    expect(normaliseDialled('+44 (0)20-7946 0000')).toBe('+4402079460000');
    expect(normaliseDialled('alice')).toBeUndefined();
  });
});
