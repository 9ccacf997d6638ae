import { describe, expect, it } from 'vitest';
import {
  applyDialingRules,
  matchDialingRules,
  normaliseDialedNumber,
  parseDialingRules,
} from './dialing-rules.ts';

const UK = `
# international
00|X. => +
# national: 0 and ten digits
0|ZXXXXXXXXX => +44
# outside line
9|X. =>
# short internal numbers stay as they are
[1-7]XX =>
`;

describe('dialing rules', () => {
  it('strips and adds prefixes; the first matching rule wins', () => {
    expect(applyDialingRules('0044 20 7946 0000', UK)).toBe('+442079460000');
    expect(applyDialingRules('020 7946 0000', UK)).toBe('+442079460000');
    expect(applyDialingRules('91234', UK)).toBe('1234');
    expect(applyDialingRules('123', UK)).toBe('123');
    expect(matchDialingRules('123', UK).rule?.line).toBe(9);
  });

  it('leaves a number no rule matches unchanged (separators removed) and never touches SIP names', () => {
    expect(applyDialingRules('+1 (555) 010-0000', UK)).toBe('+15550100000');
    expect(applyDialingRules('02079460', UK)).toBe('02079460'); // too short for the national rule
    expect(applyDialingRules('alice', UK)).toBe('alice');
    expect(applyDialingRules('123', '')).toBe('123');
  });

  it('supports X Z N, sets, ranges, the "!" tail and rules without a strip', () => {
    const rules = parseDialingRules('N[0-35]X => 55\n*7! => #\n+X. => 00');
    expect(rules.ok).toBe(true);
    if (!rules.ok) return;
    expect(applyDialingRules('203', rules.rules)).toBe('55203');
    expect(applyDialingRules('143', rules.rules)).toBe('143'); // N is 2-9
    expect(applyDialingRules('243', rules.rules)).toBe('243'); // 4 not in [0-35]
    expect(applyDialingRules('*7', rules.rules)).toBe('#*7');
    expect(applyDialingRules('+49301234', rules.rules)).toBe('00+49301234');
  });

  it('reports every bad line with its position and reason', () => {
    const parsed = parseDialingRules(
      '00|X. => +\nabc => 1\n0|X => +4a\n1||2 => 3\n[9-1] => 0\nno arrow\n. 1 => 2',
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => [p.line, p.column])).toEqual([
      [2, 1],
      [3, 8],
      [4, 3],
      [5, 1],
      [6, 1],
      [7, 2],
    ]);
    expect(parsed.problems[0]!.message).toMatch(/unexpected "a"/);
    expect(parsed.problems[1]!.message).toMatch(/replacement/);
    expect(parsed.problems[3]!.message).toMatch(/backwards/);
    expect(() => applyDialingRules('1', 'a => 1')).toThrow(/line 1/);
  });

  it('limits the number of rules', () => {
    const many = Array.from({ length: 101 }, (_, i) => `${i} =>`).join('\n');
    expect(parseDialingRules(many).ok).toBe(false);
  });

  it('normalises pasted numbers', () => {
    expect(normaliseDialedNumber(' +44 (0)20-7946.0000 ')).toBe('+440207946' + '0000');
    expect(normaliseDialedNumber('sip:bob@example.com')).toBe('sip:bob@example.com');
  });
});
