import { describe, expect, it } from 'vitest';
import { numberFromLink, sameNumber } from './phone-numbers.ts';

describe('phone numbers', () => {
  it('compares numbers whatever their formatting, long ones on their last nine digits', () => {
    expect(sameNumber('1002', '1002')).toBe(true);
    expect(sameNumber('1002', '1003')).toBe(false);
    expect(sameNumber('+44 20 7946 0000', '020-7946-0000')).toBe(true);
    expect(sameNumber('+44 20 7946 0000', '020-7946-0001')).toBe(false);
    expect(sameNumber('', '')).toBe(false);
  });

  it('reads the number in tel:, sip: and callto: links', () => {
    expect(numberFromLink('tel:+1-555-0100')).toBe('+15550100');
    expect(numberFromLink('tel:%2B44%2020%207946%200000')).toBe('+442079460000');
    expect(numberFromLink('sip:1002@pbx.example.test;transport=ws')).toBe('1002');
    expect(numberFromLink('sip:alice@example.org')).toBe('alice@example.org');
    expect(numberFromLink('callto:1002')).toBe('1002');
    expect(numberFromLink('callto://1002')).toBe('1002');
    expect(numberFromLink('web+callto:1003')).toBe('1003');
    expect(numberFromLink(' (555) 0100 ')).toBe('5550100');
  });
});
