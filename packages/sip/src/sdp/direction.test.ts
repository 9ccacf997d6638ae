import { describe, expect, it } from 'vitest';
import {
  MEDIA_DIRECTIONS,
  answerDirection,
  canReceive,
  canSend,
  effectiveDirection,
  isHoldAddress,
  readDirection,
  reverseDirection,
} from './direction.ts';

describe('direction (RFC 3264 §6.1)', () => {
  it('answerDirection never sends to a party that does not receive, nor receives from one that does not send', () => {
    for (const offered of MEDIA_DIRECTIONS) {
      for (const local of MEDIA_DIRECTIONS) {
        const a = answerDirection(offered, local);
        expect(canSend(a)).toBe(canReceive(offered) && canSend(local));
        expect(canReceive(a)).toBe(canSend(offered) && canReceive(local));
      }
    }
  });

  it('reverseDirection swaps sendonly and recvonly', () => {
    expect(MEDIA_DIRECTIONS.map(reverseDirection)).toEqual(['sendrecv', 'recvonly', 'sendonly', 'inactive']);
  });

  it('readDirection: media first, then session, then sendrecv; values are ignored', () => {
    expect(
      readDirection({ attributes: [{ name: 'recvonly' }] }, { attributes: [{ name: 'inactive' }] }),
    ).toBe('recvonly');
    expect(readDirection({ attributes: [] }, { attributes: [{ name: 'inactive' }] })).toBe('inactive');
    expect(readDirection({ attributes: [{ name: 'sendonly', value: 'x' }] })).toBe('sendrecv');
    expect(readDirection({ attributes: [{ name: 'SendOnly' }] })).toBe('sendonly');
  });

  it('the RFC 2543 hold address, except under ICE', () => {
    const hold = { netType: 'IN', addrType: 'IP4', address: '0.0.0.0' };
    expect(isHoldAddress(hold)).toBe(true);
    expect(isHoldAddress({ netType: 'IN', addrType: 'IP6', address: '::' })).toBe(true);
    expect(isHoldAddress({ netType: 'IN', addrType: 'IP4', address: '192.0.2.1' })).toBe(false);
    expect(isHoldAddress(undefined)).toBe(false);
    expect(effectiveDirection('sendrecv', hold)).toBe('sendonly');
    expect(effectiveDirection('recvonly', hold)).toBe('inactive');
    expect(effectiveDirection('sendrecv', hold, true)).toBe('sendrecv');
  });
});
