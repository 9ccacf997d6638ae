import { describe, expect, it } from 'vitest';
import { flatString, ownString } from './own-string.ts';

describe('flatString / ownString', () => {
  it('return the same characters', () => {
    const text = `INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: ${'a'.repeat(40)}@host\r\n`;
    const callId = text.slice(46, 92);
    expect(ownString(callId)).toBe(callId);
    expect(ownString('short')).toBe('short');
    expect(flatString(`${callId}\u0000${7}\u0000INVITE`)).toBe(`${callId}\u00007\u0000INVITE`);
    expect(flatString('')).toBe('');
    expect(ownString('')).toBe('');
  });
});
